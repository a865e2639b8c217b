#pragma once
// Working-time calendar: working hours, working weekdays, public holidays and make-up working days
// of a set of years, in a fixed UTC offset (UTC+7 for Vietnam, no DST). Immutable once created and
// safe to share between threads.
//
// Arithmetic (all results are UTC instants):
// - working days are 8 working hours each (DOMAIN.md); adding working time walks the working
//   intervals, so 3 working days from Monday 09:00 end on Thursday 09:00, and a result that lands
//   exactly on the end of an interval stays there (17:00, not the next morning 07:00);
// - calendar days (the published unit "ngày") count whole local days after the day of the start's
//   next working moment (a start outside working time counts as received at the next working
//   moment, DOMAIN.md) and end at the close of the last day's working hours; a last day that is not
//   a working day moves to the close of the next working day (Civil Code 2015 art. 147-148). This
//   is the one rule: `motcua calendar due` and the server's start_clock both go through add();
// - the clock of working units starts at the next working moment (lunch -> 13:30, evening or
//   holiday -> next working morning).
// Any computation that needs a day outside [first_year, last_year] returns kOutOfRange: a due date
// computed from a calendar nobody has published would be wrong silently.
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

// Why a date is off (or worked): shown to operators next to the name.
enum class DayKind {
  kHoliday,       // a statutory holiday (Labour Code art. 112) or a day the law adds
  kCompensatory,  // nghỉ bù: a holiday fell on a weekly rest day (art. 111(3))
  kSwapped,       // hoán đổi: a working weekday given off against a Saturday worked
  kMakeUp,        // làm bù: a weekly rest day worked (only in CalendarData::working_days)
};
// "holiday", "compensatory", "swapped", "make-up".
std::string_view to_string(DayKind kind) noexcept;

struct CalendarDay {
  std::string name;          // e.g. "Tết Nguyên đán / Lunar New Year"
  bool provisional = false;  // not yet decreed; the file says so and operators are warned
  DayKind kind = DayKind::kHoliday;
};

// A due instant and the provisional (not yet decreed) days it depends on: when one of them is
// decreed otherwise, the due instant may change, and wherever it is shown it must say so.
struct Due {
  Instant at{};
  std::vector<LocalDate> provisional;  // sorted; empty = the due instant is firm
};

struct CalendarData {
  std::string name = "vn-civil-service";
  int utc_offset_minutes = 7 * 60;
  // Working intervals of a working day, sorted, disjoint, in local minutes: default 07:00-11:30,
  // 13:30-17:00.
  std::vector<std::pair<MinuteOfDay, MinuteOfDay>> hours{{7 * 60, 11 * 60 + 30},
                                                         {13 * 60 + 30, 17 * 60}};
  // Indexed by weekday c_encoding (0 = Sunday): default Monday to Friday.
  std::array<bool, 7> working_weekdays{false, true, true, true, true, true, false};
  std::map<LocalDate, CalendarDay> days_off;      // holidays, compensatory and swapped days off
  std::map<LocalDate, CalendarDay> working_days;  // make-up working days on a weekly rest day
  int first_year = 0;
  int last_year = 0;
};

class Calendar {
 public:
  // Validates the data (intervals sorted and inside the day, years set, no date both off and
  // working).
  static Result<Calendar> create(CalendarData data);

  const CalendarData& data() const { return data_; }

  LocalDate local_date(Instant at) const;
  MinuteOfDay local_minute(Instant at) const;
  Instant at_local(LocalDate date, MinuteOfDay minute) const;

  bool covers(LocalDate date) const;
  // 31 December of the last covered year: no deadline can end after it.
  LocalDate last_covered_date() const;
  Result<bool> is_working_day(LocalDate date) const;
  // The first instant >= at that lies inside working time.
  Result<Instant> next_working_moment(Instant at) const;
  Result<Instant> add(Instant start, Duration duration) const;
  // Working minutes inside [from, to); 0 when to <= from.
  Result<std::int64_t> working_minutes_between(Instant from, Instant to) const;
  // The end of the last working interval of the working day that contains `at` (or of the next
  // working day, if `at` is not on one).
  Result<Instant> end_of_working_day(Instant at) const;
  // `limit` from a receipt at `received` (add()), with the provisional days the result depends on.
  Result<Due> due(Instant received, Duration limit) const;
  // The provisional days (off or make-up) a due instant computed from `start` with `limit`
  // depends on: for working units every provisional day from the start's local date to the due's;
  // for calendar days only those from the nominal last day to the due's (the days in between
  // count whether worked or not). For same_day_due pass the extra time (working days), for a
  // redated or pushed due the limit and the original start. Empty when `due` < `start`.
  std::vector<LocalDate> provisional_days(Instant start, Duration limit, Instant due) const;
  // The 15:00 rule: the result is due by the end of the receiving working day if the dossier
  // arrives on a working day at or before `cutoff`, otherwise by the end of the next working day;
  // `extra` working time (e.g. the 2-day extension for many pages) is added after that.
  Result<Instant> same_day_due(Instant received, MinuteOfDay cutoff, Duration extra) const;

 private:
  explicit Calendar(CalendarData data) : data_(std::move(data)) {}
  void build_index();
  // Local day number (days since 1970-01-01 in the calendar's offset) and second of that day.
  std::pair<std::int64_t, std::int64_t> split(Instant at) const;
  Instant make(std::int64_t day, std::int64_t second) const;
  // Index of a local day in the per-day tables, or -1 when the calendar does not cover it.
  std::int64_t index_of(std::int64_t day) const;
  // The covered day index of the first working day after `index`, or -1 past the last covered year.
  std::int64_t next_working_index(std::int64_t index) const;
  Result<Instant> add_working_seconds(Instant start, std::int64_t seconds) const;
  Result<std::int64_t> working_seconds_since_start(Instant at) const;

  CalendarData data_;
  // Precomputed in create() so that add() and working_minutes_between() skip whole days:
  std::int64_t first_day_ = 0;                // local day number of 1 January first_year
  std::vector<std::uint8_t> working_;         // per covered day: 1 when it is a working day
  std::vector<std::int32_t> working_before_;  // per covered day (+1): working days before it
  std::vector<std::int32_t> working_list_;    // covered day indices that are working days
  std::vector<std::pair<std::int64_t, std::int64_t>> hours_s_;  // working intervals in seconds
  std::int64_t day_seconds_ = 0;                                // working seconds per working day
};

}  // namespace motcua::engine
