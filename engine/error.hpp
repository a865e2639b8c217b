#pragma once
// Error and Result<T>: how every expected failure travels in motcua (bad input, illegal transition,
// conflict, invalid signature). Exceptions from libraries are caught in the adapter that calls them
// and turned into an Error. Only api/ maps ErrorCode to an HTTP status.
//
// Two audiences: `message` and `detail` are for the operator (logs, the command line) and may quote
// library or driver text (SQLite, OpenSSL, libxml2, ...); `public_message` is the only text an HTTP
// client ever reads, set on purpose by the code that refuses, with deny(). An Error made by fail()
// has none: the client gets its code and a generic sentence (api/internal/problem.hpp).
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace motcua::engine {

enum class ErrorCode {
  kInvalidInput,       // malformed or out-of-range input
  kInvalidDefinition,  // a procedure or calendar definition failed validation
  kNotFound,
  kIllegalAction,  // the action does not exist in the dossier's current state
  kForbidden,      // the actor's agency or role may not do this
  kReasonRequired,
  kComponentsRequired,
  kSignatureRequired,
  kDeadlinePassed,  // e.g. an apology issued later than one working day before the deadline
  kAlreadyDone,     // e.g. a second re-dating, a branch completed twice
  kConflict,        // stale version
  kOutOfRange,      // a calendar computation beyond the years the calendar covers
  kIo,
  kInternal,
};

std::string_view to_string(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // plain English sentence for the log and the operator; no secrets
  std::string detail;   // optional: library error text, file:line, ...
  // Optional: the sentence a client may read, written for it; never library, driver or SQL text,
  // internal names or secrets. Empty: clients learn only the code.
  std::string public_message = {};
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

// A failure explained to the operator only (I/O, a library's refusal, an internal fault).
inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

// A request denied and the client told why (bad input, an action the rules forbid):
// `public_message` is written for the client and is the operator's message as well; `detail` stays
// with the operator.
inline tl::unexpected<Error> deny(ErrorCode code, std::string public_message,
                                  std::string detail = {}) {
  std::string message = public_message;
  return tl::unexpected<Error>(
      Error{code, std::move(message), std::move(detail), std::move(public_message)});
}

}  // namespace motcua::engine
