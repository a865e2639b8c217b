// submit(), decide() and available_actions(): the checks of the lifecycle rules (DOMAIN.md) in a
// fixed order (state, role and agency, reason, components, signature, clock), then the events.
// decide() copies the input dossier once and folds each event into that copy with evolve(), so the
// returned dossier is by construction the fold of the returned events. Events are built where they
// end up (in the Decision's vector): an Event is two dozen members, and moving it is not free.
#include "engine/state_machine.hpp"

#include <algorithm>
#include <utility>

#include "engine/internal/deadlines.hpp"
#include "engine/internal/decision_rules.hpp"

namespace motcua::engine {

using namespace rules;

Result<Decision> submit(const Procedure& procedure, const Calendar& calendar,
                        const Submission& submission) {
  if (submission.code.empty()) return deny(ErrorCode::kInvalidInput, "the dossier code is empty");
  if (std::find(procedure.channels.begin(), procedure.channels.end(), submission.channel) ==
      procedure.channels.end()) {
    return deny(ErrorCode::kInvalidInput,
                "procedure " + procedure.code + " is not offered on the " +
                    std::string(to_string(submission.channel)) + " channel");
  }
  const State* initial = procedure.state(procedure.initial_state);
  if (initial == nullptr) {
    return fail(
        ErrorCode::kInvalidDefinition,
        "procedure " + procedure.code + " has no initial state " + quoted(procedure.initial_state));
  }

  std::map<std::string, std::string> ids;
  for (const auto& [key, id] : submission.agency_ids) {
    if (procedure.agency(key) == nullptr) {
      return deny(ErrorCode::kInvalidInput,
                  "procedure " + procedure.code + " has no agency " + quoted(key));
    }
    if (id.empty())
      return deny(ErrorCode::kInvalidInput, "agency " + quoted(key) + " has an empty id");
    ids.emplace_hint(ids.end(), key, id);  // the submission's map is sorted already
  }
  for (const Agency& agency : procedure.agencies) {
    if (!agency.code.empty()) ids.emplace(agency.key, agency.code);  // keeps an override
  }
  std::string_view checked;  // states and branches mostly repeat the key checked just before
  auto require_id = [&](std::string_view key) -> Status {
    if (key.empty() || key == checked) return {};
    if (agency_id_of(ids, key) != nullptr) return checked = key, Status{};
    return deny(ErrorCode::kInvalidInput,
                "no agency id for " + quoted(key) + ": give one in the submission");
  };
  if (auto ok = require_id(procedure.receiving_agency); !ok) return tl::unexpected(ok.error());
  for (const State& state : procedure.states) {
    if (auto ok = require_id(state.agency); !ok) return tl::unexpected(ok.error());
    for (const Branch& branch : state.branches) {
      if (auto ok = require_id(branch.agency); !ok) return tl::unexpected(ok.error());
    }
  }

  const Actor& actor = submission.actor;
  if (actor.kind == ActorKind::kApplicant) {
    if (actor.role != kApplicantRole) {
      return deny(ErrorCode::kForbidden, "the applicant submits in the applicant role");
    }
  } else if (actor.kind == ActorKind::kOfficer) {
    const std::string* desk = agency_id_of(ids, procedure.receiving_agency);
    const bool right_role =
        initial->role.empty() || initial->role == kApplicantRole
            ? (procedure.role(actor.role) != nullptr && actor.role != kApplicantRole)
            : actor.role == initial->role;
    if (desk == nullptr || *desk != actor.agency_id || !right_role) {
      return deny(ErrorCode::kForbidden,
                  "only the applicant or a desk officer of the receiving agency submits");
    }
  } else {
    return deny(ErrorCode::kForbidden, "the system does not submit dossiers");
  }

  Result<Decision> decision(tl::in_place);
  Event& event = decision->events.emplace_back();
  event.kind = EventKind::kSubmitted;
  event.at = submission.at;
  event.actor = actor;
  event.code = submission.code;
  event.procedure_code = procedure.code;
  event.procedure_version = procedure.version;
  event.procedure_hash = procedure.source_hash;
  event.channel = submission.channel;
  event.agency_ids = std::move(ids);
  if (auto entered = enter_state(calendar, event.agency_ids, *initial, submission.at, event);
      !entered) {
    return tl::unexpected(entered.error());
  }
  evolve_in_place(decision->dossier, event);
  return decision;
}

namespace {

// Every check of decide(), then its events appended to `events` (empty); the dossier is only read.
Status decide_events(const Procedure& procedure, const Calendar& calendar, const Dossier& dossier,
                     const Command& command, const LegalRules& rules, std::vector<Event>& events) {
  if (auto pinned = check_pinned(procedure, dossier); !pinned) {
    return tl::unexpected(pinned.error());
  }
  const State* current = procedure.state(dossier.state);
  if (current == nullptr) {
    return fail(ErrorCode::kInvalidDefinition,
                "state " + quoted(dossier.state) + " is not in procedure " + procedure.code);
  }
  if (current->kind == StateKind::kFinal) {
    return deny(ErrorCode::kIllegalAction,
                "dossier " + dossier.code + " is in final state " + quoted(current->id));
  }
  if (current->kind == StateKind::kParallel) {
    if (const BranchTask* task = addressed_branch(*current, dossier, command)) {
      if (dossier.finished_at) {
        return deny(ErrorCode::kIllegalAction, "dossier " + dossier.code + " is finished");
      }
      return decide_branch(procedure, calendar, dossier, *current, *task, command, events);
    }
    if (!command.branch.empty()) {
      return deny(ErrorCode::kIllegalAction, "no open branch " + quoted(command.branch));
    }
  }
  const Transition* t = procedure.transition(dossier.state, command.action);
  if (t == nullptr) {
    return fail(
        ErrorCode::kIllegalAction,
        "action " + quoted(command.action) + " is not available in state " + quoted(dossier.state));
  }
  // Once the clock has stopped for good only actions without a clock effect (handing the result
  // over) remain; anything else would change a closed record.
  if (dossier.finished_at && t->clock != ClockEffect::kNone) {
    return deny(ErrorCode::kIllegalAction, "dossier " + dossier.code + " is finished");
  }
  if (auto ok = check_actor(procedure, dossier, *current, t->roles, command.actor, t->action);
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (t->requires_reason && command.reason.empty()) {
    return deny(ErrorCode::kReasonRequired, "action " + quoted(t->action) + " needs a reason");
  }
  if (auto ok = check_components(procedure, *t, command.components); !ok) {
    return tl::unexpected(ok.error());
  }
  if (t->requires_signature && !command.signed_by_actor) {
    return deny(ErrorCode::kSignatureRequired,
                "action " + quoted(t->action) + " needs the actor's digital signature");
  }
  // The transition's event comes first, then its clock event (every effect but kNone has one),
  // which is checked first.
  events.resize(t->clock == ClockEffect::kNone ? 1 : 2);
  if (t->clock != ClockEffect::kNone) {
    auto clock = clock_event(procedure, calendar, rules, dossier, *t, command, events[1]);
    if (!clock) return tl::unexpected(clock.error());
    if (!*clock) events.pop_back();
  }

  Event& moved = make_event(events[0], EventKind::kTransitioned, command, dossier.state);
  moved.reason = command.reason;
  moved.components = command.components;
  moved.issues_result = t->issues_result;
  if (!t->to.empty()) {
    const State* next = procedure.state(t->to);
    if (next == nullptr) {
      return fail(ErrorCode::kInvalidDefinition,
                  "action " + quoted(t->action) + " leads to unknown state " + quoted(t->to));
    }
    moved.verdict = leaving_verdict(calendar, dossier, command.at);
    if (auto entered = enter_state(calendar, dossier.agency_ids, *next, command.at, moved);
        !entered) {
      return entered;
    }
  }
  return {};
}

}  // namespace

Result<Decision> decide(const Procedure& procedure, const Calendar& calendar,
                        const Dossier& dossier, const Command& command, const LegalRules& rules) {
  // One named result returned on every path, so it is constructed where the caller wants it.
  Result<Decision> decision(tl::in_place);
  if (auto ok = decide_events(procedure, calendar, dossier, command, rules, decision->events);
      !ok) {
    decision = tl::unexpected(std::move(ok.error()));
    return decision;
  }
  // The one copy. Copy-assigning keeps the capacity reserved here, so the slip rows the events
  // open are not followed by a reallocation of the whole control slip.
  decision->dossier.slip.reserve(dossier.slip.size() + decision->events.size());
  decision->dossier = dossier;
  for (const Event& event : decision->events) evolve_in_place(decision->dossier, event);
  return decision;
}

Result<Decision> decide(const Procedure& procedure, const Calendar& calendar, Dossier&& dossier,
                        const Command& command, const LegalRules& rules) {
  // One named result returned on every path, so it is constructed where the caller wants it.
  Result<Decision> decision(tl::in_place);
  if (auto ok = decide_events(procedure, calendar, dossier, command, rules, decision->events);
      !ok) {
    decision = tl::unexpected(std::move(ok.error()));
    return decision;
  }
  decision->dossier = std::move(dossier);
  for (const Event& event : decision->events) evolve_in_place(decision->dossier, event);
  return decision;
}

std::vector<std::string> available_actions(const Procedure& procedure, const Dossier& dossier,
                                           const Actor& actor) {
  std::vector<std::string> actions;
  const State* current = procedure.state(dossier.state);
  if (current == nullptr || current->kind == StateKind::kFinal) return actions;
  if (dossier.procedure_code != procedure.code || dossier.procedure_version != procedure.version) {
    return actions;
  }
  auto add = [&](const std::string& action) {
    if (!contains(actions, action)) actions.push_back(action);
  };
  if (current->kind == StateKind::kParallel && !dossier.finished_at) {
    for (const BranchTask& task : dossier.branches) {
      if (task.completed) continue;
      for (const Branch& branch : current->branches) {
        if (branch.id != task.branch) continue;
        // The system's silence-is-consent answer depends on the time: not listed here.
        if (actor.kind == ActorKind::kOfficer && actor.role == branch.role &&
            actor.agency_id == task.agency_id) {
          add(branch.action);
        }
      }
    }
  }
  for (const Transition& t : procedure.transitions) {
    if (!contains(t.from, dossier.state)) continue;
    if (dossier.finished_at && t.clock != ClockEffect::kNone) continue;
    if (t.clock == ClockEffect::kRedate && dossier.redated) continue;
    if (t.clock == ClockEffect::kSupplementReceived && !dossier.supplement_requested_at) continue;
    if (t.clock == ClockEffect::kSupplementRequest && dossier.supplement_requested_at) continue;
    if (check_actor(procedure, dossier, *current, t.roles, actor, t.action)) add(t.action);
  }
  return actions;
}

}  // namespace motcua::engine
