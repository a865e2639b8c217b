#pragma once
// Reading lifecycle commands from JSON bodies: submissions and actions. Each reader parses the body
// once and gives the command or the problem to answer (Parsed<T>): type errors become a 422
// invalid-input problem, a body that is not JSON 415 / 400 (json.hpp); the lifecycle service
// validates the meaning. Thread-safe (pure).
#include <string>

#include "api/context.hpp"
#include "api/http.hpp"
#include "api/internal/problem.hpp"
#include "engine/lifecycle_service.hpp"

namespace motcua::api {

// The submission (all but actor, agency ids and tracking secret) from the body and the
// Idempotency-Key header.
Parsed<engine::SubmitRequest> read_submission(const Request& request);

// An action on dossier `code` (all but actor) and the role the caller asks to act in ("" when the
// body names none; at most 64 bytes), from the body and the Idempotency-Key header.
struct ActionInput {
  engine::ActionRequest action;
  std::string role;
};
Parsed<ActionInput> read_action(const Request& request, std::string_view code);

// The problem for a failed act(): a stale version (engine::stale_version) becomes stale-version
// with the current version; anything else the error's problem.
Response action_problem(const Request& request, const engine::Error& error);

}  // namespace motcua::api
