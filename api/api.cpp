#include "api/api.hpp"

#include <chrono>

#include "api/internal/problem.hpp"
#include "api/internal/refusal.hpp"
#include "api/password.hpp"

namespace motcua::api {

int Context::utc_offset_minutes() const {
  return deps.calendar ? deps.calendar->data().utc_offset_minutes : 420;
}

std::string Context::format(engine::Instant at) const {
  return engine::format_instant(at, utc_offset_minutes());
}

std::shared_ptr<const engine::Procedure> Context::procedure(std::string_view code,
                                                            int version) const {
  if (!deps.procedures) return nullptr;
  auto found = version > 0 ? deps.procedures->find(code, version) : deps.procedures->current(code);
  return found ? found->procedure : nullptr;
}

void add_all_routes(Router& router, Context& c) {
  add_system_routes(router, c);
  add_catalog_routes(router, c);
  add_attachment_routes(router, c);
  add_dossier_routes(router, c);
  add_document_routes(router, c);
  add_tracking_routes(router, c);
  add_officer_routes(router, c);
  add_admin_routes(router, c);
  add_verify_routes(router, c);
}

engine::Result<std::shared_ptr<Api>> Api::create(ApiDeps deps, ApiSettings settings) {
  const char* missing = !deps.lifecycle     ? "lifecycle"
                        : !deps.procedures  ? "procedures"
                        : !deps.identity    ? "identity"
                        : !deps.attachments ? "attachments"
                        : !deps.statistics  ? "statistics"
                        : !deps.clock       ? "clock"
                        : !deps.calendar    ? "calendar"
                        : !deps.ready       ? "ready"
                                            : nullptr;
  if (missing)
    return engine::fail(engine::ErrorCode::kInvalidInput,
                        std::string("the API needs its ") + missing + " dependency");
  if (settings.server_key.empty()) {
    auto key = random_secret();
    if (!key) return tl::unexpected(key.error());
    settings.server_key = std::move(*key);
  }
  std::shared_ptr<Api> api(new Api());
  api->context_ = std::make_unique<Context>(std::move(deps), settings);
  add_all_routes(api->router_, *api->context_);
  return api;
}

std::size_t Api::route(Request& request) {
  // An unparsable target ("" path) stays unrouted: handle() answers 400.
  request.route = request.path.empty() ? RouteMatch{} : router_.match(request.method, request.path);
  return request.route.route ? request.route.route->body_limit : 0;
}

Response Api::dispatch(Request& request, std::string& officer) {
  if (request.path.empty()) return problem(request, 400, problem_code::kBadRequest);
  const RouteMatch& m = request.route;
  if (!m.route) {
    if (m.path_known) return problem(request, 405, problem_code::kMethodNotAllowed);
    return problem(request, 404, problem_code::kNotFound);
  }
  Call call{request, m.params, nullptr};
  std::optional<Principal> principal;
  const bool anonymous =
      m.route->access == Access::kPublic ||
      (m.route->access == Access::kOfficerOrAnonymous && request.header("authorization").empty());
  if (!anonymous) {
    std::string_view authz = request.header("authorization");
    if (authz.size() < 8 || authz.substr(0, 7) != "Bearer ") {
      Response r = problem(request, 401, problem_code::kUnauthorized);
      r.headers.emplace_back("WWW-Authenticate", "Bearer");
      return r;
    }
    auto who = context_->auth.authenticate(authz.substr(7));
    if (!who) {
      if (who.error().code != engine::ErrorCode::kForbidden) return problem(request, who.error());
      Response r = problem(request, 401, problem_code::kUnauthorized);
      r.headers.emplace_back("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return r;
    }
    principal = std::move(*who);
    officer = principal->login;
    if (m.route->access == Access::kAdmin && !principal->admin())
      return problem(request, 403, problem_code::kForbidden);
    call.principal = &*principal;
  }
  return m.route->handler(call);
}

std::optional<Response> Api::try_immediate(Request& request) {
  const auto start = std::chrono::steady_clock::now();
  const RouteMatch& m = request.route;
  if (!m.route || !m.route->immediate || m.route->access != Access::kPublic) return std::nullopt;
  Call call{request, m.params, nullptr};
  std::optional<Response> response;
  try {
    response = m.route->immediate(call);
  } catch (const std::exception&) {
    return std::nullopt;  // the worker path answers
  }
  if (!response) return std::nullopt;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  context_->metrics.observe(m.route->name, response->status, seconds);
  context_->access_log.write(request, m.route->name, response->status, response->body.size(),
                             seconds, {});
  return response;
}

Response Api::handle(Request& request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string_view route_name =
      request.route.route ? std::string_view(request.route.route->name) : "unmatched";
  std::string officer;
  Response response;
  try {
    response = dispatch(request, officer);
  } catch (const std::exception&) {
    response = problem(request, 500, problem_code::kInternal);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  context_->metrics.observe(route_name, response.status, seconds);
  context_->access_log.write(request, route_name, response.status, response.body.size(), seconds,
                             officer);
  return response;
}

Response Api::refuse(Request& request, Refusal why) {
  Response response = refusal_problem(request, why);
  context_->metrics.observe("refused", response.status, 0);
  context_->access_log.write(request, "refused", response.status, response.body.size(), 0, {});
  return response;
}

}  // namespace motcua::api
