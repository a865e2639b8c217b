#pragma once
// Time vocabulary of the engine. Instants are UTC seconds; local dates and clock times exist only
// relative to a calendar's UTC offset (UTC+7 for Vietnam, no DST). The engine never reads the system
// clock: it takes a Clock (see clock.hpp).
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::engine {

using Instant = std::chrono::sys_seconds;
using LocalDate = std::chrono::year_month_day;

// Minutes after local midnight, 0..1440.
using MinuteOfDay = int;

enum class DurationUnit { kWorkingDays, kWorkingHours, kCalendarDays };

// A statutory time limit as the law publishes it: an amount and its unit. Working days are 8 working
// hours each; calendar days are 24 h of wall time.
struct Duration {
  std::int64_t amount = 0;
  DurationUnit unit = DurationUnit::kWorkingDays;
  friend bool operator==(const Duration&, const Duration&) = default;
};

std::string_view to_string(DurationUnit unit) noexcept;
// Accepts "working-days", "working-hours", "days" (and "calendar-days").
Result<DurationUnit> parse_duration_unit(std::string_view text);
// "<n> working-days|working-hours|days", e.g. "3 working-days".
Result<Duration> parse_duration(std::string_view text);

// ISO-8601 instant with an explicit offset or Z: 2026-11-27T09:30:00+07:00, 2026-11-27T02:30:00Z.
// Seconds are optional. Returns kInvalidInput for anything else.
Result<Instant> parse_instant(std::string_view text);
// Formats as ISO-8601 in the given offset: "2026-11-27T09:30:00+07:00" (offset 0 gives "Z").
std::string format_instant(Instant at, int utc_offset_minutes);
// YYYY-MM-DD.
Result<LocalDate> parse_date(std::string_view text);
std::string format_date(LocalDate date);
// "HH:MM" -> minutes after midnight.
Result<MinuteOfDay> parse_clock_time(std::string_view text);

}  // namespace motcua::engine
