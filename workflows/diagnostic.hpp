#pragma once
// Diagnostic: one problem found in a definition file, with where it is. Loaders and validators
// collect every problem they find (not just the first) as Diagnostics, so an author fixes a file in
// one pass. Plain value types; thread-safe as values.
#include <string>
#include <vector>

#include "engine/error.hpp"

namespace motcua::workflows {

struct Diagnostic {
  std::string source;   // file path or a name given by the caller
  int line = 0;         // 1-based; 0 when the problem has no line (e.g. the file is too large)
  std::string message;  // plain English sentence

  // "source:line: message" ("source: message" without a line).
  std::string to_string() const;
};

using Diagnostics = std::vector<Diagnostic>;

// One Error summarising the diagnostics: the first as message, all of them (one per line) as
// detail.
engine::Error to_error(const Diagnostics& diagnostics,
                       engine::ErrorCode code = engine::ErrorCode::kInvalidDefinition);

}  // namespace motcua::workflows
