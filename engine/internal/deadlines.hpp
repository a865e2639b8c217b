#pragma once
// Deadline arithmetic of the lifecycle rules (DOMAIN.md), on top of the working-time calendar:
// when the statutory clock starts and when it is due, how a pause pushes a due date, and the
// early / on time / late verdict. Pure functions; thread-safe. Errors: kOutOfRange when the
// calendar does not cover a date the computation needs, kInvalidInput for negative amounts.
#include <cstdint>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/dossier.hpp"
#include "engine/procedure.hpp"

namespace motcua::engine {

// One working day is 8 working hours (DOMAIN.md), whatever the calendar's hours.
inline constexpr std::int64_t kMinutesPerWorkingDay = 8 * 60;

// Finished on an earlier local date than the due date -> early; at or before the due instant ->
// on time; after it -> late.
Verdict verdict_for(const Calendar& calendar, Instant done, Instant due);

struct ClockStart {
  Instant clock_start{};
  Instant due{};
};

// The statutory clock of `dossier`, complete at `received`: it starts at the next working moment;
// the due date adds the dossier's limit (Procedure::time_limit_for its form and channel: a limit
// chosen by a form field, else the channel's) to that start (24 h per calendar day, working time
// otherwise), or follows the 15:00 rule when the procedure sets a same-day cutoff (the limit is
// then the extra time after the same-day deadline).
Result<ClockStart> start_clock(const Procedure& procedure, const Calendar& calendar,
                               const Dossier& dossier, Instant received);

// The provisional (not yet decreed) days the dossier's due date depends on
// (Calendar::provisional_days from its clock start with its limit, Procedure::time_limit_for): a
// redated or pushed due is checked over the whole span from the clock start. Empty when the clock
// has not started or the due is firm.
std::vector<LocalDate> due_provisional_days(const Procedure& procedure, const Calendar& calendar,
                                            const Dossier& dossier);

// `start` plus `minutes` of working time: the first instant X with
// working_minutes_between(start, X) >= minutes (an end of a working interval stays there).
Result<Instant> add_working_minutes(const Calendar& calendar, Instant start, std::int64_t minutes);

// Pause mode (SupplementMode::kPause): `due` pushed by the time the dossier waited between
// `paused_at` and `resumed_at`: wall time for calendar-day limits, working time otherwise.
Result<Instant> push_due(const Calendar& calendar, DurationUnit unit, Instant due,
                         Instant paused_at, Instant resumed_at);

}  // namespace motcua::engine
