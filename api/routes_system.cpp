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
  router.add(
      {"GET", "/metrics", "metrics", Access::kPublic, 0, [&c](Call&) {
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
         return r;
       }});
}

}  // namespace motcua::api
