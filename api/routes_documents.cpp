// Signed documents of a dossier (the receipt, Form 01, and the result document; documents/ renders
// and signs them): the list with metadata, and each document's bytes as application/xml, exactly
// as signed and stored, so that anyone can check them through POST /api/v1/verify or with any
// XML-DSig tool. Readable by the holder of the dossier's tracking secret and by officers of an
// agency that handles the dossier (dossier_access.hpp). Without a token, the answer never tells
// whether the dossier or document exists (no secret: 401; a wrong secret or an unknown code: the
// same 404). Signed-in officers learn whether a code exists (404 or 403), as tracking by code tells
// anyone.
#include "api/api.hpp"
#include "api/internal/dossier_access.hpp"
#include "api/internal/dossier_json.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

// Whether the caller may read the dossier's documents: the dossier, loaded by an officer's check
// (for a caller that needs it too), or nullopt for a holder of the tracking secret; else the
// answer to give.
Parsed<std::optional<engine::DossierView>> admit_reader(Context& c, Call& call,
                                                        const std::string& code) {
  using Refused = tl::unexpected<Response>;
  if (const Principal* officer = call.principal) {
    auto view = c.deps.lifecycle->view(code);
    if (!view) return Refused(problem(call.request, view.error()));
    if (!participates(view->stored.dossier, *officer))
      return Refused(problem(call.request, 403, problem_code::kForbidden,
                             "the dossier is not handled by your agency"));
    return std::optional<engine::DossierView>(std::move(*view));
  }
  if (auto r = tracking_limited(c, call.request)) return Refused(std::move(*r));
  const std::string_view secret = call.request.header("x-tracking-secret");
  if (secret.empty()) {
    Response r = problem(call.request, 401, problem_code::kUnauthorized,
                         "send the dossier's tracking secret, or sign in as an officer");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return Refused(std::move(r));
  }
  auto ok = secret_matches(c, code, secret);
  if (!ok) return Refused(problem(call.request, ok.error()));
  if (!*ok) return Refused(no_dossier_for_secret(call.request));
  return std::optional<engine::DossierView>();
}

Response list(Context& c, Call& call) {
  const std::string& code = call.params.at("code");
  auto admitted = admit_reader(c, call, code);
  if (!admitted) return admitted.error();
  std::optional<engine::DossierView>& view = *admitted;
  if (!view) {
    auto loaded = c.deps.lifecycle->view(code);
    if (!loaded) return problem(call.request, loaded.error());
    view = std::move(*loaded);
  }
  Response r = json_response(
      200,
      {{"code", code}, {"documents", documents_json(c, view->stored.dossier, view->documents)}});
  r.headers.emplace_back("Cache-Control", "private, no-store");
  return r;
}

Response read(Context& c, Call& call) {
  const std::string& code = call.params.at("code");
  if (auto admitted = admit_reader(c, call, code); !admitted) return admitted.error();
  auto document = c.deps.lifecycle->document(code, call.params.at("id"));
  if (!document) {
    if (document.error().code == engine::ErrorCode::kNotFound)
      return problem(call.request, 404, problem_code::kNotFound, "no such document");
    return problem(call.request, document.error());
  }
  Response r;
  r.content_type = document->record.media_type + "; charset=utf-8";
  r.body = std::move(document->content);
  r.headers.emplace_back("Cache-Control", "private, no-store");
  r.headers.emplace_back("ETag", "\"" + document->record.sha256 + "\"");
  r.headers.emplace_back("Content-Disposition",
                         "inline; filename=\"" + document->record.document_id + ".xml\"");
  return r;
}

}  // namespace

void add_document_routes(Router& router, Context& c) {
  router.add({"GET", "/api/v1/dossiers/{code}/documents", "documents.list",
              Access::kOfficerOrAnonymous, 0, [&c](Call& call) { return list(c, call); }});
  router.add({"GET", "/api/v1/dossiers/{code}/documents/{id}", "documents.get",
              Access::kOfficerOrAnonymous, 0, [&c](Call& call) { return read(c, call); }});
}

}  // namespace motcua::api
