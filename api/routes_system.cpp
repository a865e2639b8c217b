// /healthz, /readyz, /metrics.
//   /healthz: liveness only -- the process runs and answers HTTP (200 always); a supervisor that
//   restarts on its failure never restarts motcua for a database outage, which it rides out.
//   /readyz: readiness -- 200 while the database is migrated and takes writes (ApiDeps::ready),
//   else 503 with Retry-After; a load balancer sends no traffic meanwhile.
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
                if (!ready) {
                  const bool english = prefers_english(call.request.header("accept-language"));
                  Response r = problem(
                      call.request, 503, problem_code::kUnavailable,
                      english ? "The database cannot be written now (unreachable, read-only, "
                                "full or not migrated)."
                              : "Cơ sở dữ liệu hiện không ghi được (mất kết nối, chỉ đọc, đầy "
                                "hoặc chưa cập nhật lược đồ).");
                  r.headers.emplace_back("Retry-After", "1");
                  return r;
                }
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
