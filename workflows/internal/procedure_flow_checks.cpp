// The flow rules of a procedure definition: transitions, clock effects, the state graph and the
// step budgets (see procedure_checker.hpp).
#include "workflows/internal/procedure_checker.hpp"

namespace motcua::workflows::checks {

void Checker::check_clock(const Transition& t, const std::vector<const State*>& from,
                          const State* to) {
  const std::string name = "transition '" + t.action + "'";
  auto all_from = [&](auto pred) { return std::all_of(from.begin(), from.end(), pred); };
  const int to_status = to == nullptr ? 0 : status_number(*to);
  switch (t.clock) {
    case ClockEffect::kNone:
      break;
    case ClockEffect::kStart:
      if (!all_from([](const State* s) { return s->status == StatusCode::kSubmitted; }))
        error(t.line,
              name + " starts the clock but leaves a state that is not status 1 (submitted)");
      if (to == nullptr || to->kind == StateKind::kFinal || !(to_status == 2 || to_status == 4))
        error(t.line,
              name +
                  " starts the clock but does not lead to an accepted (2) or processing (4) state");
      break;
    case ClockEffect::kSupplementRequest:
      if (to == nullptr || to->status != StatusCode::kSupplementRequested)
        error(t.line, name + " requests a supplement but does not lead to a status 5 state");
      if (!t.requires_components)
        error(t.line, name +
                          " requests a supplement and must list the missing components "
                          "(requires-components)");
      break;
    case ClockEffect::kSupplementReceived:
      if (!all_from([](const State* s) { return s->status == StatusCode::kSupplementRequested; }))
        error(t.line, name + " receives a supplement but leaves a state that is not status 5");
      if (to == nullptr || to->kind == StateKind::kFinal || to_status == 5)
        error(t.line, name + " receives a supplement but does not lead back to processing");
      break;
    case ClockEffect::kRedate:
      if (!t.to.empty() && !all_from([&](const State* s) { return s->id == t.to; }))
        error(t.line, name + " sets a new date and must stay in its state (leave 'to' out)");
      if (!t.requires_reason) error(t.line, name + " sets a new date and must require a reason");
      break;
    case ClockEffect::kFinish:
      if (to == nullptr || !(to_status == 9 || to_status == 10))
        error(t.line, name + " finishes the dossier but does not lead to a status 9 or 10 state");
      if (!t.issues_result && !t.requires_reason)
        error(t.line,
              name + " finishes without issuing the result (a refusal) and must require a reason");
      break;
    case ClockEffect::kEnd:
      if (to == nullptr || to->kind != StateKind::kFinal ||
          !(to_status == 3 || to_status == 7 || to_status == 8))
        error(t.line,
              name + " ends the dossier but does not lead to a final state with status 3, 7 or 8");
      break;
  }
  if (to != nullptr &&
      (to->status == StatusCode::kRefusedAtIntake || to->status == StatusCode::kStopped) &&
      !t.requires_reason)
    error(t.line, name + " leads to '" + to->id + "' (status " + std::to_string(to_status) +
                      ") and must require a reason");
}

void Checker::check_transitions() {
  bool any_issues_result = false;
  for (const Transition& t : p_.transitions) {
    const std::string name = "transition '" + t.action + "'";
    std::vector<const State*> from;
    for (const std::string& id : t.from) {
      const State* s = p_.state(id);
      if (s == nullptr)
        error(t.line, name + " starts from '" + id + "', which is not a declared state");
      else if (s->kind == StateKind::kFinal)
        error(t.line,
              name + " leaves final state '" + id + "'; final states have no outgoing transitions");
      else
        from.push_back(s);
    }
    const State* to = t.to.empty() ? nullptr : p_.state(t.to);
    if (!t.to.empty() && to == nullptr)
      error(t.line, name + " leads to '" + t.to + "', which is not a declared state");
    for (const std::string& role : t.roles) {
      if (!has_role(role))
        error(t.line, name + " allows role '" + role + "', which is not declared");
    }
    for (const std::string& component : t.components) {
      if (p_.component(component) == nullptr)
        error(t.line, name + " names component '" + component + "', which is not declared");
    }
    if (!t.components.empty() && !t.requires_components)
      error(t.line, name + " names components but does not require them (requires-components)");
    if (t.issues_result) {
      any_issues_result = true;
      if (!t.requires_signature)
        error(t.line,
              name + " issues the result and must require a signature (requires-signature)");
      for (const engine::ResultDocument& r : p_.results) {
        if (std::find(t.roles.begin(), t.roles.end(), r.signer_role) == t.roles.end())
          error(t.line, name + " issues result '" + r.id + "', signed by role '" + r.signer_role +
                            "', which may not perform it");
      }
    }
    if (t.to.empty() && t.clock != ClockEffect::kRedate && t.clock != ClockEffect::kNone)
      error(t.line, name + " stays in place, which only makes sense with clock none or redate");
    else
      check_clock(t, from, t.to.empty() ? (from.empty() ? nullptr : from.front()) : to);
  }
  if (!p_.results.empty() && !any_issues_result)
    error(lines_.results_element, "no transition issues the result (issues-result=\"true\")");
}

std::map<std::string, std::set<std::string>> Checker::edges() const {
  std::map<std::string, std::set<std::string>> next;
  for (const State& s : p_.states) {
    next[s.id];
    if (s.kind == StateKind::kParallel && p_.state(s.on_complete)) next[s.id].insert(s.on_complete);
  }
  for (const Transition& t : p_.transitions) {
    if (t.to.empty() || p_.state(t.to) == nullptr) continue;
    for (const std::string& from : t.from) {
      if (p_.state(from) != nullptr) next[from].insert(t.to);
    }
  }
  return next;
}

void Checker::check_graph() {
  const auto next = edges();
  if (std::none_of(p_.states.begin(), p_.states.end(),
                   [](const State& s) { return s.kind == StateKind::kFinal; }))
    error(lines_.states_element, "the procedure has no final state");
  std::set<std::string> reached;
  std::vector<std::string> todo;
  if (p_.state(p_.initial_state) != nullptr) todo.push_back(p_.initial_state);
  while (!todo.empty()) {
    std::string id = todo.back();
    todo.pop_back();
    if (!reached.insert(id).second) continue;
    for (const std::string& n : next.at(id)) todo.push_back(n);
  }
  std::set<std::string> ends;  // states from which some final state is reachable
  for (const State& s : p_.states) {
    if (s.kind == StateKind::kFinal) ends.insert(s.id);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [id, successors] : next) {
      if (ends.count(id)) continue;
      if (std::any_of(successors.begin(), successors.end(),
                      [&](const std::string& n) { return ends.count(n) > 0; })) {
        ends.insert(id);
        grew = true;
      }
    }
  }
  for (const State& s : p_.states) {
    if (p_.state(p_.initial_state) != nullptr && !reached.count(s.id))
      error(s.line, "state '" + s.id + "' cannot be reached from the initial state '" +
                        p_.initial_state + "'");
    if (!ends.count(s.id)) error(s.line, "state '" + s.id + "' can never reach a final state");
  }
}

std::int64_t Checker::cost(const State& s) const {
  if (s.budget) return nominal_minutes(*s.budget);
  std::int64_t longest = 0;
  for (const engine::Branch& b : s.branches) longest = std::max(longest, nominal_minutes(b.budget));
  return longest;
}

void Checker::check_budgets() {
  const State* initial = p_.state(p_.initial_state);
  if (initial == nullptr) return;
  const auto next = edges();
  const std::int64_t total = nominal_minutes(p_.time_limit.total);
  std::vector<std::string> path;
  std::set<std::string> on_path;
  std::size_t steps = 0;
  bool reported = false;
  std::function<void(const State&, std::int64_t)> walk = [&](const State& s, std::int64_t sum) {
    if (reported || ++steps > kMaxPathSteps) return;
    sum += cost(s);
    path.push_back(s.id);
    on_path.insert(s.id);
    if (s.kind == StateKind::kFinal && sum > total) {
      error(lines_.time_limit, "the step budgets along " + join(path, " -> ") +
                                   " add up to more than the total time limit of " +
                                   describe(p_.time_limit.total));
      reported = true;
    }
    for (const std::string& n : next.at(s.id)) {
      if (!on_path.count(n)) walk(*p_.state(n), sum);
    }
    on_path.erase(s.id);
    path.pop_back();
  };
  walk(*initial, 0);
  if (steps > kMaxPathSteps)
    error(lines_.states_element, "the state graph has too many paths to check the step budgets");
}

}  // namespace motcua::workflows::checks
