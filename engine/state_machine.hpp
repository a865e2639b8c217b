#pragma once
// The pure transition function of a dossier. No I/O, no clock reads, no globals: given the
// procedure version the dossier is pinned to, the working-time calendar, the dossier and a command,
// it returns the events the command produces and the dossier after them, or a precise Error.
// Thread-safe (pure).
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/dossier.hpp"
#include "engine/error.hpp"
#include "engine/legal_rules.hpp"
#include "engine/procedure.hpp"

namespace motcua::engine {

struct Submission {
  std::string code;  // allocated by the caller (store) before submit
  Channel channel = Channel::kOnline;
  // Procedure agency key -> concrete agency id; keys left out use Agency::code.
  std::map<std::string, std::string> agency_ids;
  Instant at{};
  Actor actor;
};

struct Command {
  std::string action;
  std::string branch;                   // for a branch's action in a parallel state
  std::string reason;                   // refusals, supplements, apologies, stops
  std::vector<std::string> components;  // e.g. the components a supplement request asks for
  bool signed_by_actor = false;         // the actor's signature is attached (checked by signing/)
  std::optional<Instant> new_due;       // apology (kRedate)
  std::string answer;                   // a branch's opinion
  Instant at{};
  Actor actor;
};

struct Decision {
  std::vector<Event> events;
  Dossier dossier;  // the input dossier with `events` folded in
};

// Creates a dossier in the procedure's initial state. Errors: kInvalidInput (channel not offered,
// empty code), kForbidden (actor is not the applicant or the receiving desk).
Result<Decision> submit(const Procedure& procedure, const Calendar& calendar,
                        const Submission& submission);

// Applies one command. Errors: kIllegalAction (no such action in this state, dossier finished),
// kForbidden (role or agency), kReasonRequired, kComponentsRequired (missing, or naming a component
// the procedure does not list), kSignatureRequired, kDeadlinePassed, kAlreadyDone, kInvalidInput,
// kOutOfRange (calendar). On error nothing is produced. `rules` are the lifecycle rules in force
// when the dossier was received (LegalRuleBook::in_force): the supplement window a procedure does
// not publish, the apology's lead time, how many supplement requests make a dossier late.
Result<Decision> decide(const Procedure& procedure, const Calendar& calendar,
                        const Dossier& dossier, const Command& command,
                        const LegalRules& rules = built_in_rules());

// As decide(), folding the events into `dossier` itself instead of a copy of it: for callers that
// replace their dossier by the result. On error `dossier` is left exactly as it was.
Result<Decision> decide(const Procedure& procedure, const Calendar& calendar, Dossier&& dossier,
                        const Command& command, const LegalRules& rules = built_in_rules());

// Folds one event into the dossier. Total: never fails, needs neither procedure nor calendar.
Dossier evolve(Dossier dossier, const Event& event);
// The same fold, applied to `dossier` where it is.
void evolve_in_place(Dossier& dossier, const Event& event);

// Actions the actor may perform now (for work queues and UIs).
std::vector<std::string> available_actions(const Procedure& procedure, const Dossier& dossier,
                                           const Actor& actor);

}  // namespace motcua::engine
