#pragma once
// The Vietnamese civil-service calendar 2026 as decided (PROCEDURES.md part 2.3), in the calendar
// file format, built in the test so engine tests do not depend on workflows/.
#include <doctest/doctest.h>

#include <optional>
#include <string_view>

#include "engine/calendar.hpp"
#include "workflows/calendar_file.hpp"
#include "engine/time.hpp"

namespace doctest {
template <>
struct StringMaker<motcua::engine::Instant> {
  static String convert(const motcua::engine::Instant& at) {
    return motcua::engine::format_instant(at, 7 * 60).c_str();
  }
};
template <>
struct StringMaker<std::optional<motcua::engine::Instant>> {
  static String convert(const std::optional<motcua::engine::Instant>& at) {
    return at ? StringMaker<motcua::engine::Instant>::convert(*at) : String("(none)");
  }
};
}  // namespace doctest

namespace motcua::engine::testing {

inline constexpr std::string_view kVietnam2026 = R"(calendar vn-civil-service
offset +07:00
hours 07:00-11:30 13:30-17:00
weekdays mon tue wed thu fri
year 2026
off  2026-01-01 holiday       Tết Dương lịch | New Year's Day
off  2026-01-02 swapped       Nghỉ hoán đổi dịp Tết Dương lịch | New Year break
work 2026-01-10               Làm bù cho ngày 02/01 | Make-up working day for 2 January
off  2026-02-16 holiday       Tết Nguyên đán (29 Tết) | Lunar New Year (29th)
off  2026-02-17 holiday       Tết Nguyên đán (Mùng 1) | Lunar New Year (1st day)
off  2026-02-18 holiday       Tết Nguyên đán (Mùng 2) | Lunar New Year (2nd day)
off  2026-02-19 holiday       Tết Nguyên đán (Mùng 3) | Lunar New Year (3rd day)
off  2026-02-20 holiday       Tết Nguyên đán (Mùng 4) | Lunar New Year (4th day)
off  2026-04-26 holiday       Giỗ Tổ Hùng Vương | Hùng Kings' Day
off  2026-04-27 compensatory  Nghỉ bù Giỗ Tổ Hùng Vương | Hùng Kings' Day (compensatory)
off  2026-04-30 holiday       Ngày Chiến thắng | Reunification Day
off  2026-05-01 holiday       Ngày Quốc tế Lao động | International Labour Day
work 2026-08-22               Làm bù cho ngày 31/08 | Make-up working day for 31 August
off  2026-08-31 swapped       Nghỉ hoán đổi dịp Quốc khánh | National Day break
off  2026-09-01 holiday       Nghỉ lễ Quốc khánh (ngày liền kề) | National Day (adjacent day)
off  2026-09-02 holiday       Quốc khánh | National Day
off  2026-11-24 holiday       Ngày Văn hóa Việt Nam | Vietnamese Culture Day
)";

inline const Calendar& vietnam_2026() {
  static const Calendar calendar = [] {
    CalendarData data;
    const Status parsed = workflows::parse_calendar_file(kVietnam2026, "vn-2026 (test)", data);
    REQUIRE_MESSAGE(parsed.has_value(), (parsed ? "" : parsed.error().message));
    auto created = Calendar::create(std::move(data));
    REQUIRE_MESSAGE(created.has_value(), (created ? "" : created.error().message));
    return std::move(*created);
  }();
  return calendar;
}

// "2026-03-02T09:00" in Vietnamese local time (UTC+7).
inline Instant vn(std::string_view local) {
  auto parsed = parse_instant(std::string(local) + ":00+07:00");
  REQUIRE_MESSAGE(parsed.has_value(), std::string(local));
  return *parsed;
}

}  // namespace motcua::engine::testing
