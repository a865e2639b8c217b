#pragma once
// Walkthrough: plans one complete, lawful lifecycle of a procedure from its definition alone, for
// demos, catalogue checks and benchmarks. The plan takes a newly submitted dossier through the
// shortest chain of actions to a final state with status 10 (result returned), or failing that to
// any final state; it passes through a parallel (consultation) state when one lies on a way there,
// answering every branch, and through a transition that issues the result when one does; with
// `supplement` it also requests a supplement once after the clock
// started and receives it. Steps name the role and agency that act; walkthrough_command() turns a
// step into a Command for the dossier at hand (a reason, the first component and the signature
// where the action needs them).
// Pure; thread-safe. Errors: kInvalidDefinition when no final state can be reached.
#include <string>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/procedure.hpp"
#include "engine/state_machine.hpp"

namespace motcua::engine {

struct WalkStep {
  std::string from_state;
  std::string action;
  std::string branch;  // a parallel branch's answer
  std::string role;
  std::string agency;  // Agency::key whose officer acts; empty for the applicant
};

struct WalkOptions {
  bool supplement = false;
};

Result<std::vector<WalkStep>> plan_walkthrough(const Procedure& procedure,
                                               WalkOptions options = {});

// The Command of `step` for `dossier` at `at`; the acting user is "walk-<role>".
Command walkthrough_command(const Procedure& procedure, const Dossier& dossier,
                            const WalkStep& step, Instant at);

// The actor that submits a walkthrough dossier: the applicant.
Actor walkthrough_applicant();

}  // namespace motcua::engine
