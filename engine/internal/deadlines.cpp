#include "engine/internal/deadlines.hpp"

namespace motcua::engine {

Verdict verdict_for(const Calendar& calendar, Instant done, Instant due) {
  if (done > due) return Verdict::kLate;
  if (calendar.local_date(done) < calendar.local_date(due)) return Verdict::kEarly;
  return Verdict::kOnTime;
}

Result<ClockStart> start_clock(const Procedure& procedure, const Calendar& calendar,
                               const Dossier& dossier, Instant received) {
  auto start = calendar.next_working_moment(received);
  if (!start) return tl::unexpected(start.error());
  const Duration limit = procedure.time_limit_for(dossier.form, dossier.channel);
  auto due = procedure.time_limit.same_day_cutoff
                 ? calendar.same_day_due(received, *procedure.time_limit.same_day_cutoff, limit)
                 : calendar.add(*start, limit);
  if (!due) return tl::unexpected(due.error());
  return ClockStart{*start, *due};
}

std::vector<LocalDate> due_provisional_days(const Procedure& procedure, const Calendar& calendar,
                                            const Dossier& dossier) {
  if (!dossier.clock_start || !dossier.due) return {};
  return calendar.provisional_days(
      *dossier.clock_start, procedure.time_limit_for(dossier.form, dossier.channel), *dossier.due);
}

Result<Instant> add_working_minutes(const Calendar& calendar, Instant start, std::int64_t minutes) {
  if (minutes < 0) return fail(ErrorCode::kInvalidInput, "negative working time");
  if (minutes == 0) return start;
  // The calendar adds whole working hours; the minute-exact instant lies between `start` and that
  // upper bound, and working time is monotonic in the end instant, so bisect on seconds.
  auto upper = calendar.add(start, Duration{(minutes + 59) / 60, DurationUnit::kWorkingHours});
  if (!upper) return tl::unexpected(upper.error());
  std::int64_t lo = start.time_since_epoch().count();
  std::int64_t hi = upper->time_since_epoch().count();
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto worked = calendar.working_minutes_between(start, Instant{std::chrono::seconds{mid}});
    if (!worked) return tl::unexpected(worked.error());
    if (*worked >= minutes) {
      hi = mid;
    } else {
      lo = mid;
    }
  }
  return Instant{std::chrono::seconds{hi}};
}

Result<Instant> push_due(const Calendar& calendar, DurationUnit unit, Instant due,
                         Instant paused_at, Instant resumed_at) {
  if (resumed_at <= paused_at) return due;
  if (unit == DurationUnit::kCalendarDays) {
    // The days waited extend the period; its new last day follows the same Civil Code rule.
    return calendar.end_of_working_day(due + (resumed_at - paused_at));
  }
  auto waited = calendar.working_minutes_between(paused_at, resumed_at);
  if (!waited) return tl::unexpected(waited.error());
  return add_working_minutes(calendar, due, *waited);
}

}  // namespace motcua::engine
