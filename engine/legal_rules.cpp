#include "engine/legal_rules.hpp"

#include <algorithm>

namespace motcua::engine {

const LegalRules& built_in_rules() noexcept {
  static const LegalRules rules;
  return rules;
}

Duration supplement_window(const TimeLimit& limit, const LegalRules& rules) {
  return limit.supplement_window ? *limit.supplement_window : rules.supplement_window;
}

Result<LegalRuleBook> LegalRuleBook::create(std::vector<LegalRules> versions) {
  std::sort(versions.begin(), versions.end(), [](const LegalRules& a, const LegalRules& b) {
    return a.effective_from < b.effective_from;
  });
  for (std::size_t i = 1; i < versions.size(); ++i) {
    const LegalRules& a = versions[i - 1];
    const LegalRules& b = versions[i];
    if (a.effective_from == b.effective_from)
      return fail(ErrorCode::kInvalidDefinition,
                  "rule sets '" + a.name + "' v" + std::to_string(a.version) + " and '" + b.name +
                      "' v" + std::to_string(b.version) + " take effect on the same day " +
                      format_date(a.effective_from));
    for (std::size_t j = 0; j < i; ++j) {
      if (versions[j].name == b.name && versions[j].version == b.version)
        return fail(
            ErrorCode::kInvalidDefinition,
            "rule set '" + b.name + "' version " + std::to_string(b.version) + " is given twice");
    }
  }
  LegalRuleBook book;
  book.versions_ = std::move(versions);
  return book;
}

const LegalRules& LegalRuleBook::in_force(LocalDate date) const {
  const LegalRules* found = &defaults_;
  for (const LegalRules& r : versions_) {
    if (r.effective_from <= date) found = &r;
  }
  return *found;
}

}  // namespace motcua::engine
