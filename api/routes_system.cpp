// /healthz, /readyz, /metrics.
#include "api/api.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {

void add_system_routes(Router& router, Context& c) {
  router.add({"GET", "/healthz", "healthz", Access::kPublic, 0, [](Call&) {
                return json_response(200, {{"status", "ok"}});
              }});
  router.add({"GET", "/readyz", "readyz", Access::kPublic, 0, [&c](Call& call) {
                auto ready = c.deps.ready();
                if (!ready)
                  return problem(call.request, 503, problem_code::kUnavailable,
                                 "the database is not reachable or not migrated");
                return json_response(200, {{"status", "ready"}});
              }});
  // Off on this listener unless asked for (metrics_handler.cpp serves them on their own one).
  router.add({"GET", "/metrics", "metrics", Access::kPublic, 0, [&c](Call& call) {
                if (!c.settings.metrics_on_api)
                  return problem(call.request, 404, problem_code::kNotFound);
                return metrics_answer(c, call.request);
              }});
}

}  // namespace motcua::api
