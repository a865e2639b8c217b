#pragma once
// LegalRules: the lifecycle rules that used to be C++ constants, as versioned data with their
// legal basis and effective date (workflows/rules/*.rules, read by workflows/legal_rules_file.hpp),
// so that a new decree is a data change. A plain value type: copy it freely; thread-safe to read.
// The defaults below are today's values (Decree 61/2018 as amended, carried into Decree 118/2025;
// DOMAIN.md rules 5 and 8, the Decision 766 indicator 2.1, 8 working hours a day); the shipped
// file states the same values with their sources.
//
// LegalRuleBook holds every loaded version, ordered by effective date, and answers which one was
// in force on a date (a dossier uses the rules in force when it was received).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"
#include "engine/procedure.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

// Where one rule's value comes from.
struct RuleSource {
  std::string basis;           // legal basis, e.g. "NĐ 61/2018/NĐ-CP Điều 19 khoản 4"
  LocalDate effective_from{};  // when the value took effect
};

struct LegalRules {
  std::string name = "built-in";  // the rule set's name (one word)
  int version = 0;                // 0 = the built-in defaults
  LocalDate effective_from = std::chrono::year{2018} / std::chrono::April / 23;

  // How long after the clock starts appraisal may still ask for a supplement (DOMAIN.md rule 5);
  // a procedure may publish its own window (TimeLimit::supplement_window), which wins.
  Duration supplement_window{3, DurationUnit::kWorkingDays};
  // The apology (Form 04) is issued at latest this long before the deadline (DOMAIN.md rule 8).
  Duration apology_lead{1, DurationUnit::kWorkingDays};
  // More supplement requests than this make a dossier late for reporting (Decision 766, 2.1).
  int supplements_before_late = 1;
  // Working hours in one working day (DOMAIN.md; Labour Code 2019 art. 105).
  int working_day_hours = 8;

  // Keyed by the rule names of the file format: "supplement-window", "apology-lead",
  // "supplements-before-late", "working-day-hours". Empty for the built-in defaults.
  std::map<std::string, RuleSource> sources;
};

// The rule names a rules file must give, in file order.
inline constexpr std::string_view kLegalRuleNames[] = {
    "supplement-window", "apology-lead", "supplements-before-late", "working-day-hours"};

// The built-in defaults (a LegalRules{} that lives for the whole program).
const LegalRules& built_in_rules() noexcept;

// The supplement window a dossier of `procedure` has: the procedure's published one, else the
// rules' (DOMAIN.md rule 5).
Duration supplement_window(const TimeLimit& limit, const LegalRules& rules);

class LegalRuleBook {
 public:
  // Errors: kInvalidDefinition when two versions share a name and version or an effective date.
  static Result<LegalRuleBook> create(std::vector<LegalRules> versions);

  // The version in force on `date`: the latest with effective_from <= date; the built-in
  // defaults before the first (or when the book is empty).
  const LegalRules& in_force(LocalDate date) const;
  const std::vector<LegalRules>& versions() const { return versions_; }

 private:
  std::vector<LegalRules> versions_;  // ascending effective_from
  LegalRules defaults_;
};

}  // namespace motcua::engine
