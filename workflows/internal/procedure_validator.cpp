#include "workflows/internal/procedure_validator.hpp"

#include <algorithm>

#include "workflows/internal/procedure_checker.hpp"

namespace motcua::workflows {
namespace checks {

void Checker::check_identity() {
  if (!p_.online.full && p_.online.partial_reason.empty())
    error(lines_.online,
          "a partial-online procedure must publish its reason and legal basis in <reason>");
  // Unknown and per-page fees are fees too: only a fixed 0 is free.
  const bool fee_due = std::any_of(p_.fees.begin(), p_.fees.end(), [](const engine::Fee& f) {
    return f.kind != engine::FeeKind::kFixed || f.amount_vnd > 0;
  });
  if (p_.online.level == 4 && fee_due && !p_.payment.online)
    error(lines_.payment ? lines_.payment : lines_.online,
          "a level 4 procedure with a fee must offer online payment (<payment online=\"true\"/>)");
  if (p_.payment.at != "submission" && !p_.payment.at.empty() && p_.state(p_.payment.at) == nullptr)
    error(lines_.payment, "payment is collected at '" + p_.payment.at +
                              "', which is neither 'submission' nor a declared state");
  if (p_.results.empty())
    error(lines_.results_element ? lines_.results_element : lines_.procedure,
          "the procedure issues no result: declare one in <results>");
  for (std::size_t i = 0; i < p_.results.size(); ++i) {
    if (!has_role(p_.results[i].signer_role))
      error(at(lines_.results, i), "result '" + p_.results[i].id + "' is signed by role '" +
                                       p_.results[i].signer_role + "', which is not declared");
  }
  if (!has_agency(p_.receiving_agency))
    error(lines_.agencies_element,
          "the receiving agency '" + p_.receiving_agency + "' is not declared");
  static const std::regex kAgencyId(R"([0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2})");
  for (std::size_t i = 0; i < p_.agencies.size(); ++i) {
    const engine::Agency& a = p_.agencies[i];
    if (!a.code.empty() && !std::regex_match(a.code, kAgencyId))
      error(at(lines_.agencies, i), "agency '" + a.key + "' has code '" + a.code +
                                        "', which is not a QCVN 102 agency id such as "
                                        "000.00.14.H20 or 000.00.00.G12");
  }
  std::set<engine::Channel> seen;
  for (engine::Channel c : p_.channels) {
    if (!seen.insert(c).second)
      error(lines_.channels, "channel '" + std::string(engine::to_string(c)) + "' is listed twice");
  }
  for (const auto& [channel, limit] : p_.time_limit.by_channel) {
    auto line = lines_.channel_limits.find(channel);
    if (!offers(channel))
      error(line == lines_.channel_limits.end() ? lines_.time_limit : line->second,
            "a time limit is given for channel '" + std::string(engine::to_string(channel)) +
                "', which the procedure does not offer");
  }
  for (std::size_t i = 0; i < p_.fees.size(); ++i) {
    if (p_.fees[i].channel && !offers(*p_.fees[i].channel))
      error(at(lines_.fees, i), "fee '" + p_.fees[i].id + "' applies to channel '" +
                                    std::string(engine::to_string(*p_.fees[i].channel)) +
                                    "', which the procedure does not offer");
  }
  if (p_.time_limit.total.amount == 0 && !p_.time_limit.same_day_cutoff)
    error(lines_.time_limit, "a total time limit of 0 needs a same-day cutoff (the 15:00 rule)");
}

void Checker::check_ids() {
  unique(p_.agencies, &engine::Agency::key, lines_.agencies, "agency");
  unique(p_.roles, &engine::Role::id, lines_.roles, "role");
  unique(p_.fields, &engine::Field::id, lines_.fields, "field");
  unique(p_.components, &engine::Component::id, lines_.components, "component");
  unique(p_.fees, &engine::Fee::id, lines_.fees, "fee");
  unique(p_.results, &engine::ResultDocument::id, lines_.results, "result");
  std::vector<int> state_lines;
  for (const State& s : p_.states) state_lines.push_back(s.line);
  unique(p_.states, &State::id, state_lines, "state");
  for (const State& s : p_.states) {
    std::vector<int> branch_lines;
    for (const engine::Branch& b : s.branches) branch_lines.push_back(b.line);
    unique(s.branches, &engine::Branch::id, branch_lines, "branch");
  }
  std::set<std::pair<std::string, std::string>> actions;  // (from, action)
  for (const Transition& t : p_.transitions) {
    for (const std::string& from : t.from) {
      if (!actions.insert({from, t.action}).second)
        error(t.line, "duplicate action '" + t.action + "' in state '" + from + "'");
    }
  }
}

void Checker::check_fields() {
  for (std::size_t i = 0; i < p_.fields.size(); ++i) {
    const engine::Field& f = p_.fields[i];
    const int line = at(lines_.fields, i);
    const bool is_enum = f.type == engine::FieldType::kEnum;
    if (is_enum && f.options.empty()) error(line, "enum field '" + f.id + "' has no <option>");
    if (!is_enum && !f.options.empty())
      error(line, "field '" + f.id + "' has options but is not of type enum");
    if (f.type == engine::FieldType::kPersonalId && f.pattern.empty())
      error(line, "personal-id field '" + f.id + "' needs a pattern such as ^[0-9]{12}$");
    // libstdc++ 12 reads a repeat count {n} into a long without an overflow check (undefined
    // behaviour from 19 digits; fuzz/procedure_definition found it): a pattern with a number of
    // more than 9 digits never reaches std::regex. No real pattern needs one.
    const bool long_number =
        std::search_n(f.pattern.begin(), f.pattern.end(), 10, 0,
                      [](char c, int) { return c >= '0' && c <= '9'; }) != f.pattern.end();
    if (long_number) {
      error(line, "field '" + f.id + "' has a pattern with a number of more than 9 digits");
    } else if (!f.pattern.empty()) {
      try {
        std::regex compiled(f.pattern, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        error(line, "field '" + f.id + "' has a pattern that is not a valid regular expression");
      }
    }
    if (f.min && f.max && *f.min > *f.max)
      error(line, "field '" + f.id + "' has min greater than max");
  }
}

void Checker::check_budget_fits(int line, const std::string& what, const engine::Duration& budget) {
  if (nominal_minutes(budget) > nominal_minutes(p_.time_limit.total))
    error(line, what + " has a budget of " + describe(budget) +
                    ", more than the total time limit of " + describe(p_.time_limit.total));
}

void Checker::check_states() {
  const State* initial = p_.state(p_.initial_state);
  if (initial == nullptr)
    error(lines_.states_element, "the initial state '" + p_.initial_state + "' is not declared");
  else if (initial->status != StatusCode::kSubmitted)
    error(initial->line, "the initial state '" + initial->id + "' must have status 1 (submitted)");
  const engine::Agency* receiving = p_.agency(p_.receiving_agency);
  for (const State& s : p_.states) {
    const std::string name = "state '" + s.id + "'";
    const int status = status_number(s);
    if (status < 1 || status > 10)
      error(s.line, name + " has status " + std::to_string(status) +
                        ", which is not a national status code (1 to 10)");
    if (s.kind == StateKind::kFinal &&
        !(status == 3 || status == 7 || status == 8 || status == 9 || status == 10))
      error(s.line, "final " + name + " must have status 3, 7, 8, 9 or 10");
    if (!s.agency.empty() && !has_agency(s.agency))
      error(s.line, name + " names agency '" + s.agency + "', which is not declared");
    if (!s.role.empty() && !has_role(s.role))
      error(s.line, name + " names role '" + s.role + "', which is not declared");
    if (s.kind == StateKind::kTask && s.agency.empty() && s.role != engine::kApplicantRole)
      error(s.line, name + " is owned by role '" + s.role + "' but names no agency");
    if (s.budget) check_budget_fits(s.line, name, *s.budget);
    if (s.cross_level) {
      const engine::Agency* owner = p_.agency(s.agency);
      if (owner == nullptr)
        error(s.line, "cross-level " + name + " must name the agency it is forwarded to");
      else if (receiving != nullptr && owner->level == receiving->level)
        error(s.line, name + " is cross-level but agency '" + owner->key +
                          "' is at the same level (" + owner->level + ") as the receiving agency");
    }
    if (s.kind != StateKind::kParallel) continue;
    if (s.branches.empty()) error(s.line, "parallel " + name + " has no <branch>");
    if (p_.state(s.on_complete) == nullptr)
      error(s.line, name + " continues on completion to '" + s.on_complete +
                        "', which is not a declared state");
    for (const engine::Branch& b : s.branches) {
      const std::string bname = "branch '" + b.id + "' of " + name;
      if (!has_agency(b.agency))
        error(b.line, bname + " names agency '" + b.agency + "', which is not declared");
      if (!has_role(b.role))
        error(b.line, bname + " names role '" + b.role + "', which is not declared");
      check_budget_fits(b.line, bname, b.budget);
      if (p_.transition(s.id, b.action) != nullptr)
        error(b.line, bname + " completes with action '" + b.action +
                          "', which a transition of the state also uses");
    }
  }
}

}  // namespace checks

std::int64_t nominal_minutes(const engine::Duration& duration) {
  switch (duration.unit) {
    case engine::DurationUnit::kWorkingHours:
      return duration.amount * 60;
    case engine::DurationUnit::kWorkingDays:
    case engine::DurationUnit::kCalendarDays:
      return duration.amount * 8 * 60;
  }
  return duration.amount * 8 * 60;
}

Diagnostics validate_procedure(const engine::Procedure& procedure, const SourceLines& lines) {
  return checks::Checker(procedure, lines).run();
}

}  // namespace motcua::workflows
