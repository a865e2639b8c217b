#include "engine/calendar.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace motcua::engine {
namespace {

constexpr std::int64_t kSecondsPerDay = 24 * 3600;
constexpr std::int64_t kWorkingDaySeconds = 8 * 3600;  // DOMAIN.md: 8 working hours = 1 working day
constexpr std::int64_t kMaxAmount = 1'000'000'000;     // keeps amount * seconds far from overflow
constexpr int kMaxYears = 400;                         // bounds the per-day tables (~150k days)
constexpr int kMaxOffsetMinutes = 14 * 60;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::int64_t day_number(LocalDate date) {
  return std::chrono::sys_days(date).time_since_epoch().count();
}

unsigned weekday_of(LocalDate date) {
  return std::chrono::weekday(std::chrono::sys_days(date)).c_encoding();
}

tl::unexpected<Error> out_of_range(const CalendarData& data) {
  return fail(ErrorCode::kOutOfRange,
              fmt::format("the computation needs a day outside the years the calendar '{}' covers "
                          "({}-{}); add the calendar file of that year",
                          data.name, data.first_year, data.last_year));
}

Status validate(const CalendarData& data) {
  auto bad = [](std::string message) { return fail(ErrorCode::kInvalidDefinition, message); };
  if (data.utc_offset_minutes < -kMaxOffsetMinutes || data.utc_offset_minutes > kMaxOffsetMinutes) {
    return bad(fmt::format("UTC offset {} minutes is out of range", data.utc_offset_minutes));
  }
  if (data.hours.empty()) return bad("the calendar has no working hours");
  for (std::size_t i = 0; i < data.hours.size(); ++i) {
    const auto [start, end] = data.hours[i];
    if (start < 0 || end > 24 * 60 || start >= end) {
      return bad(
          fmt::format("working interval {}-{} (minutes) is empty or outside the day", start, end));
    }
    if (i > 0 && start <= data.hours[i - 1].second) {
      return bad("working intervals must be sorted, disjoint and separated by a break");
    }
  }
  if (std::none_of(data.working_weekdays.begin(), data.working_weekdays.end(),
                   [](bool b) { return b; })) {
    return bad("the calendar has no working weekday");
  }
  if (data.first_year < 1 || data.last_year < data.first_year || data.last_year > 9999 ||
      data.last_year - data.first_year >= kMaxYears) {
    return bad(
        fmt::format("covered years {}-{} are not a valid range", data.first_year, data.last_year));
  }
  auto covered = [&](LocalDate date) {
    const int year = static_cast<int>(date.year());
    return date.ok() && year >= data.first_year && year <= data.last_year;
  };
  for (const auto& [date, day] : data.days_off) {
    if (!covered(date)) {
      return bad(fmt::format("day off {} is outside the covered years", format_date(date)));
    }
    if (day.kind == DayKind::kMakeUp) {
      return bad(fmt::format("day off {} cannot be a make-up day", format_date(date)));
    }
    if (data.working_days.contains(date)) {
      return bad(fmt::format("{} is both a day off and a working day", format_date(date)));
    }
  }
  for (const auto& [date, day] : data.working_days) {
    if (!covered(date)) {
      return bad(fmt::format("working day {} is outside the covered years", format_date(date)));
    }
    if (data.working_weekdays[weekday_of(date)]) {
      return bad(fmt::format("make-up working day {} already falls on a working weekday",
                             format_date(date)));
    }
  }
  return {};
}

}  // namespace

std::string_view to_string(DayKind kind) noexcept {
  switch (kind) {
    case DayKind::kHoliday:
      return "holiday";
    case DayKind::kCompensatory:
      return "compensatory";
    case DayKind::kSwapped:
      return "swapped";
    case DayKind::kMakeUp:
      return "make-up";
  }
  return "holiday";
}

Result<Calendar> Calendar::create(CalendarData data) {
  if (auto ok = validate(data); !ok) return tl::unexpected(ok.error());
  Calendar calendar(std::move(data));
  calendar.build_index();
  return calendar;
}

void Calendar::build_index() {
  using namespace std::chrono;
  first_day_ = day_number(year{data_.first_year} / January / 1);
  const std::int64_t end_day = day_number(year{data_.last_year + 1} / January / 1);
  const auto count = static_cast<std::size_t>(end_day - first_day_);
  working_.assign(count, 0);
  for (std::size_t i = 0; i < count; ++i) {
    const weekday wd{sys_days{days{first_day_ + static_cast<std::int64_t>(i)}}};
    working_[i] = data_.working_weekdays[wd.c_encoding()] ? 1 : 0;
  }
  for (const auto& [date, day] : data_.days_off) working_[day_number(date) - first_day_] = 0;
  for (const auto& [date, day] : data_.working_days) working_[day_number(date) - first_day_] = 1;
  working_before_.assign(count + 1, 0);
  working_list_.clear();
  for (std::size_t i = 0; i < count; ++i) {
    working_before_[i + 1] = working_before_[i] + working_[i];
    if (working_[i]) working_list_.push_back(static_cast<std::int32_t>(i));
  }
  hours_s_.clear();
  day_seconds_ = 0;
  for (const auto& [start, end] : data_.hours) {
    hours_s_.emplace_back(std::int64_t{start} * 60, std::int64_t{end} * 60);
    day_seconds_ += std::int64_t{end - start} * 60;
  }
}

std::pair<std::int64_t, std::int64_t> Calendar::split(Instant at) const {
  const std::int64_t local =
      at.time_since_epoch().count() + std::int64_t{data_.utc_offset_minutes} * 60;
  const std::int64_t day = floor_div(local, kSecondsPerDay);
  return {day, local - day * kSecondsPerDay};
}

Instant Calendar::make(std::int64_t day, std::int64_t second) const {
  return Instant(std::chrono::seconds(day * kSecondsPerDay + second -
                                      std::int64_t{data_.utc_offset_minutes} * 60));
}

std::int64_t Calendar::index_of(std::int64_t day) const {
  const std::int64_t index = day - first_day_;
  return (index >= 0 && index < static_cast<std::int64_t>(working_.size())) ? index : -1;
}

std::int64_t Calendar::next_working_index(std::int64_t index) const {
  const auto rank = static_cast<std::size_t>(working_before_[index + 1]);
  return rank < working_list_.size() ? working_list_[rank] : -1;
}

LocalDate Calendar::local_date(Instant at) const {
  return LocalDate{std::chrono::sys_days{std::chrono::days{split(at).first}}};
}

MinuteOfDay Calendar::local_minute(Instant at) const {
  return static_cast<MinuteOfDay>(split(at).second / 60);
}

Instant Calendar::at_local(LocalDate date, MinuteOfDay minute) const {
  return make(day_number(date), std::int64_t{minute} * 60);
}

bool Calendar::covers(LocalDate date) const {
  const int year = static_cast<int>(date.year());
  return date.ok() && year >= data_.first_year && year <= data_.last_year;
}

LocalDate Calendar::last_covered_date() const {
  return std::chrono::year{data_.last_year} / std::chrono::December / 31;
}

Result<Due> Calendar::due(Instant received, Duration limit) const {
  auto at = add(received, limit);
  if (!at) return tl::unexpected(at.error());
  return Due{*at, provisional_days(received, limit, *at)};
}

std::vector<LocalDate> Calendar::provisional_days(Instant start, Duration limit,
                                                  Instant due) const {
  std::vector<LocalDate> out;
  if (due < start) return out;
  auto collect = [&](LocalDate from, LocalDate to) {
    for (const auto* days : {&data_.days_off, &data_.working_days}) {
      for (auto it = days->lower_bound(from); it != days->end() && it->first <= to; ++it) {
        if (it->second.provisional) out.push_back(it->first);
      }
    }
  };
  if (limit.unit == DurationUnit::kCalendarDays) {
    // Which day counts as the receipt depends on the days up to the next working moment; the last
    // day on the days from the nominal last day to the due date; the days between count anyway.
    auto received = next_working_moment(start);
    const LocalDate counted_from = local_date(received ? *received : start);
    collect(local_date(start), counted_from);
    const LocalDate nominal_last{std::chrono::sys_days{counted_from} +
                                 std::chrono::days{limit.amount}};
    const LocalDate after{std::chrono::sys_days{counted_from} + std::chrono::days{1}};
    collect(std::max(nominal_last, after), local_date(due));
  } else {
    collect(local_date(start), local_date(due));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<bool> Calendar::is_working_day(LocalDate date) const {
  if (!covers(date)) return out_of_range(data_);
  return working_[day_number(date) - first_day_] != 0;
}

Result<Instant> Calendar::next_working_moment(Instant at) const {
  const auto [day, second] = split(at);
  const std::int64_t index = index_of(day);
  if (index < 0) return out_of_range(data_);
  if (working_[index]) {
    for (const auto& [start, end] : hours_s_) {
      if (end > second) return make(day, std::max(start, second));
    }
  }
  const std::int64_t next = next_working_index(index);
  if (next < 0) return out_of_range(data_);
  return make(first_day_ + next, hours_s_.front().first);
}

Result<Instant> Calendar::add_working_seconds(Instant start, std::int64_t remaining) const {
  if (remaining == 0) return next_working_moment(start);
  const auto [day, second] = split(start);
  const std::int64_t index = index_of(day);
  if (index < 0) return out_of_range(data_);
  if (working_[index]) {
    for (const auto& [begin, end] : hours_s_) {
      if (end <= second) continue;
      const std::int64_t from = std::max(begin, second);
      if (remaining <= end - from) return make(day, from + remaining);
      remaining -= end - from;
    }
  }
  // Skip whole working days through the rank table; the last day keeps 1..day_seconds_ so that a
  // result exactly at the end of a day stays on that day's last interval end.
  const std::int64_t whole_days = (remaining - 1) / day_seconds_;
  const std::int64_t rank = working_before_[index + 1] + whole_days;
  if (rank >= static_cast<std::int64_t>(working_list_.size())) return out_of_range(data_);
  remaining -= whole_days * day_seconds_;
  const std::int64_t target = first_day_ + working_list_[rank];
  for (const auto& [begin, end] : hours_s_) {
    if (remaining <= end - begin) return make(target, begin + remaining);
    remaining -= end - begin;
  }
  return fail(ErrorCode::kInternal, "working-time walk overran a working day");
}

Result<Instant> Calendar::add(Instant start, Duration duration) const {
  if (duration.amount < 0) {
    return fail(ErrorCode::kInvalidInput, "a duration to add cannot be negative");
  }
  if (duration.amount > kMaxAmount) return out_of_range(data_);
  switch (duration.unit) {
    case DurationUnit::kWorkingDays:
      return add_working_seconds(start, duration.amount * kWorkingDaySeconds);
    case DurationUnit::kWorkingHours:
      return add_working_seconds(start, duration.amount * 3600);
    case DurationUnit::kCalendarDays: {
      // Civil Code 2015 art. 147-148: the day of the event is not counted, the period ends with its
      // last day, and a last day that is a weekly rest day or a holiday moves to the next working
      // day. The office's day ends with its last working interval, the appointment on the receipt.
      // A receipt outside working time counts as received at the next working moment (DOMAIN.md),
      // so a Saturday receipt counts from Monday, as the server's clock start does.
      auto received = next_working_moment(start);
      if (!received) return received;
      const std::int64_t start_day = split(*received).first;
      return end_of_working_day(make(start_day + duration.amount, 0));
    }
  }
  return fail(ErrorCode::kInvalidInput, "unknown duration unit");
}

Result<std::int64_t> Calendar::working_seconds_since_start(Instant at) const {
  const auto [day, second] = split(at);
  const std::int64_t index = index_of(day);
  if (index < 0) return out_of_range(data_);
  std::int64_t total = std::int64_t{working_before_[index]} * day_seconds_;
  if (working_[index]) {
    for (const auto& [begin, end] : hours_s_) {
      if (second >= end) {
        total += end - begin;
      } else if (second > begin) {
        total += second - begin;
      }
    }
  }
  return total;
}

Result<std::int64_t> Calendar::working_minutes_between(Instant from, Instant to) const {
  if (to <= from) return std::int64_t{0};
  auto a = working_seconds_since_start(from);
  if (!a) return a;
  auto b = working_seconds_since_start(to);
  if (!b) return b;
  return (*b - *a) / 60;
}

Result<Instant> Calendar::end_of_working_day(Instant at) const {
  const auto [day, second] = split(at);
  const std::int64_t index = index_of(day);
  if (index < 0) return out_of_range(data_);
  if (working_[index]) return make(day, hours_s_.back().second);
  const std::int64_t next = next_working_index(index);
  if (next < 0) return out_of_range(data_);
  return make(first_day_ + next, hours_s_.back().second);
}

Result<Instant> Calendar::same_day_due(Instant received, MinuteOfDay cutoff, Duration extra) const {
  if (cutoff < 0 || cutoff > 24 * 60) {
    return fail(ErrorCode::kInvalidInput,
                fmt::format("cut-off minute {} is outside the day", cutoff));
  }
  // The clock starts at the next working moment (lunch -> 13:30, weekend -> Monday 07:00); the
  // cut-off is compared with that moment, to the minute.
  auto start = next_working_moment(received);
  if (!start) return start;
  const auto [day, second] = split(*start);
  std::int64_t due_day = day;
  if (second / 60 > cutoff) {
    const std::int64_t next = next_working_index(day - first_day_);
    if (next < 0) return out_of_range(data_);
    due_day = first_day_ + next;
  }
  const Instant due = make(due_day, hours_s_.back().second);
  if (extra.amount == 0) return due;
  return add(due, extra);
}

}  // namespace motcua::engine
