#pragma once
// Who may read a dossier beyond its public status, shared by the dossier, tracking and document
// routes:
//   - an officer whose agency handles some part of it (one of the dossier's agency ids);
//   - whoever holds its tracking secret (X-Tracking-Secret), compared in constant time against
//     the stored hash. Requests that present secrets are rate-limited per client: dossier codes
//     are guessable, secrets are not. An unknown code and a wrong secret look the same.
// Thread-safe (reads the store, the limiter is thread-safe). Officers' participation in a command
// is the lifecycle service's decision; participates() serves the read routes.
#include <optional>
#include <string_view>

#include "api/auth.hpp"
#include "api/context.hpp"
#include "api/http.hpp"

namespace motcua::api {

bool participates(const engine::Dossier& d, const Principal& p);

// A 429 problem (with Retry-After) when the client is over its tracking rate; else nullopt.
std::optional<Response> tracking_limited(Context& c, const Request& request);

// True when `secret` is the dossier's tracking secret; false for an unknown code, a wrong or
// oversized secret. Errors: the tracking-secret port's.
engine::Result<bool> secret_matches(Context& c, std::string_view code, std::string_view secret);

// The 404 both an unknown code and a wrong secret get.
Response no_dossier_for_secret(const Request& request);

}  // namespace motcua::api
