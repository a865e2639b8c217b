// Verify: anyone posts a signed XML document and gets the verification report (signing/).
#include "api/api.hpp"
#include "api/json.hpp"
#include "api/problem.hpp"

namespace motcua::api {

void add_verify_routes(Router& router, Context& c) {
  router.add({"POST", "/api/v1/verify", "verify", Access::kPublic, c.settings.upload_limit,
              [&c](Call& call) {
                if (!c.deps.verifier)
                  return problem(call.request, 503, problem_code::kUnavailable,
                                 "no trust store is configured (motcua serve --trust PATH)");
                std::string_view type = call.request.header("content-type");
                type = type.substr(0, type.find(';'));
                if (type != "application/xml" && type != "text/xml")
                  return problem(call.request, 415, problem_code::kUnsupportedMediaType,
                                 "send the signed document as application/xml");
                signing::VerificationReport report = c.deps.verifier->verify(call.request.body);
                Response r;
                r.status = 200;
                r.body = report.to_json(false);
                return r;
              }});
}

}  // namespace motcua::api
