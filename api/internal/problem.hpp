#pragma once
// RFC 9457 problem details (application/problem+json) with a stable machine code and a human
// message in Vietnamese or English, chosen by the request's Accept-Language (Vietnamese unless
// English is preferred). Clients get the code and the localised title; `detail` carries only text
// the client may see (never library or database text). Thread-safe (pure functions).
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "api/http.hpp"
#include "engine/error.hpp"

namespace motcua::api {

// Stable problem codes (also the last segment of the problem "type" URI).
namespace problem_code {
inline constexpr std::string_view kBadRequest = "bad-request";
inline constexpr std::string_view kMalformedJson = "malformed-json";
inline constexpr std::string_view kInvalidInput = "invalid-input";
inline constexpr std::string_view kNotFound = "not-found";
inline constexpr std::string_view kMethodNotAllowed = "method-not-allowed";
inline constexpr std::string_view kUnauthorized = "unauthorized";
inline constexpr std::string_view kForbidden = "forbidden";
inline constexpr std::string_view kConflict = "conflict";
inline constexpr std::string_view kStaleVersion = "stale-version";
inline constexpr std::string_view kIllegalAction = "illegal-action";
inline constexpr std::string_view kReasonRequired = "reason-required";
inline constexpr std::string_view kComponentsRequired = "components-required";
inline constexpr std::string_view kSignatureRequired = "signature-required";
inline constexpr std::string_view kDeadlinePassed = "deadline-passed";
inline constexpr std::string_view kAlreadyDone = "already-done";
inline constexpr std::string_view kPayloadTooLarge = "payload-too-large";
inline constexpr std::string_view kHeadersTooLarge = "headers-too-large";
inline constexpr std::string_view kUnsupportedMediaType = "unsupported-media-type";
inline constexpr std::string_view kRateLimited = "rate-limited";
inline constexpr std::string_view kLocked = "account-locked";
inline constexpr std::string_view kUnavailable = "unavailable";
inline constexpr std::string_view kInternal = "internal";
}  // namespace problem_code

// What a reader of a request (body, header, access check) gives: the value read, or the problem
// response to answer instead. The one idiom of api/'s readers; engine::Result errors are mapped
// once, where they are read, with problem(request, error).
template <class T>
using Parsed = tl::expected<T, Response>;

// True when the client prefers English ("en" ranked above "vi" in Accept-Language).
bool prefers_english(std::string_view accept_language);

// A problem response. `code` must be one of problem_code; `detail` is optional client-safe text.
Response problem(const Request& request, int status, std::string_view code,
                 std::string_view detail = {});

// The problem for an engine Error: status and code from the ErrorCode; the detail is the Error's
// public_message, else a generic sentence for the code -- never its message or detail, which may
// hold library, driver or SQL text. A 5xx (kIo, kInternal) logs message and detail with the
// request id.
Response problem(const Request& request, const engine::Error& error);

// 204 No Content when `done` succeeded, else its problem.
Response no_content_or_problem(const Request& request, const engine::Status& done);

// The localised title of a code ("" when unknown), for tests and the OpenAPI document.
std::string_view problem_title(std::string_view code, bool english);

}  // namespace motcua::api
