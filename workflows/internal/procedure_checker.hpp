#pragma once
// Checker: the semantic rules validate_procedure() applies to one procedure definition
// (procedure_validator.hpp states them), collecting every problem with its source line.
// procedure_validator.cpp holds the checks of identity, ids, fields and states;
// procedure_flow_checks.cpp those of transitions, the clock, the state graph and the step budgets.
// Private to workflows/.
#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <string>

#include "workflows/internal/procedure_validator.hpp"

namespace motcua::workflows::checks {

using engine::ClockEffect;
using engine::Procedure;
using engine::State;
using engine::StateKind;
using engine::StatusCode;
using engine::Transition;

// Simple paths examined by the budget rule before it gives up (definitions have a few dozen states;
// a graph that needs more is reported rather than searched for minutes).
constexpr std::size_t kMaxPathSteps = 200'000;

inline int status_number(const State& s) { return static_cast<int>(s.status); }

inline std::string describe(const engine::Duration& d) {
  return std::to_string(d.amount) + " " + std::string(engine::to_string(d.unit));
}

inline std::string join(const std::vector<std::string>& items, const char* separator) {
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
    check_online();
    check_fees();
    check_field_limit();
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

  void check_identity();

  template <class T>
  void unique(const std::vector<T>& items, std::string T::*id, const std::vector<int>& lines,
              const char* kind) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (!seen.insert(items[i].*id).second)
        error(at(lines, i), std::string("duplicate ") + kind + " id '" + items[i].*id + "'");
    }
  }

  void check_ids();

  void check_fields();

  // procedure_money_checks.cpp: online level against the channels, fees, field-dependent limits.
  void check_online();
  void check_fees();
  void check_field_limit();
  // A declared field of `type` named by `what` at `line`; nullptr (and an error) otherwise.
  const engine::Field* require_field(int line, const std::string& what, const std::string& id,
                                     std::optional<engine::FieldType> type);

  void check_budget_fits(int line, const std::string& what, const engine::Duration& budget);

  void check_states();

  void check_clock(const Transition& t, const std::vector<const State*>& from, const State* to);

  void check_transitions();

  // Successors through transitions (a stay keeps the state) and on-complete.
  std::map<std::string, std::set<std::string>> edges() const;

  void check_graph();

  std::int64_t cost(const State& s) const;

  void check_budgets();

  const Procedure& p_;
  const SourceLines& lines_;
  Diagnostics out_;
};

}  // namespace motcua::workflows::checks
