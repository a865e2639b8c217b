#include "api/metrics_handler.hpp"

#include <chrono>

#include "api/internal/problem.hpp"
#include "api/internal/refusal.hpp"
#include "api/password.hpp"

namespace motcua::api {

Response metrics_answer(Context& c, const Request& request) {
  if (!c.settings.metrics_token.empty()) {
    const std::string_view authz = request.header("authorization");
    if (!authz.starts_with("Bearer ") ||
        !equal_constant_time(authz.substr(7), c.settings.metrics_token)) {
      Response r = problem(request, 401, problem_code::kUnauthorized,
                           prefers_english(request.header("accept-language"))
                               ? "Send the metrics token as a bearer token."
                               : "Hãy gửi mã truy cập số liệu (metrics token) dạng bearer.");
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
      return r;
    }
  }
  std::vector<Metrics::Gauge> gauges;
  if (c.deps.statistics) {
    if (auto counts = c.deps.statistics->counts(c.deps.clock->now())) {
      Metrics::Gauge by_status{"motcua_dossiers", "Dossiers by national status code.", {}};
      for (int status = 1; status <= 10; ++status) {
        auto it = counts->by_status.find(status);
        by_status.samples.emplace_back(
            "status=\"" + std::to_string(status) + "\"",
            it == counts->by_status.end() ? 0.0 : static_cast<double>(it->second));
      }
      gauges.push_back(std::move(by_status));
      gauges.push_back({"motcua_dossiers_overdue",
                        "Unfinished dossiers past their due date.",
                        {{"", static_cast<double>(counts->overdue)}}});
    }
  }
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = c.metrics.render(gauges);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

std::size_t MetricsHandler::route(Request&) { return 0; }

Response MetricsHandler::handle(Request& request) {
  const auto start = std::chrono::steady_clock::now();
  Context& c = api_->context();
  Response response;
  if (request.path != "/metrics")
    response = problem(request, 404, problem_code::kNotFound);
  else if (request.method != "GET" && request.method != "HEAD")
    response = problem(request, 405, problem_code::kMethodNotAllowed);
  else
    response = metrics_answer(c, request);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  c.metrics.observe("metrics", response.status, seconds);
  c.access_log.write(request, "metrics", response.status, response.body.size(), seconds, {});
  return response;
}

Response MetricsHandler::refuse(Request& request, Refusal why) {
  Response response = refusal_problem(request, why);
  api_->context().access_log.write(request, "refused", response.status, response.body.size(), 0,
                                   {});
  return response;
}

}  // namespace motcua::api
