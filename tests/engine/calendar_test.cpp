#include "engine/calendar.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "workflows/calendar_file.hpp"

namespace motcua::engine {
namespace {

using namespace std::chrono;

std::string read_shipped(const char* name) {
  const std::string path = std::string(MOTCUA_SOURCE_DIR) + "/workflows/calendar/" + name;
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The shipped Vietnamese civil-service calendar, 2026 and 2027, parsed by the engine's own parser.
const Calendar& vn() {
  static const Calendar calendar = [] {
    CalendarData data;
    for (const char* name : {"vn-2026.cal", "vn-2027.cal"}) {
      const Status parsed = workflows::parse_calendar_file(read_shipped(name), name, data);
      REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    }
    auto created = Calendar::create(std::move(data));
    REQUIRE_MESSAGE(created.has_value(), (created ? "" : created.error().message));
    return std::move(*created);
  }();
  return calendar;
}

// Local Vietnamese time, "2026-03-02T09:00".
Instant at(const std::string& local) {
  auto parsed = parse_instant(local + ":00+07:00");
  REQUIRE_MESSAGE(parsed.has_value(), local);
  return *parsed;
}

std::string local(Result<Instant> r) {
  if (!r) return "error: " + r.error().message;
  return format_instant(*r, 7 * 60).substr(0, 16);
}

Duration wd(std::int64_t n) { return {n, DurationUnit::kWorkingDays}; }
Duration wh(std::int64_t n) { return {n, DurationUnit::kWorkingHours}; }
Duration days(std::int64_t n) { return {n, DurationUnit::kCalendarDays}; }

constexpr MinuteOfDay k1500 = 15 * 60;

TEST_CASE("Calendar adds working days within a week") {
  // Monday 2 March 2026, an ordinary week.
  CHECK(local(vn().add(at("2026-03-02T09:00"), wd(3))) == "2026-03-05T09:00");
  CHECK(local(vn().add(at("2026-03-02T09:00"), wd(1))) == "2026-03-03T09:00");
}

TEST_CASE("Calendar skips weekends") {
  CHECK(local(vn().add(at("2026-03-06T09:00"), wd(1))) == "2026-03-09T09:00");
  CHECK(local(vn().add(at("2026-03-06T16:00"), wh(2))) == "2026-03-09T08:00");
  CHECK(local(vn().add(at("2026-03-07T10:00"), wh(1))) == "2026-03-09T08:00");
  CHECK(vn().is_working_day(year{2026} / March / 7).value() == false);
  CHECK(vn().is_working_day(year{2026} / March / 8).value() == false);
  CHECK(vn().is_working_day(year{2026} / March / 9).value() == true);
}

TEST_CASE("Calendar starts the clock at 13:30 when received at lunch") {
  CHECK(local(vn().next_working_moment(at("2026-03-02T12:00"))) == "2026-03-02T13:30");
  CHECK(local(vn().next_working_moment(at("2026-03-02T11:30"))) == "2026-03-02T13:30");
  CHECK(local(vn().add(at("2026-03-02T12:00"), wh(1))) == "2026-03-02T14:30");
  CHECK(local(vn().add(at("2026-03-02T12:00"), wd(0))) == "2026-03-02T13:30");
}

TEST_CASE("Calendar starts the clock the next morning when received in the evening") {
  CHECK(local(vn().next_working_moment(at("2026-03-02T18:00"))) == "2026-03-03T07:00");
  CHECK(local(vn().next_working_moment(at("2026-03-02T17:00"))) == "2026-03-03T07:00");
  CHECK(local(vn().next_working_moment(at("2026-03-03T06:15"))) == "2026-03-03T07:00");
  CHECK(local(vn().add(at("2026-03-02T18:00"), wh(2))) == "2026-03-03T09:00");
}

TEST_CASE("Calendar moves a Friday evening receipt to Monday morning") {
  CHECK(local(vn().next_working_moment(at("2026-03-06T18:00"))) == "2026-03-09T07:00");
  CHECK(local(vn().add(at("2026-03-06T18:00"), wd(1))) == "2026-03-09T17:00");
}

TEST_CASE("Calendar adds working days across Tết") {
  // Friday 13 Feb 2026 10:00: 5 h left that day; Tết runs Mon 16 - Fri 20 Feb, then a weekend.
  CHECK(local(vn().add(at("2026-02-13T10:00"), wd(3))) == "2026-02-25T10:00");
  CHECK(local(vn().add(at("2026-02-13T10:00"), wd(1))) == "2026-02-23T10:00");
  for (unsigned d = 16; d <= 20; ++d) {
    CAPTURE(d);
    CHECK(vn().is_working_day(year{2026} / February / d).value() == false);
  }
  CHECK(local(vn().next_working_moment(at("2026-02-17T09:00"))) == "2026-02-23T07:00");
}

TEST_CASE("Calendar works make-up Saturdays and rests on swapped days") {
  CHECK(vn().is_working_day(year{2026} / January / 10).value() == true);
  CHECK(vn().is_working_day(year{2026} / January / 2).value() == false);
  CHECK(vn().is_working_day(year{2026} / January / 1).value() == false);
  CHECK(vn().is_working_day(year{2026} / August / 22).value() == true);
  CHECK(vn().is_working_day(year{2026} / August / 29).value() == false);
  CHECK(vn().is_working_day(year{2026} / August / 31).value() == false);
  // Friday 9 Jan -> Saturday 10 Jan is worked.
  CHECK(local(vn().add(at("2026-01-09T10:00"), wd(1))) == "2026-01-10T10:00");
  CHECK(local(vn().add(at("2026-08-21T16:00"), wh(2))) == "2026-08-22T08:00");
  // Saturday 22 Aug 16:00 + 2 h: Mon 24 Aug.
  CHECK(local(vn().add(at("2026-08-22T16:00"), wh(2))) == "2026-08-24T08:00");
  // Friday 28 Aug + 1 day: 31 Aug swapped, 1-2 Sep National Day -> Thursday 3 Sep.
  CHECK(local(vn().add(at("2026-08-28T09:00"), wd(1))) == "2026-09-03T09:00");
}

TEST_CASE("Calendar rests on the compensatory Monday 27 April 2026") {
  CHECK(vn().is_working_day(year{2026} / April / 26).value() == false);
  CHECK(vn().is_working_day(year{2026} / April / 27).value() == false);
  CHECK(local(vn().add(at("2026-04-24T10:00"), wd(1))) == "2026-04-28T10:00");
  // Tue 28 + Wed 29 worked, 30 Apr - 3 May off.
  CHECK(local(vn().add(at("2026-04-28T07:00"), wd(3))) == "2026-05-04T17:00");
}

TEST_CASE("Calendar crosses from 2026 into 2027") {
  // Thu 31 Dec 2026 -> Fri 1 Jan 2027 is New Year's Day -> Mon 4 Jan 2027.
  CHECK(local(vn().add(at("2026-12-31T10:00"), wd(1))) == "2027-01-04T10:00");
  CHECK(local(vn().next_working_moment(at("2026-12-31T17:30"))) == "2027-01-04T07:00");
}

TEST_CASE("Calendar refuses computations beyond the covered years with kOutOfRange") {
  SUBCASE("a result in 2028") {
    CHECK(local(vn().add(at("2027-12-30T10:00"), wd(1))) == "2027-12-31T10:00");
    auto r = vn().add(at("2027-12-30T10:00"), wd(2));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kOutOfRange);
  }
  SUBCASE("the clock would start in 2028") {
    auto r = vn().next_working_moment(at("2027-12-31T17:00"));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kOutOfRange);
  }
  SUBCASE("a start before 2026") {
    auto r = vn().add(at("2025-12-31T10:00"), wd(1));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kOutOfRange);
  }
  SUBCASE("calendar days ending in 2028") {
    auto r = vn().add(at("2027-12-20T10:00"), days(15));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kOutOfRange);
  }
  SUBCASE("a huge amount") {
    auto r = vn().add(at("2026-03-02T10:00"), wd(1'000'000'000'000));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kOutOfRange);
  }
  SUBCASE("day queries") {
    CHECK_FALSE(vn().covers(year{2028} / January / 3));
    CHECK(vn().covers(year{2027} / December / 31));
    auto r = vn().is_working_day(year{2028} / January / 3);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kOutOfRange);
  }
}

TEST_CASE("Calendar adds working hours through lunch") {
  CHECK(local(vn().add(at("2026-03-02T10:00"), wh(4))) == "2026-03-02T16:00");
  CHECK(local(vn().add(at("2026-03-02T10:00"), wh(8))) == "2026-03-03T10:00");
  CHECK(vn().add(at("2026-03-02T10:00"), wh(8)).value() ==
        vn().add(at("2026-03-02T10:00"), wd(1)).value());
  CHECK(local(vn().add(at("2026-03-02T10:00"), wh(40))) == "2026-03-09T10:00");
}

TEST_CASE("Calendar adds calendar days to the close of the last day, moved off rest days") {
  // Day 15 after Mon 2 Mar is Tue 17 Mar, a working day: the period ends at its close.
  CHECK(local(vn().add(at("2026-03-02T09:00"), days(15))) == "2026-03-17T17:00");
  // Day 5 after Fri 13 Feb is Wed 18 Feb, inside Tết: the period ends with Mon 23 Feb.
  CHECK(local(vn().add(at("2026-02-13T10:00"), days(5))) == "2026-02-23T17:00");
  // Received on a Sunday: counts as received Mon 9 Mar 07:00; day 14 is Mon 23 Mar.
  CHECK(local(vn().add(at("2026-03-08T10:00"), days(14))) == "2026-03-23T17:00");
  // Zero days: the close of the receiving day, or of the next working day.
  CHECK(local(vn().add(at("2026-03-02T09:00"), days(0))) == "2026-03-02T17:00");
  CHECK(local(vn().add(at("2026-03-07T09:00"), days(0))) == "2026-03-09T17:00");
  // Day 22 after Fri 31 Jul is Sat 22 Aug, a make-up working day: it ends there.
  CHECK(local(vn().add(at("2026-07-31T09:00"), days(22))) == "2026-08-22T17:00");
}

TEST_CASE(
    "Calendar counts calendar days from the next working moment when received outside hours") {
  // DOMAIN.md: receipt outside working time counts as received at the next working moment; the
  // counting starts the day after that (Civil Code art. 147). Hand-computed:
  // Sat 7 Mar 22:15 -> Mon 9 Mar 07:00; day 15 = Tue 24 Mar (a working day) -> 17:00.
  CHECK(local(vn().add(at("2026-03-07T22:15"), days(15))) == "2026-03-24T17:00");
  // Fri 6 Mar 18:00 (evening) -> Mon 9 Mar; day 1 = Tue 10 Mar.
  CHECK(local(vn().add(at("2026-03-06T18:00"), days(1))) == "2026-03-10T17:00");
  // Fri 6 Mar 16:59 is inside working time: day 1 = Sat 7 Mar -> moved to Mon 9 Mar.
  CHECK(local(vn().add(at("2026-03-06T16:59"), days(1))) == "2026-03-09T17:00");
  // Fri 13 Feb 2026 17:30, before Tết (16-20 Feb): received Mon 23 Feb; day 10 = Thu 5 Mar.
  CHECK(local(vn().add(at("2026-02-13T17:30"), days(10))) == "2026-03-05T17:00");
  // The lunch break does not move the day: Mon 2 Mar 12:00 -> 13:30 the same day; day 15 = 17 Mar.
  CHECK(local(vn().add(at("2026-03-02T12:00"), days(15))) == "2026-03-17T17:00");
  // due() is add() plus the provisional days: the same instant.
  CHECK(vn().due(at("2026-03-07T22:15"), days(15)).value().at ==
        vn().add(at("2026-03-07T22:15"), days(15)).value());
}

TEST_CASE("Calendar says which provisional days a due date depends on") {
  // vn-2027.cal: Tết 5-11 Feb 2027 and 3 Sep 2027 are provisional; 16 Apr 2027 is firm.
  SUBCASE("working days across the provisional Tết depend on it") {
    // Thu 4 Feb 2027 09:00 + 24 working hours: 6 h on Thu 4, Tết 5-11 Feb off, 8 h on Fri 12,
    // 8 h on Mon 15, 2 h on Tue 16 -> 09:00.
    auto due = vn().due(at("2027-02-04T09:00"), wd(3)).value();
    CHECK(local(due.at) == "2027-02-16T09:00");
    REQUIRE(due.provisional.size() == 7);  // 5-11 Feb (the file lists mùng 1-2 on the weekend too)
    CHECK(format_date(due.provisional.front()) == "2027-02-05");
    CHECK(format_date(due.provisional.back()) == "2027-02-11");
  }
  SUBCASE("a due date before any provisional day is firm") {
    CHECK(vn().due(at("2027-01-25T09:00"), wd(3)).value().provisional.empty());
    CHECK(vn().due(at("2027-04-12T09:00"), wd(5)).value().provisional.empty());  // over 16 Apr
  }
  SUBCASE("calendar days: only the last day's move and the receipt day matter") {
    // Mon 1 Feb 2027 + 15 days = Tue 16 Feb, a working day: Tết in between does not matter.
    auto firm = vn().due(at("2027-02-01T09:00"), days(15)).value();
    CHECK(local(firm.at) == "2027-02-16T17:00");
    CHECK(firm.provisional.empty());
    // Mon 1 Feb + 8 days = Tue 9 Feb (provisional Tết) -> moved to Fri 12 Feb over 9-11 Feb.
    auto moved = vn().due(at("2027-02-01T09:00"), days(8)).value();
    CHECK(local(moved.at) == "2027-02-12T17:00");
    CHECK(moved.provisional.size() == 3);
    // Received on the provisional Fri 3 Sep 2027: counted from Mon 6 Sep; day 10 = Thu 16 Sep.
    auto received = vn().due(at("2027-09-03T09:00"), days(10)).value();
    CHECK(local(received.at) == "2027-09-16T17:00");
    REQUIRE(received.provisional.size() == 1);
    CHECK(format_date(received.provisional[0]) == "2027-09-03");
  }
  CHECK(vn().last_covered_date() == year{2027} / December / 31);
}

TEST_CASE("Calendar keeps a result that lands exactly on an interval end") {
  CHECK(local(vn().add(at("2026-03-02T07:00"), wd(1))) == "2026-03-02T17:00");
  CHECK(local(vn().add(at("2026-03-02T09:30"), wh(2))) == "2026-03-02T11:30");
  CHECK(local(vn().add(at("2026-03-02T07:00"), wd(5))) == "2026-03-06T17:00");
  // Starting at an interval end counts from the next interval.
  CHECK(local(vn().add(at("2026-03-02T11:30"), wh(1))) == "2026-03-02T14:30");
  CHECK(local(vn().add(at("2026-03-02T17:00"), wh(1))) == "2026-03-03T08:00");
}

TEST_CASE("Calendar applies the 15:00 rule for same-day results") {
  SUBCASE("14:59 and 15:00 are due the same day") {
    CHECK(local(vn().same_day_due(at("2026-03-02T14:59"), k1500, wd(0))) == "2026-03-02T17:00");
    CHECK(local(vn().same_day_due(at("2026-03-02T15:00"), k1500, wd(0))) == "2026-03-02T17:00");
  }
  SUBCASE("15:01 is due the next working day") {
    CHECK(local(vn().same_day_due(at("2026-03-02T15:01"), k1500, wd(0))) == "2026-03-03T17:00");
  }
  SUBCASE("Friday 16:00 is due Monday") {
    CHECK(local(vn().same_day_due(at("2026-03-06T16:00"), k1500, wd(0))) == "2026-03-09T17:00");
  }
  SUBCASE("received on a holiday: the next working day") {
    CHECK(local(vn().same_day_due(at("2026-04-27T09:00"), k1500, wd(0))) == "2026-04-28T17:00");
    CHECK(local(vn().same_day_due(at("2026-04-29T16:00"), k1500, wd(0))) == "2026-05-04T17:00");
  }
  SUBCASE("received at lunch or before opening, before the cut-off: the same day") {
    CHECK(local(vn().same_day_due(at("2026-03-02T12:00"), k1500, wd(0))) == "2026-03-02T17:00");
    CHECK(local(vn().same_day_due(at("2026-03-02T06:00"), k1500, wd(0))) == "2026-03-02T17:00");
  }
  SUBCASE("received in the evening: the next working day") {
    CHECK(local(vn().same_day_due(at("2026-03-02T19:00"), k1500, wd(0))) == "2026-03-03T17:00");
  }
  SUBCASE("extra working days are added after the same-day due") {
    CHECK(local(vn().same_day_due(at("2026-03-02T14:00"), k1500, wd(2))) == "2026-03-04T17:00");
    CHECK(local(vn().same_day_due(at("2026-03-02T15:30"), k1500, wd(2))) == "2026-03-05T17:00");
  }
  SUBCASE("a cut-off outside the day is invalid input") {
    auto r = vn().same_day_due(at("2026-03-02T14:00"), 1500, wd(0));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kInvalidInput);
  }
}

TEST_CASE("Calendar counts working minutes between instants") {
  CHECK(vn().working_minutes_between(at("2026-03-02T09:00"), at("2026-03-02T10:00")).value() == 60);
  CHECK(vn().working_minutes_between(at("2026-03-02T11:00"), at("2026-03-02T14:00")).value() == 60);
  CHECK(vn().working_minutes_between(at("2026-03-02T07:00"), at("2026-03-09T07:00")).value() ==
        5 * 480);
  CHECK(vn().working_minutes_between(at("2026-03-06T20:00"), at("2026-03-09T06:00")).value() == 0);
  CHECK(vn().working_minutes_between(at("2026-03-02T10:00"), at("2026-03-02T09:00")).value() == 0);
  // Across Tết: Fri 13 Feb 16:00 -> Mon 23 Feb 08:00 = 1 h + 1 h.
  CHECK(vn().working_minutes_between(at("2026-02-13T16:00"), at("2026-02-23T08:00")).value() ==
        120);
  // Across the make-up Saturday 10 Jan 2026.
  CHECK(vn().working_minutes_between(at("2026-01-09T07:00"), at("2026-01-12T07:00")).value() ==
        2 * 480);
  auto r = vn().working_minutes_between(at("2027-12-31T10:00"), at("2028-01-03T10:00"));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kOutOfRange);
}

TEST_CASE("Calendar add and working_minutes_between agree over all of 2026") {
  // Starts every 7 h 37 min through the year (all times of day, weekends, holidays).
  const Instant first = at("2026-01-01T00:00");
  int checked = 0;
  for (Instant start = first; start < at("2026-12-20T00:00"); start += minutes(457)) {
    for (std::int64_t hours : {1, 5, 8, 27}) {
      auto due = vn().add(start, wh(hours));
      REQUIRE(due.has_value());
      const auto minutes = vn().working_minutes_between(start, *due);
      REQUIRE(minutes.has_value());
      CAPTURE(format_instant(start, 420));
      CHECK(*minutes == hours * 60);
      // The result lies in working time or exactly at an interval end.
      const MinuteOfDay m = vn().local_minute(*due);
      CHECK(vn().is_working_day(vn().local_date(*due)).value());
      CHECK(((m > 420 && m <= 690) || (m > 810 && m <= 1020)));
      ++checked;
    }
  }
  CHECK(checked > 4000);
}

TEST_CASE("Calendar finds the end of the working day") {
  CHECK(local(vn().end_of_working_day(at("2026-03-02T09:00"))) == "2026-03-02T17:00");
  CHECK(local(vn().end_of_working_day(at("2026-03-07T09:00"))) == "2026-03-09T17:00");
  CHECK(local(vn().end_of_working_day(at("2026-02-17T09:00"))) == "2026-02-23T17:00");
}

TEST_CASE("Calendar converts between instants and local dates and minutes") {
  const Instant t = at("2026-03-02T00:30");  // 17:30 UTC on 1 March
  CHECK(vn().local_date(t) == year{2026} / March / 2);
  CHECK(vn().local_minute(t) == 30);
  CHECK(vn().at_local(year{2026} / March / 2, 30) == t);
}

TEST_CASE("Calendar rejects negative durations") {
  auto r = vn().add(at("2026-03-02T10:00"), wd(-1));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == ErrorCode::kInvalidInput);
}

TEST_CASE("Calendar::create rejects inconsistent data with kInvalidDefinition") {
  auto base = [] {
    CalendarData data;
    data.first_year = 2026;
    data.last_year = 2026;
    return data;
  };
  REQUIRE(Calendar::create(base()).has_value());
  auto rejects = [](CalendarData data) {
    auto r = Calendar::create(std::move(data));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kInvalidDefinition);
  };
  SUBCASE("overlapping hours") {
    auto d = base();
    d.hours = {{420, 720}, {700, 1020}};
    rejects(d);
  }
  SUBCASE("unsorted hours") {
    auto d = base();
    d.hours = {{810, 1020}, {420, 690}};
    rejects(d);
  }
  SUBCASE("hours past midnight") {
    auto d = base();
    d.hours = {{420, 1500}};
    rejects(d);
  }
  SUBCASE("no hours") {
    auto d = base();
    d.hours.clear();
    rejects(d);
  }
  SUBCASE("no working weekday") {
    auto d = base();
    d.working_weekdays.fill(false);
    rejects(d);
  }
  SUBCASE("no years") {
    auto d = base();
    d.first_year = d.last_year = 0;
    rejects(d);
  }
  SUBCASE("a day off outside the years") {
    auto d = base();
    d.days_off[year{2027} / January / 1] = {"x / x"};
    rejects(d);
  }
  SUBCASE("a date both off and working") {
    auto d = base();
    d.days_off[year{2026} / January / 10] = {"x / x"};
    d.working_days[year{2026} / January / 10] = {"y / y", false, DayKind::kMakeUp};
    rejects(d);
  }
  SUBCASE("a make-up day on a working weekday") {
    auto d = base();
    d.working_days[year{2026} / January / 12] = {"y / y", false, DayKind::kMakeUp};
    rejects(d);
  }
}

TEST_CASE("Calendar honours a calendar's own hours and offset") {
  CalendarData data;
  data.first_year = data.last_year = 2026;
  data.utc_offset_minutes = 0;
  data.hours = {{9 * 60, 13 * 60}, {14 * 60, 18 * 60}};
  auto calendar = Calendar::create(data);
  REQUIRE(calendar.has_value());
  const Instant start = parse_instant("2026-03-02T12:00:00Z").value();
  CHECK(format_instant(calendar->add(start, wh(2)).value(), 0) == "2026-03-02T15:00:00Z");
  CHECK(format_instant(calendar->add(start, wd(1)).value(), 0) == "2026-03-03T12:00:00Z");
}

}  // namespace
}  // namespace motcua::engine
