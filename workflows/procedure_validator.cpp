#include "workflows/procedure_validator.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace motcua::workflows {
namespace {

using engine::ClockEffect;
using engine::Procedure;
using engine::State;
using engine::StateKind;
using engine::StatusCode;
using engine::Transition;

// Simple paths examined by the budget rule before it gives up (definitions have a few dozen states;
// a graph that needs more is reported rather than searched for minutes).
constexpr std::size_t kMaxPathSteps = 200'000;

int status_number(const State& s) { return static_cast<int>(s.status); }

std::string describe(const engine::Duration& d) {
  return std::to_string(d.amount) + " " + std::string(engine::to_string(d.unit));
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

class Checker {
 public:
  Checker(const Procedure& p, const SourceLines& lines) : p_(p), lines_(lines) {}

  Diagnostics run() {
    check_identity();
    check_ids();
    check_fields();
    check_states();
    check_transitions();
    check_graph();
    check_budgets();
    std::stable_sort(out_.begin(), out_.end(),
                     [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    return std::move(out_);
  }

 private:
  void error(int line, std::string message) {
    out_.push_back({p_.source_path, line, std::move(message)});
  }
  static int at(const std::vector<int>& lines, std::size_t i) {
    return i < lines.size() ? lines[i] : 0;
  }
  bool has_role(const std::string& id) const { return p_.role(id) != nullptr; }
  bool has_agency(const std::string& key) const { return p_.agency(key) != nullptr; }
  bool offers(engine::Channel c) const {
    return std::find(p_.channels.begin(), p_.channels.end(), c) != p_.channels.end();
  }

  void check_identity() {
    if (!p_.online.full && p_.online.partial_reason.empty())
      error(lines_.online,
            "a partial-online procedure must publish its reason and legal basis in <reason>");
    const bool fee_due = std::any_of(p_.fees.begin(), p_.fees.end(),
                                     [](const engine::Fee& f) { return f.amount_vnd > 0; });
    if (p_.online.level == 4 && fee_due && !p_.payment.online)
      error(
          lines_.payment ? lines_.payment : lines_.online,
          "a level 4 procedure with a fee must offer online payment (<payment online=\"true\"/>)");
    if (p_.payment.at != "submission" && !p_.payment.at.empty() &&
        p_.state(p_.payment.at) == nullptr)
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
        error(lines_.channels,
              "channel '" + std::string(engine::to_string(c)) + "' is listed twice");
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

  template <class T>
  void unique(const std::vector<T>& items, std::string T::*id, const std::vector<int>& lines,
              const char* kind) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!seen.insert(items[i].*id).second)
        error(at(lines, i), std::string("duplicate ") + kind + " id '" + items[i].*id + "'");
    }
  }

  void check_ids() {
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

  void check_fields() {
    for (std::size_t i = 0; i < p_.fields.size(); ++i) {
      const engine::Field& f = p_.fields[i];
      const int line = at(lines_.fields, i);
      const bool is_enum = f.type == engine::FieldType::kEnum;
      if (is_enum && f.options.empty()) error(line, "enum field '" + f.id + "' has no <option>");
      if (!is_enum && !f.options.empty())
        error(line, "field '" + f.id + "' has options but is not of type enum");
      if (f.type == engine::FieldType::kPersonalId && f.pattern.empty())
        error(line, "personal-id field '" + f.id + "' needs a pattern such as ^[0-9]{12}$");
      if (!f.pattern.empty()) {
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

  void check_budget_fits(int line, const std::string& what, const engine::Duration& budget) {
    if (nominal_minutes(budget) > nominal_minutes(p_.time_limit.total))
      error(line, what + " has a budget of " + describe(budget) +
                      ", more than the total time limit of " + describe(p_.time_limit.total));
  }

  void check_states() {
    const State* initial = p_.state(p_.initial_state);
    if (initial == nullptr)
      error(lines_.states_element, "the initial state '" + p_.initial_state + "' is not declared");
    else if (initial->status != StatusCode::kSubmitted)
      error(initial->line,
            "the initial state '" + initial->id + "' must have status 1 (submitted)");
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
                            "' is at the same level (" + owner->level +
                            ") as the receiving agency");
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

  void check_clock(const Transition& t, const std::vector<const State*>& from, const State* to) {
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
          error(
              t.line,
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
          error(
              t.line,
              name + " finishes without issuing the result (a refusal) and must require a reason");
        break;
      case ClockEffect::kEnd:
        if (to == nullptr || to->kind != StateKind::kFinal ||
            !(to_status == 3 || to_status == 7 || to_status == 8))
          error(
              t.line,
              name + " ends the dossier but does not lead to a final state with status 3, 7 or 8");
        break;
    }
    if (to != nullptr &&
        (to->status == StatusCode::kRefusedAtIntake || to->status == StatusCode::kStopped) &&
        !t.requires_reason)
      error(t.line, name + " leads to '" + to->id + "' (status " + std::to_string(to_status) +
                        ") and must require a reason");
  }

  void check_transitions() {
    bool any_issues_result = false;
    for (const Transition& t : p_.transitions) {
      const std::string name = "transition '" + t.action + "'";
      std::vector<const State*> from;
      for (const std::string& id : t.from) {
        const State* s = p_.state(id);
        if (s == nullptr)
          error(t.line, name + " starts from '" + id + "', which is not a declared state");
        else if (s->kind == StateKind::kFinal)
          error(t.line, name + " leaves final state '" + id +
                            "'; final states have no outgoing transitions");
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

  // Successors through transitions (a stay keeps the state) and on-complete.
  std::map<std::string, std::set<std::string>> edges() const {
    std::map<std::string, std::set<std::string>> next;
    for (const State& s : p_.states) {
      next[s.id];
      if (s.kind == StateKind::kParallel && p_.state(s.on_complete))
        next[s.id].insert(s.on_complete);
    }
    for (const Transition& t : p_.transitions) {
      if (t.to.empty() || p_.state(t.to) == nullptr) continue;
      for (const std::string& from : t.from) {
        if (p_.state(from) != nullptr) next[from].insert(t.to);
      }
    }
    return next;
  }

  void check_graph() {
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

  std::int64_t cost(const State& s) const {
    if (s.budget) return nominal_minutes(*s.budget);
    std::int64_t longest = 0;
    for (const engine::Branch& b : s.branches)
      longest = std::max(longest, nominal_minutes(b.budget));
    return longest;
  }

  void check_budgets() {
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

  const Procedure& p_;
  const SourceLines& lines_;
  Diagnostics out_;
};

}  // namespace

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
  return Checker(procedure, lines).run();
}

}  // namespace motcua::workflows
