#pragma once
// Reading lifecycle commands from JSON bodies: submissions and actions. Type errors become a 422
// invalid-input problem; the lifecycle service validates the meaning. Thread-safe (pure).
#include <optional>

#include "api/context.hpp"
#include "api/http.hpp"
#include "engine/lifecycle_service.hpp"

namespace motcua::api {

// Fills `out` (except actor and roles) from the body and the Idempotency-Key header, or returns a
// problem. `role` (optional) receives the body's "role" (the officer's requested role), so the body
// is parsed once.
std::optional<Response> read_submission(const Request& request, engine::SubmitRequest& out);
std::optional<Response> read_action(const Request& request, std::string_view code,
                                    engine::ActionRequest& out, std::string* role = nullptr);

// The problem for a failed act(): a stale version (engine::stale_version) becomes stale-version
// with the current version; anything else the error's problem.
Response action_problem(const Request& request, const engine::Error& error);

}  // namespace motcua::api
