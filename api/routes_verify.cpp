// Verify: anyone posts a signed XML document and gets the verification report (signing/). With
// ?type=receipt or ?type=result the document must also be that motcua document (root element and
// namespace of schemas/receipt.xsd or result.xsd, signed by its Id) with XAdES signed properties,
// so a valid signature over some other document is not taken for a receipt or a result.
#include "api/api.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"
#include "documents/document_xml.hpp"

namespace motcua::api {
namespace {

// The verification options the ?type= query asks for.
Parsed<signing::VerifyOptions> read_options(const Request& request) {
  signing::VerifyOptions options;
  const std::string type = request.query_param("type");
  if (type.empty()) return options;
  if (type == "receipt") {
    options.expected_namespace = documents::kReceiptNamespace;
  } else if (type == "result") {
    options.expected_namespace = documents::kResultNamespace;
  } else {
    return tl::unexpected(
        problem(request, 422, problem_code::kInvalidInput, "type must be receipt or result"));
  }
  options.expected_element = type;
  options.require_xades = true;
  return options;
}

Response verify(Context& c, Call& call) {
  if (!c.deps.verifier)
    return problem(call.request, 503, problem_code::kUnavailable,
                   "no trust store is configured (motcua serve --trust PATH)");
  std::string_view type = call.request.header("content-type");
  type = type.substr(0, type.find(';'));
  if (type != "application/xml" && type != "text/xml")
    return problem(call.request, 415, problem_code::kUnsupportedMediaType,
                   "send the signed document as application/xml");
  auto options = read_options(call.request);
  if (!options) return options.error();
  signing::VerificationReport report = c.deps.verifier->verify(call.request.body, *options);
  Response r;
  r.status = 200;
  r.body = report.to_json(false);
  return r;
}

}  // namespace

void add_verify_routes(Router& router, Context& c) {
  router.add({"POST", "/api/v1/verify", "verify", Access::kPublic, c.settings.upload_limit,
              [&c](Call& call) { return verify(c, call); }});
}

}  // namespace motcua::api
