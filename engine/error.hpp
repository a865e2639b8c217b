#pragma once
// Error and Result<T>: how every expected failure travels in motcua (bad input, illegal transition,
// conflict, invalid signature). Exceptions from libraries are caught in the adapter that calls them and
// turned into an Error. Only api/ maps ErrorCode to an HTTP status.
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace motcua::engine {

enum class ErrorCode {
  kInvalidInput,       // malformed or out-of-range input
  kInvalidDefinition,  // a procedure or calendar definition failed validation
  kNotFound,
  kIllegalAction,      // the action does not exist in the dossier's current state
  kForbidden,          // the actor's agency or role may not do this
  kReasonRequired,
  kComponentsRequired,
  kSignatureRequired,
  kDeadlinePassed,     // e.g. an apology issued later than one working day before the deadline
  kAlreadyDone,        // e.g. a second re-dating, a branch completed twice
  kConflict,           // stale version
  kOutOfRange,         // a calendar computation beyond the years the calendar covers
  kIo,
  kInternal,
};

std::string_view to_string(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // plain English sentence for the log and the operator; no secrets
  std::string detail;   // optional: library error text, file:line, ...
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

}  // namespace motcua::engine
