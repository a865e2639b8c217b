#include "engine/document_issuer.hpp"

namespace motcua::engine {

std::string_view to_string(DocumentKind kind) noexcept {
  switch (kind) {
    case DocumentKind::kReceipt:
      return "receipt";
    case DocumentKind::kResult:
      return "result";
  }
  return "unknown";
}

std::string_view to_string(ResultDecision decision) noexcept {
  switch (decision) {
    case ResultDecision::kApproved:
      return "approved";
    case ResultDecision::kRefused:
      return "refused";
  }
  return "unknown";
}

}  // namespace motcua::engine
