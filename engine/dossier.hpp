#pragma once
// Dossier (hồ sơ) and its events. The dossier is a projection: folding its events with evolve()
// (state_machine.hpp) from an empty Dossier rebuilds it exactly. Events carry every value the
// engine computed (due dates, verdicts), so folding never needs the calendar or the procedure.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/procedure.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

enum class ActorKind { kOfficer, kApplicant, kSystem };

struct Actor {
  ActorKind kind = ActorKind::kOfficer;
  std::string user;       // user id or login; for the applicant, their account or "anonymous"
  std::string agency_id;  // QCVN 102 id of the officer's agency; empty for applicants
  std::string role;       // Role::id
  friend bool operator==(const Actor&, const Actor&) = default;
};

// Verdict for the control slip and the transparency reports: finished on an earlier local date
// than the due date -> early; by the due instant -> on time; after it -> late.
enum class Verdict { kNone, kEarly, kOnTime, kLate };
std::string_view to_string(Verdict verdict) noexcept;

struct BranchTask {
  std::string branch;     // Branch::id
  std::string agency_id;  // concrete agency the branch went to
  std::string role;
  Instant opened{};
  Instant due{};
  std::optional<Instant> completed;
  std::string handler;
  std::string answer;  // the branch's opinion, free text
  Verdict verdict = Verdict::kNone;
  friend bool operator==(const BranchTask&, const BranchTask&) = default;
};

// One row of the control slip (phiếu kiểm soát quá trình): a hand-over into a state.
struct SlipRow {
  std::string state;
  std::string from_state;
  std::string agency_id;  // agency owning the state
  std::string handed_by;  // user who handed over
  Instant entered{};
  std::optional<Instant> due;  // from the state's budget
  std::optional<Instant> left;
  std::string left_by;
  Verdict verdict = Verdict::kNone;
  friend bool operator==(const SlipRow&, const SlipRow&) = default;
};

enum class EventKind {
  kSubmitted,        // created in the initial state
  kTransitioned,     // an action moved (or kept) the dossier between states
  kBranchCompleted,  // one parallel branch answered
  kClockStarted,     // intake accepted: clock_start and due set
  kClockStopped,     // supplement requested
  kClockRestarted,   // supplement received, restart mode: clock_start and due reset
  kClockResumed,     // supplement received, pause mode: due pushed by the pause
  kRedated,          // apology: new due date with its reason
  kFinished,         // resolved or ended: finished_at and verdict
};
std::string_view to_string(EventKind kind) noexcept;

// Field use per kind (evolve() reads only these):
// - kSubmitted: code, procedure_*, channel, agency_ids, form (the applicant's form values, also
//   covered by the audit chain), to_state, status, agency_id, step_due, branches_opened (the
//   initial state's control-slip row and branch tasks).
// - kTransitioned: from_state, to_state (empty = the dossier stayed in from_state: no new slip
//   row), status, agency_id, step_due, branches_opened of the state entered; verdict = verdict of
//   the control-slip row that was closed; issues_result.
// - kBranchCompleted: branch, answer, verdict (of that branch against its due).
// - kClockStarted / kClockRestarted: clock_start, due. kClockStopped: components asked for.
// - kClockResumed: due (when a running clock was pushed). kRedated: due (the new date), reason.
// - kFinished: verdict (kNone when the dossier ended without a result).
struct Event {
  EventKind kind = EventKind::kTransitioned;
  Instant at{};
  Actor actor;
  std::string action;
  std::string from_state;
  std::string to_state;
  std::string branch;
  std::string reason;
  std::vector<std::string> components;
  std::optional<Instant> due;       // dossier due date after this event, when it changes
  std::optional<Instant> step_due;  // budget due of the state entered
  std::vector<BranchTask> branches_opened;
  Verdict verdict = Verdict::kNone;
  std::optional<Instant> clock_start;  // kClockStarted, kClockRestarted
  std::optional<StatusCode> status;    // status of the state entered (kSubmitted, kTransitioned)
  std::string agency_id;               // agency owning the state entered (control slip)
  std::string answer;                  // kBranchCompleted: the branch's opinion
  bool issues_result = false;          // kTransitioned: the transition produced the result
  // kSubmitted only:
  std::string code;
  std::string procedure_code;
  int procedure_version = 0;
  std::string procedure_hash;
  Channel channel = Channel::kOnline;
  std::map<std::string, std::string> agency_ids;
  std::map<std::string, std::string> form;  // field id -> value as submitted (validated)
  friend bool operator==(const Event&, const Event&) = default;
};

struct Dossier {
  std::string code;  // <agency id>-YYMMDD-NNNN
  std::string procedure_code;
  int procedure_version = 0;
  std::string procedure_hash;
  Channel channel = Channel::kOnline;
  // Procedure agency key -> concrete QCVN agency id handling that part for this dossier.
  std::map<std::string, std::string> agency_ids;
  // The form as submitted (field id -> value), from the audit-chained submitted event; empty for
  // dossiers submitted before forms were recorded. Field-dependent time limits read it.
  std::map<std::string, std::string> form;

  std::string state;
  StatusCode status = StatusCode::kSubmitted;

  Instant submitted_at{};
  std::optional<Instant> clock_start;
  std::optional<Instant> due;
  std::optional<Instant> original_due;  // the due date before an apology re-dated it
  bool redated = false;

  int supplement_requests = 0;
  std::optional<Instant> supplement_requested_at;  // set while waiting for the applicant
  std::vector<std::string> supplement_components;  // what the pending request asked for

  std::vector<BranchTask> branches;  // of the current parallel state
  std::vector<SlipRow> slip;

  std::optional<Instant> finished_at;
  Verdict verdict = Verdict::kNone;
  bool has_result = false;

  std::int64_t version = 0;  // number of events applied; the optimistic-concurrency token
  friend bool operator==(const Dossier&, const Dossier&) = default;
};

}  // namespace motcua::engine
