#include "workflows/calendar_loader.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace motcua::workflows {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;
using engine::ErrorCode;

const std::string kShipped = default_calendar_dir(MOTCUA_SOURCE_DIR);

// A fresh scratch directory under the build tree, removed when the test ends.
struct Scratch {
  explicit Scratch(const std::string& name)
      : path(fs::path(MOTCUA_BINARY_DIR) / "test-scratch" / ("calendar_loader_" + name)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string write(const std::string& name, const std::string& text) const {
    const fs::path file = path / name;
    std::ofstream(file, std::ios::binary) << text;
    return file.string();
  }
  fs::path path;
};

std::string header(int year) {
  return "calendar vn-civil-service\noffset +07:00\nhours 07:00-11:30 13:30-17:00\n"
         "weekdays mon tue wed thu fri\nyear " +
         std::to_string(year) + "\n";
}

engine::Instant vn(const std::string& local) {
  return engine::parse_instant(local + ":00+07:00").value();
}

TEST_CASE("default_calendar_dir points under the data root") {
  CHECK(default_calendar_dir("/opt/motcua") == "/opt/motcua/workflows/calendar");
}

TEST_CASE("The shipped calendars load and cover 2026 to 2028") {
  auto calendar = load_calendar({kShipped});
  REQUIRE_MESSAGE(calendar.has_value(), (calendar ? "" : calendar.error().message));
  const engine::CalendarData& data = calendar->data();
  CHECK(data.first_year == 2026);
  CHECK(data.last_year == 2028);
  CHECK(data.utc_offset_minutes == 420);
  CHECK(calendar->covers(year{2026} / January / 1));
  CHECK(calendar->covers(year{2028} / December / 31));
  CHECK_FALSE(calendar->covers(year{2029} / January / 1));
  CHECK(calendar->last_covered_date() == year{2028} / December / 31);

  SUBCASE("2026 is decided: days off and make-up Saturdays as PROCEDURES.md 2.3") {
    for (auto d : {year{2026} / January / 1, year{2026} / January / 2, year{2026} / February / 16,
                   year{2026} / February / 20, year{2026} / April / 27, year{2026} / April / 30,
                   year{2026} / May / 1, year{2026} / August / 31, year{2026} / September / 1,
                   year{2026} / September / 2, year{2026} / November / 24}) {
      CAPTURE(engine::format_date(d));
      CHECK(calendar->is_working_day(d).value() == false);
      REQUIRE(data.days_off.contains(d));
      CHECK_FALSE(data.days_off.at(d).provisional);
    }
    CHECK(calendar->is_working_day(year{2026} / January / 10).value());
    CHECK(calendar->is_working_day(year{2026} / August / 22).value());
    CHECK(data.days_off.at(year{2026} / April / 27).kind == engine::DayKind::kCompensatory);
    CHECK(data.days_off.at(year{2026} / January / 2).kind == engine::DayKind::kSwapped);
    // Every name is bilingual.
    for (const auto& [date, day] : data.days_off) {
      CHECK(day.name.find(" / ") != std::string::npos);
    }
  }
  SUBCASE("2027: statutory days are firm, the Tết and National Day choices are provisional") {
    for (auto d : {year{2027} / January / 1, year{2027} / April / 16, year{2027} / April / 30,
                   year{2027} / May / 3, year{2027} / September / 2, year{2027} / November / 24}) {
      CAPTURE(engine::format_date(d));
      CHECK(calendar->is_working_day(d).value() == false);
      CHECK_FALSE(data.days_off.at(d).provisional);
    }
    for (auto d :
         {year{2027} / February / 5, year{2027} / February / 8, year{2027} / February / 9,
          year{2027} / February / 10, year{2027} / February / 11, year{2027} / September / 3}) {
      CAPTURE(engine::format_date(d));
      CHECK(calendar->is_working_day(d).value() == false);
      CHECK(data.days_off.at(d).provisional);
    }
    // The other National Day candidate, 1 Sep 2027, stays a working day.
    CHECK(calendar->is_working_day(year{2027} / September / 1).value());
  }
  SUBCASE("2028: fixed holidays and their art. 111(3) days are firm, lunar and chosen days not") {
    // 1 Jan is a Saturday -> Mon 3 Jan; 30 Apr a Sunday -> Tue 2 May; 2 Sep a Saturday -> Mon 4
    // Sep.
    for (auto d : {year{2028} / January / 3, year{2028} / May / 1, year{2028} / May / 2,
                   year{2028} / September / 4, year{2028} / November / 24}) {
      CAPTURE(engine::format_date(d));
      CHECK(calendar->is_working_day(d).value() == false);
      CHECK_FALSE(data.days_off.at(d).provisional);
    }
    CHECK_FALSE(data.days_off.at(year{2028} / January / 1).provisional);
    CHECK_FALSE(data.days_off.at(year{2028} / September / 2).provisional);
    // Tết Mậu Thân: mùng 1 = Wed 26 Jan (Hồ Ngọc Đức, UTC+7); 29 Chạp = Tue 25 Jan; mùng 4 on
    // Saturday 29 Jan -> Mon 31 Jan. Hùng Kings 10/3 lunar = Tue 4 Apr. Adjacent National Day
    // day chosen: Fri 1 Sep.
    for (auto d : {year{2028} / January / 25, year{2028} / January / 26, year{2028} / January / 27,
                   year{2028} / January / 28, year{2028} / January / 31, year{2028} / April / 4,
                   year{2028} / September / 1}) {
      CAPTURE(engine::format_date(d));
      CHECK(calendar->is_working_day(d).value() == false);
      CHECK(data.days_off.at(d).provisional);
    }
    CHECK(calendar->is_working_day(year{2028} / January / 24).value());
    CHECK(calendar->is_working_day(year{2028} / February / 1).value());
  }
  SUBCASE("a deadline computed across the year end") {
    CHECK(engine::format_instant(calendar->add(vn("2026-12-31T10:00"), {1}).value(), 420) ==
          "2027-01-04T10:00:00+07:00");
  }
}

TEST_CASE("Calendar files merge in year order whatever order they are given in") {
  auto forward = load_calendar({kShipped + "/vn-2026.cal", kShipped + "/vn-2027.cal"});
  auto backward = load_calendar({kShipped + "/vn-2027.cal", kShipped + "/vn-2026.cal"});
  REQUIRE(forward.has_value());
  REQUIRE(backward.has_value());
  CHECK(backward->data().first_year == 2026);
  CHECK(backward->data().last_year == 2027);  // the two files given, not the directory
  CHECK(backward->data().days_off.size() == forward->data().days_off.size());
}

TEST_CASE("Calendar loader reports unreadable paths as kIo") {
  Scratch scratch("io");
  SUBCASE("a missing file") {
    auto r = load_calendar({(scratch.path / "missing.cal").string()});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kIo);
    CHECK(r.error().message.find("missing.cal") != std::string::npos);
  }
  SUBCASE("a directory without calendar files") {
    scratch.write("notes.txt", "not a calendar");
    auto r = load_calendar({scratch.path.string()});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kIo);
  }
  SUBCASE("no path at all") {
    auto r = load_calendar({});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kIo);
  }
  SUBCASE("a file over 1 MiB") {
    const std::string big = scratch.write("big.cal", std::string((1 << 20) + 1, '#'));
    auto r = load_calendar({big});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kIo);
  }
}

TEST_CASE("Calendar loader reports malformed and inconsistent files with file and line") {
  Scratch scratch("bad");
  SUBCASE("a bad date") {
    const std::string file =
        scratch.write("x-2026.cal", header(2026) + "off 2026-02-30 holiday A | B\n");
    auto r = load_calendar({scratch.path.string()});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kInvalidDefinition);
    CHECK(r.error().message.find(file + ":6: bad date") == 0);
  }
  SUBCASE("a gap between years") {
    scratch.write("x-2026.cal", header(2026));
    const std::string file = scratch.write("x-2028.cal", header(2028));
    auto r = load_calendar({scratch.path.string()});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kInvalidDefinition);
    CHECK(r.error().message.find(file + ":5: years 2028-2028 leave a gap") == 0);
  }
  SUBCASE("the same year twice") {
    const std::string file = scratch.write("x-2026.cal", header(2026));
    auto r = load_calendar({file, file});
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().message.find("already covered") != std::string::npos);
  }
  SUBCASE("a directory loads only its *.cal files") {
    scratch.write("x-2026.cal", header(2026) + "off 2026-03-02 holiday A | B\n");
    scratch.write("README.md", "year 1999\n");
    auto r = load_calendar({scratch.path.string()});
    REQUIRE(r.has_value());
    CHECK(r->is_working_day(year{2026} / March / 2).value() == false);
  }
}

}  // namespace
TEST_CASE("calendar_expiry_warning warns within 6 months of the last covered date") {
  auto calendar = load_calendar({kShipped});  // ends 2028-12-31
  REQUIRE(calendar.has_value());
  // 1 Jul 2028 + 6 months = 1 Jan 2029, past 31 Dec: warned, 183 days left.
  auto warned = calendar_expiry_warning(*calendar, vn("2028-07-01T00:00"));
  REQUIRE(warned.has_value());
  CHECK(warned->find("ends on 2028-12-31 (183 days from now)") != std::string::npos);
  CHECK(warned->find("2029") != std::string::npos);
  // 30 Jun 2028 + 6 months = 30 Dec 2028, still covered: no warning (local date, UTC+7).
  CHECK_FALSE(calendar_expiry_warning(*calendar, vn("2028-06-30T23:59")).has_value());
  CHECK_FALSE(calendar_expiry_warning(*calendar, vn("2026-12-02T10:00")).has_value());
  // 31 May + 6 months has no 31 Nov: the horizon is 30 Nov, covered.
  CHECK_FALSE(calendar_expiry_warning(*calendar, vn("2028-05-31T10:00")).has_value());
  auto ended = calendar_expiry_warning(*calendar, vn("2029-01-05T10:00"));
  REQUIRE(ended.has_value());
  CHECK(ended->find("ended on 2028-12-31") != std::string::npos);
}

}  // namespace motcua::workflows
