// libFuzzer target: one yearly working-time calendar file (workflows/calendar_file.hpp), then, when
// it parses, the calendar built from it (engine::Calendar::create) and a due date computed on it,
// as `motcua calendar due` does. The input is the file's text.
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "engine/calendar.hpp"
#include "workflows/calendar_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace motcua;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  engine::CalendarData merged;
  if (!workflows::parse_calendar_file(text, "fuzz.cal", merged)) {
    // A refused file leaves nothing merged.
    if (!merged.days_off.empty() || !merged.working_days.empty() || merged.first_year != 0)
      std::abort();
    return 0;
  }
  auto calendar = engine::Calendar::create(std::move(merged));
  if (!calendar) return 0;
  // 13 Feb 2026 10:00 +07:00 plus three working days: inside or outside the file's year alike.
  const engine::Instant received{std::chrono::seconds{1770951600}};
  (void)calendar->due(received, engine::Duration{3, engine::DurationUnit::kWorkingDays});
  return 0;
}
