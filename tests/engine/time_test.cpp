#include "engine/time.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace motcua::engine {
namespace {

using namespace std::chrono;

// 2026-11-27T02:30:00Z as seconds since the epoch, computed from the civil date, not from parsing.
Instant utc(int y, unsigned m, unsigned d, int hh, int mm, int ss = 0) {
  return Instant(sys_days(year{y} / month{m} / day{d}) + hours(hh) + minutes(mm) + seconds(ss));
}

TEST_CASE("parse_instant reads an offset, Z and optional seconds") {
  SUBCASE("+07:00 is seven hours ahead of UTC") {
    auto at = parse_instant("2026-11-27T09:30:00+07:00");
    REQUIRE(at.has_value());
    CHECK(*at == utc(2026, 11, 27, 2, 30));
  }
  SUBCASE("Z is UTC") {
    auto at = parse_instant("2026-11-27T02:30:00Z");
    REQUIRE(at.has_value());
    CHECK(*at == utc(2026, 11, 27, 2, 30));
  }
  SUBCASE("seconds are optional") {
    auto at = parse_instant("2026-11-27T09:30+07:00");
    REQUIRE(at.has_value());
    CHECK(*at == utc(2026, 11, 27, 2, 30));
  }
  SUBCASE("seconds are kept") {
    auto at = parse_instant("2026-11-27T09:30:45+07:00");
    REQUIRE(at.has_value());
    CHECK(*at == utc(2026, 11, 27, 2, 30, 45));
  }
  SUBCASE("a negative offset with minutes") {
    auto at = parse_instant("2026-11-26T21:00:00-05:30");
    REQUIRE(at.has_value());
    CHECK(*at == utc(2026, 11, 27, 2, 30));
  }
  SUBCASE("an offset moves the instant across midnight and the year end") {
    auto at = parse_instant("2027-01-01T03:00:00+07:00");
    REQUIRE(at.has_value());
    CHECK(*at == utc(2026, 12, 31, 20, 0));
  }
  SUBCASE("29 February of a leap year") {
    auto at = parse_instant("2028-02-29T00:00:00Z");
    REQUIRE(at.has_value());
    CHECK(*at == utc(2028, 2, 29, 0, 0));
  }
}

TEST_CASE("parse_instant rejects malformed instants with kInvalidInput") {
  const char* bad[] = {
      "",                             // empty
      "garbage",                      // not a date
      "2026-11-27",                   // no time
      "2026-11-27T09:30:00",          // no offset
      "2026-11-27 09:30:00+07:00",    // space instead of T
      "2026-11-27T25:00:00+07:00",    // hour 25
      "2026-11-27T24:00:00+07:00",    // 24:00 is not an instant here
      "2026-11-27T09:60:00+07:00",    // minute 60
      "2026-11-27T09:30:60+07:00",    // second 60
      "2026-02-30T09:30:00+07:00",    // 30 February
      "2027-02-29T09:30:00+07:00",    // 29 February of a common year
      "2026-13-01T09:30:00+07:00",    // month 13
      "2026-11-27T09:30:00+7:00",     // one-digit offset hour
      "2026-11-27T09:30:00+07",       // offset without minutes
      "2026-11-27T09:30:00+0700",     // basic-format offset mixed with extended time
      "2026-11-27T09:30:00+15:00",    // beyond +14:00
      "2026-11-27T09:30:00+07:60",    // offset minute 60
      "2026-11-27T09:30:00z",         // lowercase z
      "2026-11-27T09:30:00.5+07:00",  // fractional seconds
      "2026-11-27T09:30:00+07:00x",   // trailing text
      "2026-11-27T9:30:00+07:00",     // one-digit hour
      "+2026-11-27T09:30:00Z",        // sign before the year
      "0000-01-01T00:00:00Z",         // year 0
  };
  for (const char* text : bad) {
    CAPTURE(text);
    auto at = parse_instant(text);
    REQUIRE_FALSE(at.has_value());
    CHECK(at.error().code == ErrorCode::kInvalidInput);
    CHECK(at.error().message.find("bad instant") != std::string::npos);
  }
}

TEST_CASE("format_instant writes ISO-8601 in the requested offset") {
  const Instant at = utc(2026, 11, 27, 2, 30, 5);
  CHECK(format_instant(at, 7 * 60) == "2026-11-27T09:30:05+07:00");
  CHECK(format_instant(at, 0) == "2026-11-27T02:30:05Z");
  CHECK(format_instant(at, -(5 * 60 + 30)) == "2026-11-26T21:00:05-05:30");
  CHECK(format_instant(utc(2026, 12, 31, 17, 0), 7 * 60) == "2027-01-01T00:00:00+07:00");
}

TEST_CASE("format_instant and parse_instant round-trip") {
  for (const char* text : {"2026-01-01T00:00:00+07:00", "2027-12-31T23:59:59+07:00",
                           "2026-02-17T07:00:00+07:00", "2028-02-29T12:00:00+07:00"}) {
    CAPTURE(text);
    auto at = parse_instant(text);
    REQUIRE(at.has_value());
    CHECK(format_instant(*at, 7 * 60) == text);
  }
}

TEST_CASE("parse_date accepts real dates only") {
  auto date = parse_date("2026-02-17");
  REQUIRE(date.has_value());
  CHECK(*date == year{2026} / February / 17);
  CHECK(format_date(*date) == "2026-02-17");
  for (const char* text : {"2026-02-29", "2026-04-31", "2026-2-17", "2026-02-17x", "17/02/2026", "",
                           "2026-00-10", "2026-01-00"}) {
    CAPTURE(text);
    auto bad = parse_date(text);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::kInvalidInput);
  }
}

TEST_CASE("parse_clock_time reads HH:MM as minutes after midnight") {
  CHECK(parse_clock_time("00:00").value() == 0);
  CHECK(parse_clock_time("07:00").value() == 420);
  CHECK(parse_clock_time("15:00").value() == 900);
  CHECK(parse_clock_time("24:00").value() == 1440);
  for (const char* text : {"7:00", "24:01", "25:00", "12:60", "ab:cd", "12-00", "12:00:00", ""}) {
    CAPTURE(text);
    auto bad = parse_clock_time(text);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::kInvalidInput);
  }
}

TEST_CASE("parse_duration reads the published amount and unit") {
  CHECK(parse_duration("3 working-days").value() == Duration{3, DurationUnit::kWorkingDays});
  CHECK(parse_duration("8 working-hours").value() == Duration{8, DurationUnit::kWorkingHours});
  CHECK(parse_duration("15 days").value() == Duration{15, DurationUnit::kCalendarDays});
  CHECK(parse_duration("10 calendar-days").value() == Duration{10, DurationUnit::kCalendarDays});
  CHECK(parse_duration("  0   working-days ").value() == Duration{0, DurationUnit::kWorkingDays});
  for (const char* text : {"-1 days", "3", "working-days", "3 weeks", "3working-days", "3.5 days",
                           "99999999999 days", "3 working-days extra", ""}) {
    CAPTURE(text);
    auto bad = parse_duration(text);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().code == ErrorCode::kInvalidInput);
  }
}

TEST_CASE("Duration units print as they parse") {
  for (DurationUnit unit :
       {DurationUnit::kWorkingDays, DurationUnit::kWorkingHours, DurationUnit::kCalendarDays}) {
    auto parsed = parse_duration_unit(to_string(unit));
    REQUIRE(parsed.has_value());
    CHECK(*parsed == unit);
  }
  CHECK(to_string(DurationUnit::kCalendarDays) == "days");
}

}  // namespace
}  // namespace motcua::engine
