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

std::string_view to_string(Decision decision) noexcept {
  switch (decision) {
    case Decision::kApproved:
      return "approved";
    case Decision::kRefused:
      return "refused";
  }
  return "unknown";
}

}  // namespace motcua::engine
