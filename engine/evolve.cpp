// evolve(): the fold that turns events into the dossier projection. It trusts the event (the values
// were computed and checked by submit()/decide()), so it never fails and needs no procedure or
// calendar: a stored event history always rebuilds the same dossier.
#include <utility>

#include "engine/state_machine.hpp"

namespace motcua::engine {
namespace {

void open_slip_row(Dossier& dossier, const Event& event) {
  // Built in place: a SlipRow is five strings, and moving one costs as much as filling it.
  SlipRow& row = dossier.slip.emplace_back();
  row.state = event.to_state;
  row.from_state = event.from_state;
  row.agency_id = event.agency_id;
  row.handed_by = event.actor.user;
  row.entered = event.at;
  row.due = event.step_due;
}

void close_slip_row(Dossier& dossier, const Event& event) {
  if (dossier.slip.empty() || dossier.slip.back().left) return;
  SlipRow& row = dossier.slip.back();
  row.left = event.at;
  row.left_by = event.actor.user;
  row.verdict = event.verdict;
}

void clear_supplement(Dossier& dossier) {
  dossier.supplement_requested_at.reset();
  dossier.supplement_components.clear();
}

}  // namespace

Dossier evolve(Dossier dossier, const Event& event) {
  evolve_in_place(dossier, event);
  return dossier;
}

void evolve_in_place(Dossier& dossier, const Event& event) {
  switch (event.kind) {
    case EventKind::kSubmitted: {
      const std::int64_t version = dossier.version;
      dossier = Dossier{};
      dossier.version = version;
      dossier.code = event.code;
      dossier.procedure_code = event.procedure_code;
      dossier.procedure_version = event.procedure_version;
      dossier.procedure_hash = event.procedure_hash;
      dossier.channel = event.channel;
      dossier.agency_ids = event.agency_ids;
      dossier.form = event.form;
      dossier.state = event.to_state;
      dossier.status = event.status.value_or(StatusCode::kSubmitted);
      dossier.submitted_at = event.at;
      dossier.branches = event.branches_opened;
      dossier.slip.reserve(8);  // a lifecycle's hand-overs, usually without reallocating
      open_slip_row(dossier, event);
      break;
    }
    case EventKind::kTransitioned:
      if (!event.to_state.empty()) {
        close_slip_row(dossier, event);
        open_slip_row(dossier, event);
        dossier.state = event.to_state;
        dossier.branches = event.branches_opened;
      }
      if (event.status) dossier.status = *event.status;
      if (event.issues_result) dossier.has_result = true;
      break;
    case EventKind::kBranchCompleted:
      for (BranchTask& task : dossier.branches) {
        if (task.branch != event.branch) continue;
        task.completed = event.at;
        task.handler = event.actor.user;
        task.answer = event.answer;
        task.verdict = event.verdict;
        break;
      }
      break;
    case EventKind::kClockStarted:
    case EventKind::kClockRestarted:
      if (event.clock_start) dossier.clock_start = event.clock_start;
      if (event.due) dossier.due = event.due;
      clear_supplement(dossier);
      break;
    case EventKind::kClockStopped:
      dossier.supplement_requests += 1;
      dossier.supplement_requested_at = event.at;
      dossier.supplement_components = event.components;
      break;
    case EventKind::kClockResumed:
      if (event.due) dossier.due = event.due;
      clear_supplement(dossier);
      break;
    case EventKind::kRedated:
      if (!dossier.redated) dossier.original_due = dossier.due;
      dossier.redated = true;
      if (event.due) dossier.due = event.due;
      break;
    case EventKind::kFinished:
      dossier.finished_at = event.at;
      dossier.verdict = event.verdict;
      break;
  }
  dossier.version += 1;
}

}  // namespace motcua::engine
