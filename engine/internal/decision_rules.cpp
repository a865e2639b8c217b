#include "engine/internal/decision_rules.hpp"

#include <algorithm>

#include "engine/internal/deadlines.hpp"

namespace motcua::engine::rules {

// The agency key whose officers act in `state`: its owner, or the receiving desk for states the
// applicant owns (e.g. waiting for a supplement).
std::string_view acting_agency(const Procedure& procedure, const State& state) {
  return state.agency.empty() ? std::string_view(procedure.receiving_agency)
                              : std::string_view(state.agency);
}

Status check_actor(const Procedure& procedure, const Dossier& dossier, const State& state,
                   const std::vector<std::string>& roles, const Actor& actor,
                   std::string_view action) {
  const bool applicant_role = actor.role == kApplicantRole;
  if ((actor.kind == ActorKind::kApplicant) != applicant_role) {
    return deny(ErrorCode::kForbidden, "only the applicant acts in the applicant role");
  }
  if (!contains(roles, actor.role)) {
    return deny(ErrorCode::kForbidden, "role " + quoted(actor.role) + " may not perform " +
                                           quoted(action) + " in state " + quoted(state.id));
  }
  if (applicant_role) return {};
  const std::string_view key = acting_agency(procedure, state);
  const std::string* id = agency_id_of(dossier.agency_ids, key);
  if (id == nullptr || *id != actor.agency_id) {
    return deny(ErrorCode::kForbidden, "agency " + quoted(actor.agency_id) +
                                           " does not handle state " + quoted(state.id) +
                                           " of this dossier");
  }
  return {};
}

Status check_components(const Procedure& procedure, const Transition& transition,
                        const std::vector<std::string>& components) {
  const bool required = transition.requires_components;
  if (required && components.empty()) {
    return deny(ErrorCode::kComponentsRequired, "this action must list the components concerned");
  }
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (procedure.component(components[i]) == nullptr) {
      return deny(ErrorCode::kComponentsRequired,
                  "component " + quoted(components[i]) + " is not listed by procedure " +
                      procedure.code + " (asking for it is prohibited)");
    }
    if (!transition.components.empty() &&
        std::find(transition.components.begin(), transition.components.end(), components[i]) ==
            transition.components.end()) {
      return deny(ErrorCode::kComponentsRequired, "component " + quoted(components[i]) +
                                                      " is not one that action " +
                                                      quoted(transition.action) + " concerns");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (components[j] == components[i]) {
        return deny(ErrorCode::kInvalidInput,
                    "component " + quoted(components[i]) + " is listed twice");
      }
    }
  }
  return {};
}

// Fills the fields every event of a command carries; `event` is freshly constructed.
Event& make_event(Event& event, EventKind kind, const Command& command,
                  std::string_view from_state) {
  event.kind = kind;
  event.at = command.at;
  event.actor = command.actor;
  event.action = command.action;
  event.from_state = from_state;
  return event;
}

// Fills the fields of `event` that describe entering `state` at `at`: status, owning agency,
// step budget and, for a parallel state, one task per branch.
Status enter_state(const Calendar& calendar, const std::map<std::string, std::string>& agency_ids,
                   const State& state, Instant at, Event& event) {
  event.to_state = state.id;
  event.status = state.status;
  if (const std::string* id = agency_id_of(agency_ids, state.agency)) event.agency_id = *id;
  if (state.budget) {
    auto due = calendar.add(at, *state.budget);
    if (!due) return tl::unexpected(due.error());
    event.step_due = *due;
  }
  if (state.kind != StateKind::kParallel) return {};
  if (state.branches.empty()) {
    return fail(ErrorCode::kInvalidDefinition,
                "parallel state " + quoted(state.id) + " has no branches");
  }
  event.branches_opened.reserve(state.branches.size());
  for (const Branch& branch : state.branches) {
    BranchTask task;
    task.branch = branch.id;
    if (const std::string* id = agency_id_of(agency_ids, branch.agency)) task.agency_id = *id;
    task.role = branch.role;
    task.opened = at;
    auto due = calendar.add(at, branch.budget);
    if (!due) return tl::unexpected(due.error());
    task.due = *due;
    event.branches_opened.push_back(std::move(task));
  }
  return {};
}

// The verdict of the control-slip row left at `at` (kNone without a budget).
Verdict leaving_verdict(const Calendar& calendar, const Dossier& dossier, Instant at) {
  if (dossier.slip.empty() || !dossier.slip.back().due) return Verdict::kNone;
  return verdict_for(calendar, at, *dossier.slip.back().due);
}

Status check_pinned(const Procedure& procedure, const Dossier& dossier) {
  if (dossier.state.empty())
    return deny(ErrorCode::kInvalidInput, "the dossier was never submitted");
  if (dossier.procedure_code != procedure.code || dossier.procedure_version != procedure.version ||
      (!dossier.procedure_hash.empty() && dossier.procedure_hash != procedure.source_hash)) {
    return deny(ErrorCode::kInvalidInput, "dossier " + dossier.code + " is pinned to procedure " +
                                              dossier.procedure_code + " version " +
                                              std::to_string(dossier.procedure_version) +
                                              ", not to the definition given");
  }
  return {};
}

// The clock event of transition `t`, checked against the dossier before anything is produced, and
// written into `event` (freshly constructed). Returns false when the transition has no clock
// effect.
Result<bool> clock_event(const Procedure& procedure, const Calendar& calendar,
                         const LegalRules& rules, const Dossier& dossier, const Transition& t,
                         const Command& command, Event& event) {
  const Instant at = command.at;
  switch (t.clock) {
    case ClockEffect::kNone:
      return false;
    case ClockEffect::kStart: {
      if (dossier.clock_start) {
        return deny(ErrorCode::kAlreadyDone, "the statutory clock of this dossier already runs");
      }
      auto clock = start_clock(procedure, calendar, dossier, at);
      if (!clock) return tl::unexpected(clock.error());
      make_event(event, EventKind::kClockStarted, command, dossier.state);
      event.clock_start = clock->clock_start;
      event.due = clock->due;
      return true;
    }
    case ClockEffect::kSupplementRequest: {
      if (dossier.supplement_requested_at) {
        return deny(ErrorCode::kAlreadyDone, "a supplement request is already pending");
      }
      if (command.components.empty()) {
        return deny(ErrorCode::kComponentsRequired,
                    "a supplement request lists everything missing, in one go");
      }
      if (dossier.clock_start) {
        const Duration window = supplement_window(procedure.time_limit, rules);
        auto window_end = calendar.add(*dossier.clock_start, window);
        if (!window_end) return tl::unexpected(window_end.error());
        if (at > *window_end) {
          return deny(ErrorCode::kDeadlinePassed,
                      "a supplement may be requested at most " + std::to_string(window.amount) +
                          " " + std::string(to_string(window.unit)) + " after receipt");
        }
      }
      make_event(event, EventKind::kClockStopped, command, dossier.state);
      event.reason = command.reason;
      event.components = command.components;
      return true;
    }
    case ClockEffect::kSupplementReceived: {
      if (!dossier.supplement_requested_at) {
        return deny(ErrorCode::kIllegalAction, "no supplement request is pending");
      }
      if (!dossier.clock_start || !dossier.due) {
        // Completed at intake, before the clock started: nothing to restart.
        make_event(event, EventKind::kClockResumed, command, dossier.state);
        return true;
      }
      if (procedure.supplement_mode == SupplementMode::kRestart) {
        auto clock = start_clock(procedure, calendar, dossier, at);
        if (!clock) return tl::unexpected(clock.error());
        make_event(event, EventKind::kClockRestarted, command, dossier.state);
        event.clock_start = clock->clock_start;
        event.due = clock->due;
        return true;
      }
      auto due = push_due(calendar, procedure.time_limit_for(dossier.form, dossier.channel).unit,
                          *dossier.due, *dossier.supplement_requested_at, at);
      if (!due) return tl::unexpected(due.error());
      make_event(event, EventKind::kClockResumed, command, dossier.state);
      event.due = *due;
      return true;
    }
    case ClockEffect::kRedate: {
      if (dossier.redated) {
        return deny(ErrorCode::kAlreadyDone, "the due date may be reset only once (Form 04)");
      }
      if (!dossier.due) return deny(ErrorCode::kIllegalAction, "the dossier has no due date yet");
      if (command.reason.empty()) {
        return deny(ErrorCode::kReasonRequired, "an apology states its reason");
      }
      if (!command.new_due) return deny(ErrorCode::kInvalidInput, "an apology gives a new date");
      if (*command.new_due <= *dossier.due) {
        return deny(ErrorCode::kInvalidInput,
                    "the new date must be later than the current due date");
      }
      // Issued at latest `apology_lead` before the deadline: that much working time still lies
      // between now and the due instant.
      auto latest = calendar.add(at, rules.apology_lead);
      if (!latest) return tl::unexpected(latest.error());
      if (*latest > *dossier.due) {
        return deny(ErrorCode::kDeadlinePassed,
                    "an apology is issued at latest " + std::to_string(rules.apology_lead.amount) +
                        " " + std::string(to_string(rules.apology_lead.unit)) +
                        " before the deadline");
      }
      make_event(event, EventKind::kRedated, command, dossier.state);
      event.reason = command.reason;
      event.due = command.new_due;
      return true;
    }
    case ClockEffect::kFinish: {
      make_event(event, EventKind::kFinished, command, dossier.state);
      if (dossier.due) {
        event.verdict = dossier.supplement_requests > rules.supplements_before_late
                            ? Verdict::kLate
                            : verdict_for(calendar, at, *dossier.due);
      }
      return true;
    }
    case ClockEffect::kEnd: {
      make_event(event, EventKind::kFinished, command, dossier.state);
      event.reason = command.reason;
      return true;
    }
  }
  return false;
}

// The open branch task a command addresses: named by command.branch, or the only open branch whose
// action, role and agency match.
const BranchTask* addressed_branch(const State& state, const Dossier& dossier,
                                   const Command& command) {
  for (const BranchTask& task : dossier.branches) {
    if (!command.branch.empty()) {
      if (task.branch == command.branch) return &task;
      continue;
    }
    if (task.completed || task.agency_id != command.actor.agency_id ||
        task.role != command.actor.role) {
      continue;
    }
    for (const Branch& branch : state.branches) {
      if (branch.id == task.branch && branch.action == command.action) return &task;
    }
  }
  return nullptr;
}

// The events of a branch's answer, appended to `events` (empty).
Status decide_branch(const Procedure& procedure, const Calendar& calendar, const Dossier& dossier,
                     const State& state, const BranchTask& task, const Command& command,
                     std::vector<Event>& events) {
  const Branch* branch = nullptr;
  for (const Branch& b : state.branches) {
    if (b.id == task.branch) branch = &b;
  }
  if (branch == nullptr || branch->action != command.action) {
    return deny(ErrorCode::kIllegalAction,
                "branch " + quoted(task.branch) + " has no action " + quoted(command.action));
  }
  if (task.completed) {
    return deny(ErrorCode::kAlreadyDone, "branch " + quoted(task.branch) + " already answered");
  }
  if (command.actor.kind == ActorKind::kSystem) {
    // Silence is consent: once the branch's deadline has passed, the system records the consent.
    if (!branch->silence_is_consent || command.at < task.due) {
      return deny(ErrorCode::kForbidden,
                  "the system answers for branch " + quoted(task.branch) +
                      " only when silence is consent and its deadline has passed");
    }
  } else if (command.actor.role != branch->role || command.actor.agency_id != task.agency_id) {
    return deny(ErrorCode::kForbidden, "branch " + quoted(task.branch) + " belongs to agency " +
                                           quoted(task.agency_id) + ", role " +
                                           quoted(branch->role));
  }

  std::size_t open = 0;
  for (const BranchTask& t : dossier.branches) {
    if (!t.completed && t.branch != task.branch) ++open;
  }
  const State* next = nullptr;
  if (open == 0) {
    next = procedure.state(state.on_complete);
    if (next == nullptr) {
      return fail(ErrorCode::kInvalidDefinition, "parallel state " + quoted(state.id) +
                                                     " completes into unknown state " +
                                                     quoted(state.on_complete));
    }
  }
  events.reserve(open == 0 ? 2 : 1);
  Event& done =
      make_event(events.emplace_back(), EventKind::kBranchCompleted, command, dossier.state);
  done.branch = task.branch;
  done.answer = command.answer;
  done.reason = command.reason;
  done.verdict = verdict_for(calendar, command.at, task.due);
  if (next != nullptr) {
    Event& moved =
        make_event(events.emplace_back(), EventKind::kTransitioned, command, dossier.state);
    moved.verdict = leaving_verdict(calendar, dossier, command.at);
    if (auto entered = enter_state(calendar, dossier.agency_ids, *next, command.at, moved);
        !entered) {
      return entered;
    }
  }
  return {};
}

}  // namespace motcua::engine::rules
