#pragma once
// Semantic validation of a procedure definition: everything the XSD cannot say. Collects EVERY
// problem (file, line and a plain message each), not just the first; an empty result means valid.
// Pure and thread-safe.
//
// Rules (each has a test in tests/workflows/procedure_validator_test.cpp):
//  identity   partial online needs a reason; level 4 with a fee > 0 needs online payment; at least
//             one result, signed by a declared role, and some transition that issues it; agency ids
//             in the QCVN 102 format (000.00.14.H20, 000.00.00.G12); declared receiving agency;
//             per-channel limits and fees only for offered channels; a zero total needs the 15:00
//             rule.
//  ids        no duplicate agency, role, field, component, fee, result, state or branch ids (branch
//             ids within their state), nor two transitions with one action in the same from-state.
//  references every state, transition target/source, on-complete and the initial state exist; every
//             role, agency (states, branches) and component a transition names is declared (and
//             such a transition requires components); payment "at" is "submission" or a state.
//  graph      every state is reachable from the initial state (through transitions and
//  on-complete);
//             every state can reach a final state; a final state has no outgoing transition; a
//             parallel state has branches; a cross-level state is owned by an agency whose level
//             differs from the receiving agency's.
//  transitions issuing the result needs requires-signature and the signer role; clock effects make
//             sense: start only from status-1 states into a processing state; supplement-request
//             into a status-5 state and requires components; supplement-received from status-5
//             states; redate stays in place and requires a reason; finish lands in status 9/10 and,
//             when it issues no result (a refusal), requires a reason; end lands in a final 3/7/8
//             state; entering a 3 (refused) or 8 (stopped) state requires a reason.
//  statuses   1..10; the initial state has status 1; final states have 3, 7, 8, 9 or 10.
//  fields     enum has options (and only enum has); personal-id has a pattern; patterns compile as
//             ECMAScript; min <= max.
//  online     levels 3 and 4 need the online channel (a desk-only procedure is level 2); level 2
//             has no online channel and is not full online (procedure_money_checks.cpp).
//  fees       fixed: no per-page attributes; unknown: <unknown vi en> and no amount (never 0 VND);
//             per-page: page-vnd or first-page-vnd, first-pages with first-page-vnd, a declared
//             number pages-field (and copies-field); exemptions name a declared field and, for an
//             enum, one of its options. Unknown and per-page fees count as fees for level 4.
//  field limit the field is a declared enum; every case value is one of its options, once; each
//             case in the total's unit and at most the total; exhaustive = a case per option and
//             a required field; not together with per-channel limits.
//  budgets    each state's budget and each branch's budget is at most the total; along every simple
//             path from the initial state to a final state, the sum of the states' budgets is at
//             most the total. A parallel state without its own budget counts as its longest branch.
//             Durations compare in working minutes (working day = 8 h). When units agree the
//             comparison is exact. Mixed units compare nominally, a calendar day counting as one
//             working day: N working days never fit in fewer than N calendar days, so this rejects
//             every budget that can never fit, and accepts budgets that fit only when no weekend or
//             holiday intervenes (the engine's deadline arithmetic still applies at run time).
#include <cstdint>
#include <map>
#include <vector>

#include "engine/procedure.hpp"
#include "workflows/diagnostic.hpp"

namespace motcua::workflows {

// Lines of the definition elements that carry no `line` in engine::Procedure. The vectors run
// parallel to the Procedure's (agencies[i] at agencies[i], ...); missing entries mean line 0.
struct SourceLines {
  int procedure = 0;
  int online = 0;
  int channels = 0;
  int agencies_element = 0;
  int payment = 0;
  int time_limit = 0;
  int field_limit = 0;
  int states_element = 0;
  int results_element = 0;
  std::vector<int> agencies, roles, fields, components, fees, results;
  std::map<engine::Channel, int> channel_limits;
};

Diagnostics validate_procedure(const engine::Procedure& procedure, const SourceLines& lines = {});

// Working minutes of a duration, nominally (a calendar day = one working day = 480 minutes).
std::int64_t nominal_minutes(const engine::Duration& duration);

}  // namespace motcua::workflows
