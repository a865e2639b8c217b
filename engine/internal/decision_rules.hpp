#pragma once
// The rules decide() and submit() apply (engine/state_machine.cpp), one function each: who may act,
// which components a transition concerns, entering a state, the clock events of a transition,
// and the answers of parallel branches. Private to engine/; pure functions.
#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/dossier.hpp"
#include "engine/error.hpp"
#include "engine/legal_rules.hpp"
#include "engine/procedure.hpp"
#include "engine/state_machine.hpp"

namespace motcua::engine::rules {

inline bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

// Linear scan: agency maps hold a handful of keys, and a string_view needs no allocation.
inline const std::string* agency_id_of(const std::map<std::string, std::string>& ids,
                                       std::string_view key) {
  for (const auto& [k, v] : ids) {
    if (k == key) return &v;
  }
  return nullptr;
}

inline std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// The agency key whose officers act in `state`: its owner, or the receiving desk for states the
// applicant owns (e.g. waiting for a supplement).
std::string_view acting_agency(const Procedure& procedure, const State& state);

Status check_actor(const Procedure& procedure, const Dossier& dossier, const State& state,
                   const std::vector<std::string>& roles, const Actor& actor,
                   std::string_view action);

Status check_components(const Procedure& procedure, const Transition& transition,
                        const std::vector<std::string>& components);

// Fills the fields every event of a command carries; `event` is freshly constructed.
Event& make_event(Event& event, EventKind kind, const Command& command,
                  std::string_view from_state);

// Fills the fields of `event` that describe entering `state` at `at`: status, owning agency,
// step budget and, for a parallel state, one task per branch.
Status enter_state(const Calendar& calendar, const std::map<std::string, std::string>& agency_ids,
                   const State& state, Instant at, Event& event);

// The verdict of the control-slip row left at `at` (kNone without a budget).
Verdict leaving_verdict(const Calendar& calendar, const Dossier& dossier, Instant at);

Status check_pinned(const Procedure& procedure, const Dossier& dossier);

// The clock event of transition `t`, checked against the dossier before anything is produced, and
// written into `event` (freshly constructed). Returns false when the transition has no clock
// effect.
Result<bool> clock_event(const Procedure& procedure, const Calendar& calendar,
                         const LegalRules& rules, const Dossier& dossier, const Transition& t,
                         const Command& command, Event& event);

// The open branch task a command addresses: named by command.branch, or the only open branch whose
// action, role and agency match.
const BranchTask* addressed_branch(const State& state, const Dossier& dossier,
                                   const Command& command);

// The events of a branch's answer, appended to `events` (empty).
Status decide_branch(const Procedure& procedure, const Calendar& calendar, const Dossier& dossier,
                     const State& state, const BranchTask& task, const Command& command,
                     std::vector<Event>& events);

}  // namespace motcua::engine::rules
