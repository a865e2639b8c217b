#include "engine/error.hpp"

namespace motcua::engine {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid_input";
    case ErrorCode::kInvalidDefinition: return "invalid_definition";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kIllegalAction: return "illegal_action";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kReasonRequired: return "reason_required";
    case ErrorCode::kComponentsRequired: return "components_required";
    case ErrorCode::kSignatureRequired: return "signature_required";
    case ErrorCode::kDeadlinePassed: return "deadline_passed";
    case ErrorCode::kAlreadyDone: return "already_done";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kOutOfRange: return "out_of_range";
    case ErrorCode::kIo: return "io_error";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace motcua::engine
