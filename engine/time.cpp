#include "engine/time.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>

namespace motcua::engine {
namespace {

// The largest amount accepted in a duration: far beyond any statutory limit, small enough that
// converting it to seconds can never overflow.
constexpr std::int64_t kMaxDurationAmount = 1'000'000'000;
// Real-world UTC offsets lie within -12:00 .. +14:00; accept +-14:00.
constexpr int kMaxOffsetMinutes = 14 * 60;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` decimal digits at `pos`; nullopt if any is not a digit or the text is
// short.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(text[i])) return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string quoted(std::string_view text) {
  // Keep error messages short even for hostile input.
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return fmt::format("'{}'", text);
  return fmt::format("'{}...'", text.substr(0, kMax));
}

// YYYY-MM-DD at the start of `text`; the caller checks what follows.
std::optional<LocalDate> date_prefix(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = digits(text, 0, 4);
  auto m = digits(text, 5, 2);
  auto d = digits(text, 8, 2);
  if (!y || !m || !d || *y < 1) return std::nullopt;
  LocalDate date{std::chrono::year{*y}, std::chrono::month{static_cast<unsigned>(*m)},
                 std::chrono::day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace

std::string_view to_string(DurationUnit unit) noexcept {
  switch (unit) {
    case DurationUnit::kWorkingDays:
      return "working-days";
    case DurationUnit::kWorkingHours:
      return "working-hours";
    case DurationUnit::kCalendarDays:
      return "days";
  }
  return "working-days";
}

Result<DurationUnit> parse_duration_unit(std::string_view text) {
  if (text == "working-days") return DurationUnit::kWorkingDays;
  if (text == "working-hours") return DurationUnit::kWorkingHours;
  if (text == "days" || text == "calendar-days") return DurationUnit::kCalendarDays;
  return deny(ErrorCode::kInvalidInput,
              fmt::format("unknown duration unit {}: expected working-days, working-hours or days",
                          quoted(text)));
}

Result<Duration> parse_duration(std::string_view text) {
  std::string_view rest = trim(text);
  std::size_t n = 0;
  while (n < rest.size() && is_digit(rest[n])) ++n;
  if (n == 0 || n >= rest.size() || (rest[n] != ' ' && rest[n] != '\t')) {
    return deny(ErrorCode::kInvalidInput,
                fmt::format("bad duration {}: expected \"<n> working-days|working-hours|days\"",
                            quoted(text)));
  }
  if (n > 10) {
    return deny(ErrorCode::kInvalidInput, fmt::format("duration {} is too large", quoted(text)));
  }
  std::int64_t amount = std::strtoll(std::string(rest.substr(0, n)).c_str(), nullptr, 10);
  if (amount > kMaxDurationAmount) {
    return deny(ErrorCode::kInvalidInput, fmt::format("duration {} is too large", quoted(text)));
  }
  auto unit = parse_duration_unit(trim(rest.substr(n)));
  if (!unit) return tl::unexpected(unit.error());
  return Duration{amount, *unit};
}

Result<Instant> parse_instant(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return deny(ErrorCode::kInvalidInput,
                fmt::format("bad instant {}: {} (expected e.g. 2026-11-27T09:30:00+07:00)",
                            quoted(text), why));
  };
  auto date = date_prefix(text);
  if (!date) return bad("not a valid date YYYY-MM-DD");
  if (text.size() < 16 || text[10] != 'T' || text[13] != ':') return bad("no time THH:MM");
  auto hour = digits(text, 11, 2);
  auto minute = digits(text, 14, 2);
  if (!hour || !minute || *hour > 23 || *minute > 59) return bad("hour or minute out of range");
  std::size_t pos = 16;
  int second = 0;
  if (pos < text.size() && text[pos] == ':') {
    auto s = digits(text, pos + 1, 2);
    if (!s || *s > 59) return bad("seconds out of range");
    second = *s;
    pos += 3;
  }
  if (pos >= text.size()) return bad("no offset (add Z or +07:00)");
  int offset = 0;
  if (text[pos] == 'Z') {
    pos += 1;
  } else if (text[pos] == '+' || text[pos] == '-') {
    auto oh = digits(text, pos + 1, 2);
    auto om = digits(text, pos + 4, 2);
    if (!oh || !om || text[pos + 3] != ':') return bad("offset must be +HH:MM or -HH:MM");
    offset = *oh * 60 + *om;
    if (*om > 59 || offset > kMaxOffsetMinutes) return bad("offset out of range");
    if (text[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return bad("offset must be Z, +HH:MM or -HH:MM");
  }
  if (pos != text.size()) return bad("unexpected text after the offset");
  auto local = std::chrono::sys_days(*date) + std::chrono::hours(*hour) +
               std::chrono::minutes(*minute) + std::chrono::seconds(second);
  return Instant(local - std::chrono::minutes(offset));
}

std::string format_instant(Instant at, int utc_offset_minutes) {
  const auto local = at + std::chrono::minutes(utc_offset_minutes);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const LocalDate date{day};
  const std::int64_t secs = (local - day).count();
  std::string out = fmt::format("{}T{:02}:{:02}:{:02}", format_date(date), secs / 3600,
                                secs / 60 % 60, secs % 60);
  if (utc_offset_minutes == 0) return out + "Z";
  const int magnitude = std::abs(utc_offset_minutes);
  return out + fmt::format("{}{:02}:{:02}", utc_offset_minutes < 0 ? '-' : '+', magnitude / 60,
                           magnitude % 60);
}

Result<LocalDate> parse_date(std::string_view text) {
  auto date = date_prefix(text);
  if (!date || text.size() != 10) {
    return deny(ErrorCode::kInvalidInput,
                fmt::format("bad date {}: expected a valid date YYYY-MM-DD", quoted(text)));
  }
  return *date;
}

std::string format_date(LocalDate date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

Result<MinuteOfDay> parse_clock_time(std::string_view text) {
  auto hour = digits(text, 0, 2);
  auto minute = digits(text, 3, 2);
  if (text.size() != 5 || text[2] != ':' || !hour || !minute || *minute > 59 || *hour > 24 ||
      (*hour == 24 && *minute != 0)) {
    return fail(
        ErrorCode::kInvalidInput,
        fmt::format("bad clock time {}: expected HH:MM between 00:00 and 24:00", quoted(text)));
  }
  return *hour * 60 + *minute;
}

}  // namespace motcua::engine
