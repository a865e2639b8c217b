#include "api/internal/dossier_access.hpp"

#include <algorithm>
#include <string>

#include "api/internal/problem.hpp"
#include "api/password.hpp"

namespace motcua::api {

bool participates(const engine::Dossier& d, const Principal& p) {
  return std::any_of(d.agency_ids.begin(), d.agency_ids.end(),
                     [&](const auto& entry) { return entry.second == p.agency_id; });
}

std::optional<Response> tracking_limited(Context& c, const Request& request) {
  if (c.tracking_limiter.allow(request.client)) return std::nullopt;
  Response r = problem(request, 429, problem_code::kRateLimited);
  r.headers.emplace_back(
      "Retry-After", std::to_string(std::max(1, c.tracking_limiter.retry_after(request.client))));
  return r;
}

engine::Result<bool> secret_matches(Context& c, std::string_view code, std::string_view secret) {
  if (secret.empty() || secret.size() > 128) return false;
  auto stored = c.deps.lifecycle->tracking_secret(code);
  if (!stored) return tl::unexpected(stored.error());
  if (!stored->has_value()) return false;
  auto presented = sha256_hex(secret);
  if (!presented) return tl::unexpected(presented.error());
  return equal_constant_time(**stored, *presented);
}

Response no_dossier_for_secret(const Request& request) {
  return problem(request, 404, problem_code::kNotFound,
                 "no dossier with this code and tracking secret");
}

}  // namespace motcua::api
