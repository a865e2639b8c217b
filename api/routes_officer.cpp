// Officers: log in (rate-limited per client, lock-out after repeated failures), log out, who am I,
// and the work queue of their agency and roles ordered by due date with overdue flags.
#include "api/api.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

boost::json::object principal_json(const Principal& p) {
  boost::json::array roles;
  for (const auto& r : p.roles) roles.emplace_back(r);
  return {{"login", p.login},
          {"display_name", p.display_name},
          {"agency_id", p.agency_id},
          {"roles", std::move(roles)}};
}

Response login(Context& c, Call& call) {
  if (!c.login_limiter.allow(call.request.client)) {
    Response r = problem(call.request, 429, problem_code::kRateLimited);
    r.headers.emplace_back(
        "Retry-After",
        std::to_string(std::max(1, c.login_limiter.retry_after(call.request.client))));
    return r;
  }
  auto body = parse_object(call.request);
  if (!body) return body.error();
  Fields f(*body);
  auto name = f.string("login", true, 256);
  auto password = f.string("password", true, 1024);
  if (!f.ok()) return problem(call.request, 422, problem_code::kInvalidInput, f.error());
  auto result = c.auth.login(*name, *password);
  if (!result) {
    if (result.error().code == engine::ErrorCode::kForbidden)
      return problem(call.request, 401, problem_code::kUnauthorized,
                     "wrong login or password, or the account is locked");
    return problem(call.request, result.error());
  }
  Response r = json_response(200, {{"token", result->token},
                                   {"token_type", "Bearer"},
                                   {"expires_at", c.format(result->expires)},
                                   {"officer", principal_json(result->principal)}});
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response work_queue(Context& c, Call& call) {
  const Principal& p = *call.principal;
  std::vector<std::string> roles = p.roles;
  if (std::string role = call.request.query_param("role"); !role.empty()) {
    if (!p.has_role(role))
      return problem(call.request, 403, problem_code::kForbidden, "you do not hold that role");
    roles = {role};
  }
  std::vector<engine::WorkQueueEntry> entries;
  for (const std::string& role : roles) {
    if (role == engine::kAdminRole) continue;
    auto queue = c.deps.lifecycle->work_queue(p.agency_id, role, 200, 0);
    if (!queue) return problem(call.request, queue.error());
    entries.insert(entries.end(), queue->begin(), queue->end());
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    if (a.item.due.has_value() != b.item.due.has_value()) return a.item.due.has_value();
    return a.item.due && b.item.due && *a.item.due < *b.item.due;
  });
  boost::json::array items;
  for (const auto& e : entries) {
    items.push_back({{"code", e.item.dossier_code},
                     {"branch", e.item.branch},
                     {"role", e.item.role},
                     {"procedure", e.procedure_code},
                     {"state", e.state},
                     {"status", static_cast<int>(e.status)},
                     {"version", e.version},
                     {"submitted_at", c.format(e.submitted_at)},
                     {"due", e.item.due ? boost::json::value(c.format(*e.item.due)) : nullptr},
                     {"overdue", e.overdue},
                     {"due_soon", e.due_soon}});
  }
  return json_response(200, {{"items", std::move(items)}});
}

}  // namespace

void add_officer_routes(Router& router, Context& c) {
  router.add({"POST", "/api/v1/auth/login", "auth.login", Access::kPublic, 4096,
              [&c](Call& call) { return login(c, call); }});
  router.add({"POST", "/api/v1/auth/logout", "auth.logout", Access::kOfficer, 0, [&c](Call& call) {
                return no_content_or_problem(
                    call.request,
                    c.deps.identity->revoke_token(call.principal->token_hash, c.deps.clock->now()));
              }});
  router.add({"GET", "/api/v1/me", "auth.me", Access::kOfficer, 0,
              [](Call& call) { return json_response(200, principal_json(*call.principal)); }});
  router.add({"GET", "/api/v1/work-queue", "work_queue.get", Access::kOfficer, 0,
              [&c](Call& call) { return work_queue(c, call); }});
}

}  // namespace motcua::api
