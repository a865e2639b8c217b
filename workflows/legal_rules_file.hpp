#pragma once
// The lifecycle rules file (workflows/rules/*.rules, format in workflows/rules/README.md): the
// values that were C++ constants (supplement window, apology lead, supplements before late,
// working-day hours), each with its legal basis, in one versioned rule set with an effective
// date. Stateless free functions; thread-safe.
//
// Errors: kIo when a path cannot be read (missing, not a regular file, over 64 KiB, or a directory
// without *.rules files); kInvalidDefinition ("file:line: message") for a malformed file: unknown
// directive or rule, a rule missing or given twice, a value out of range, a rule without a basis.
#include <string>
#include <string_view>
#include <vector>

#include "engine/legal_rules.hpp"

namespace motcua::workflows {

// Parses one rules file.
engine::Result<engine::LegalRules> parse_legal_rules(std::string_view text,
                                                     std::string_view source_name);

// The shipped rules directory under a data root: "<root>/workflows/rules".
std::string default_rules_dir(std::string_view data_root);

// Reads every *.rules file that `paths` name (files, or directories of *.rules files) into one
// book of versions.
engine::Result<engine::LegalRuleBook> load_legal_rules(const std::vector<std::string>& paths);

}  // namespace motcua::workflows
