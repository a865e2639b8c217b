#include <doctest/doctest.h>

#include <string>

#include "workflows/calendar_file.hpp"

namespace motcua::workflows {
using namespace engine;
namespace {

using namespace std::chrono;

// Lines 1-5.
const std::string kHeader2026 =
    "calendar vn-civil-service\n"
    "offset +07:00\n"
    "hours 07:00-11:30 13:30-17:00\n"
    "weekdays mon tue wed thu fri\n"
    "year 2026\n";

std::string header(int year) {
  std::string h = kHeader2026;
  h.replace(h.find("2026"), 4, std::to_string(year));
  return h;
}

// Parses `text` into a fresh CalendarData and returns the error message ("" on success).
std::string parse_error(const std::string& text, CalendarData* out = nullptr) {
  CalendarData data;
  const Status parsed = parse_calendar_file(text, "t.cal", out ? *out : data);
  if (parsed) return "";
  CHECK(parsed.error().code == ErrorCode::kInvalidDefinition);
  return parsed.error().message;
}

TEST_CASE("parse_calendar_file reads header, days off and make-up days") {
  CalendarData data;
  const std::string text = "# comment\n\n" + kHeader2026 +
                           "off 2026-02-17 holiday Tết Nguyên đán | Lunar New Year\n"
                           "  off 2026-04-27  compensatory   Nghỉ bù | Compensatory day off  \n"
                           "off 2026-09-01 holiday provisional Quốc khánh | National Day\n"
                           "work 2026-01-10 Làm bù | Make-up working day\n";
  REQUIRE(parse_error(text, &data) == "");
  CHECK(data.name == "vn-civil-service");
  CHECK(data.utc_offset_minutes == 420);
  CHECK(data.hours == std::vector<std::pair<MinuteOfDay, MinuteOfDay>>{{420, 690}, {810, 1020}});
  CHECK(data.working_weekdays == std::array<bool, 7>{false, true, true, true, true, true, false});
  CHECK(data.first_year == 2026);
  CHECK(data.last_year == 2026);
  REQUIRE(data.days_off.size() == 3);
  const CalendarDay& tet = data.days_off.at(year{2026} / February / 17);
  CHECK(tet.name == "Tết Nguyên đán / Lunar New Year");
  CHECK(tet.kind == DayKind::kHoliday);
  CHECK_FALSE(tet.provisional);
  CHECK(data.days_off.at(year{2026} / April / 27).kind == DayKind::kCompensatory);
  CHECK(data.days_off.at(year{2026} / April / 27).name == "Nghỉ bù / Compensatory day off");
  CHECK(data.days_off.at(year{2026} / September / 1).provisional);
  REQUIRE(data.working_days.size() == 1);
  CHECK(data.working_days.at(year{2026} / January / 10).kind == DayKind::kMakeUp);
}

TEST_CASE("parse_calendar_file accepts CRLF line ends, a BOM and a years range") {
  CalendarData data;
  std::string text = "\xEF\xBB\xBF" + kHeader2026 + "off 2026-01-01 holiday Tết | New Year\n";
  text.replace(text.find("year 2026"), 9, "years 2026-2027");
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  REQUIRE(parse_error(crlf, &data) == "");
  CHECK(data.first_year == 2026);
  CHECK(data.last_year == 2027);
  CHECK(data.days_off.at(year{2026} / January / 1).name == "Tết / New Year");
}

TEST_CASE("parse_calendar_file names the line of each error") {
  struct Case {
    const char* what;
    std::string text;
    std::string expected;  // substring of the message, which must start with "t.cal:<line>:"
  };
  const Case cases[] = {
      {"bad date", kHeader2026 + "off 2026-02-30 holiday A | B\n", "t.cal:6: bad date"},
      {"garbage date", kHeader2026 + "off tomorrow holiday A | B\n", "t.cal:6: bad date"},
      {"date outside the year", kHeader2026 + "off 2027-01-01 holiday A | B\n",
       "t.cal:6: date 2027-01-01 is outside the declared year 2026"},
      {"duplicate date",
       kHeader2026 + "off 2026-01-01 holiday A | B\n\noff 2026-01-01 holiday C | D\n",
       "t.cal:8: duplicate date 2026-01-01 (also on line 6)"},
      {"date both off and working",
       kHeader2026 + "work 2026-01-10 A | B\noff 2026-01-10 holiday C | D\n",
       "t.cal:7: date 2026-01-10 is both a day off and a working day"},
      {"overlapping hours", "calendar x\noffset +07:00\nhours 07:00-12:00 11:30-17:00\n",
       "t.cal:3: working interval"},
      {"touching hours", "calendar x\nhours 07:00-11:30 11:30-17:00\n",
       "t.cal:2: working interval"},
      {"empty interval", "calendar x\nhours 11:00-07:00\n", "t.cal:2: working interval"},
      {"bad interval", "hours 7-11\n", "t.cal:1: bad working interval"},
      {"unknown directive", kHeader2026 + "holiday 2026-01-01 A | B\n", "t.cal:6: unknown line"},
      {"unknown kind", kHeader2026 + "off 2026-01-01 festival A | B\n",
       "t.cal:6: unknown kind of day off"},
      {"name without English", kHeader2026 + "off 2026-01-01 holiday Tết Dương lịch\n",
       "t.cal:6: the name must be"},
      {"name with an empty half", kHeader2026 + "off 2026-01-01 holiday | New Year\n",
       "t.cal:6: the name must be"},
      {"dated line before the year", "calendar x\noff 2026-01-01 holiday A | B\n",
       "t.cal:2: 'off' line before"},
      {"header after dated lines", kHeader2026 + "off 2026-01-01 holiday A | B\ncalendar y\n",
       "t.cal:7: 'calendar' must come before"},
      {"header twice", "calendar x\ncalendar y\n", "t.cal:2: 'calendar' is declared twice"},
      {"bad offset", "offset +7\n", "t.cal:1: bad offset"},
      {"offset beyond 14:00", "offset +15:00\n", "t.cal:1: bad offset"},
      {"unknown weekday", "weekdays mon tue xyz\n", "t.cal:1: unknown weekday 'xyz'"},
      {"weekday twice", "weekdays mon mon\n", "t.cal:1: weekday 'mon' is listed twice"},
      {"bad year", "year 26\n", "t.cal:1: bad year"},
      {"year range backwards", "years 2027-2026\n", "t.cal:1: bad year"},
      {"make-up day on a weekday", kHeader2026 + "work 2026-01-12 A | B\n",
       "t.cal:6: 2026-01-12 is a mon, already a working weekday"},
      {"compensatory day on a Sunday", kHeader2026 + "off 2026-04-26 compensatory A | B\n",
       "t.cal:6: 2026-04-26 is a sun, already a rest day"},
      {"invalid UTF-8", kHeader2026 + "off 2026-01-01 holiday T\xC3 | B\n",
       "t.cal:6: the line is not valid UTF-8"},
      {"overlong UTF-8", kHeader2026 + "off 2026-01-01 holiday \xC0\xAF | B\n",
       "t.cal:6: the line is not valid UTF-8"},
      {"control character", kHeader2026 + "off 2026-01-01 holiday A\x01 | B\n",
       "t.cal:6: the line contains a control character"},
      {"value missing", "calendar\n", "t.cal:1: 'calendar' needs a value"},
      {"missing header line", "calendar x\noffset +07:00\n", "t.cal: the 'hours' line is missing"},
      {"empty file", "", "t.cal: the 'calendar' line is missing"},
  };
  for (const Case& c : cases) {
    const std::string what = c.what;
    CAPTURE(what);
    const std::string message = parse_error(c.text);
    CAPTURE(message);
    CHECK(message.find(c.expected) == 0);
  }
}

TEST_CASE("parse_calendar_file rejects an oversized file") {
  std::string text = kHeader2026;
  while (text.size() <= (1u << 20)) text += "# padding padding padding padding padding padding\n";
  CHECK(parse_error(text).find("larger than") != std::string::npos);
}

TEST_CASE("parse_calendar_file merges adjacent years and leaves the data unchanged on error") {
  CalendarData data;
  REQUIRE(parse_calendar_file(header(2026) + "off 2026-01-01 holiday A | B\n", "a.cal", data));
  REQUIRE(parse_calendar_file(header(2027) + "off 2027-01-01 holiday A | B\n", "b.cal", data));
  REQUIRE(parse_calendar_file(header(2025), "c.cal", data));
  CHECK(data.first_year == 2025);
  CHECK(data.last_year == 2027);
  CHECK(data.days_off.size() == 2);
  const CalendarData before = data;

  auto rejects = [&](const std::string& text, const std::string& expected) {
    CAPTURE(expected);
    const std::string message = parse_error(text, &data);
    CHECK(message.find(expected) == 0);
    CHECK(data.first_year == before.first_year);
    CHECK(data.last_year == before.last_year);
    CHECK(data.days_off.size() == before.days_off.size());
  };
  std::string later = header(2028) + "off 2028-01-03 holiday A | B\n";
  rejects(header(2026), "t.cal:5: year 2026 is already covered");
  rejects(header(2030), "t.cal:5: years 2030-2030 leave a gap");
  std::string other_offset = later;
  other_offset.replace(other_offset.find("+07:00"), 6, "+08:00");
  rejects(other_offset, "t.cal:2: the offset differs");
  std::string other_hours = later;
  other_hours.replace(other_hours.find("17:00"), 5, "16:30");
  rejects(other_hours, "t.cal:3: the working hours differ");
  std::string other_week = later;
  other_week.replace(other_week.find(" fri"), 4, " fri sat");
  rejects(other_week, "t.cal:4: the weekdays differ");
  std::string other_name = later;
  other_name.replace(other_name.find("vn-civil-service"), 16, "hue");
  rejects(other_name, "t.cal:1: calendar 'hue' differs");
  // A file with an error after valid lines merges nothing.
  rejects(later + "off 2028-02-30 holiday A | B\n", "t.cal:7: bad date");
  CHECK_FALSE(data.days_off.contains(year{2028} / January / 3));
}

TEST_CASE("DayKind prints its file keyword") {
  CHECK(to_string(DayKind::kHoliday) == "holiday");
  CHECK(to_string(DayKind::kCompensatory) == "compensatory");
  CHECK(to_string(DayKind::kSwapped) == "swapped");
  CHECK(to_string(DayKind::kMakeUp) == "make-up");
}

}  // namespace
}  // namespace motcua::workflows
