#include "workflows/diagnostic.hpp"

namespace motcua::workflows {

std::string Diagnostic::to_string() const {
  if (line > 0) return source + ":" + std::to_string(line) + ": " + message;
  return source + ": " + message;
}

engine::Error to_error(const Diagnostics& diagnostics, engine::ErrorCode code) {
  if (diagnostics.empty()) return engine::Error{code, "invalid definition", {}};
  std::string detail;
  for (const Diagnostic& d : diagnostics) {
    if (!detail.empty()) detail += '\n';
    detail += d.to_string();
  }
  return engine::Error{code, diagnostics.front().to_string(), std::move(detail)};
}

}  // namespace motcua::workflows
