#pragma once
// Api: the motcua HTTP API as a RequestHandler for the Server: the route table under /api/v1 plus
// /healthz, /readyz and /metrics (404 unless ApiSettings::metrics_on_api), authentication and
// authorisation of officer routes, problem+json errors, request metrics and the JSON-lines access
// log. route() is the request's one look-up in the table (Router::match); try_immediate() and
// handle() use the route it stored, and answer an unrouted request (request.route.route == nullptr)
// with 404, or 405 when the path is known, and 400 when the target was unparsable. Thread-safe:
// handle() runs on several worker threads at once.
#include <memory>

#include "api/context.hpp"
#include "api/router.hpp"
#include "api/server.hpp"

namespace motcua::api {

class Api final : public RequestHandler {
 public:
  // Errors: kInvalidInput naming a missing dependency.
  static engine::Result<std::shared_ptr<Api>> create(ApiDeps deps, ApiSettings settings);

  std::size_t route(Request& request) override;
  std::optional<Response> try_immediate(Request& request) override;
  Response handle(Request& request) override;
  Response refuse(Request& request, Refusal why) override;

  const Router& router() const { return router_; }
  Context& context() { return *context_; }

 private:
  Api() = default;
  // Authenticates and authorises, then runs the route's handler; `officer` gets the login of an
  // authenticated caller, for the access log.
  Response dispatch(Request& request, std::string& officer);
  std::unique_ptr<Context> context_;
  Router router_;
};

// Every route of the API (used by Api::create; the OpenAPI agreement test lists them).
void add_all_routes(Router& router, Context& context);
// Route registration, one function per resource (api/routes_*.cpp).
void add_system_routes(Router& router, Context& context);
void add_catalog_routes(Router& router, Context& context);
void add_attachment_routes(Router& router, Context& context);
void add_dossier_routes(Router& router, Context& context);
void add_document_routes(Router& router, Context& context);
void add_tracking_routes(Router& router, Context& context);
void add_officer_routes(Router& router, Context& context);
void add_admin_routes(Router& router, Context& context);
void add_verify_routes(Router& router, Context& context);

// GET /metrics wherever it is served: 401 without the token of context.settings.metrics_token
// (compared in constant time) when there is one, else the Prometheus text. Reads the database
// (the dossier gauges): call on a worker thread.
Response metrics_answer(Context& context, const Request& request);

}  // namespace motcua::api
