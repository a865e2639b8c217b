#pragma once
// Reading lifecycle commands from JSON bodies: submissions and actions. Type errors become a 422
// invalid-input problem; the lifecycle service validates the meaning. Thread-safe (pure).
#include <optional>

#include "api/context.hpp"
#include "api/http.hpp"
#include "engine/lifecycle_service.hpp"

namespace motcua::api {

// Fills `out` (except actor) from the body and the Idempotency-Key header, or returns a problem.
std::optional<Response> read_submission(const Request& request, engine::SubmitRequest& out);
std::optional<Response> read_action(const Request& request, std::string_view code,
                                    engine::ActionRequest& out);

// The problem for a failed act(): kConflict becomes stale-version (with the current version) when
// the dossier moved past `expected_version`.
Response action_problem(const Request& request, Context& c, const engine::Error& error,
                        std::string_view code, std::int64_t expected_version);

}  // namespace motcua::api
