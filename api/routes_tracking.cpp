// Tracking: by code alone, the state and due date; with the tracking secret (X-Tracking-Secret),
// the full timeline and the documents issued, and the applicant's own actions (supplement,
// withdrawal). Rate-limited per client: codes are guessable, secrets are not.
#include "api/api.hpp"
#include "api/dossier_access.hpp"
#include "api/dossier_input.hpp"
#include "api/dossier_json.hpp"
#include "api/json.hpp"
#include "api/problem.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;

Response track(Context& c, Call& call) {
  if (auto r = tracking_limited(c, call.request)) return *r;
  const std::string& code = call.params.at("code");
  const std::string_view secret = call.request.header("x-tracking-secret");
  if (!secret.empty()) {
    auto ok = secret_matches(c, code, secret);
    if (!ok) return problem(call.request, ok.error());
    if (!*ok) return no_dossier_for_secret(call.request);
  }
  json::object body;
  if (secret.empty() && c.deps.statistics) {
    // The public view needs only the projection row.
    auto summary = c.deps.statistics->summary(code);
    if (!summary) return problem(call.request, summary.error());
    if (!summary->has_value()) return problem(call.request, 404, problem_code::kNotFound);
    const engine::DossierSummary& s = **summary;
    body = {{"code", s.code},
            {"state", s.state},
            {"status", s.status},
            {"due", s.due ? json::value(c.format(*s.due)) : json::value(nullptr)}};
  } else {
    auto view = c.deps.lifecycle->get(code);
    if (!view) {
      if (view.error().code == engine::ErrorCode::kNotFound)
        return problem(call.request, 404, problem_code::kNotFound);
      return problem(call.request, view.error());
    }
    if (secret.empty()) {
      body = public_status(c, view->stored.dossier);
    } else {
      auto documents = c.deps.lifecycle->documents(code);
      if (!documents) return problem(call.request, documents.error());
      body = timeline(c, *view, *documents);
    }
  }
  Response r = json_response(200, body);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response applicant_act(Context& c, Call& call) {
  if (auto r = tracking_limited(c, call.request)) return *r;
  const std::string& code = call.params.at("code");
  auto ok = secret_matches(c, code, call.request.header("x-tracking-secret"));
  if (!ok) return problem(call.request, ok.error());
  if (!*ok) return no_dossier_for_secret(call.request);
  engine::ActionRequest request;
  if (auto bad = read_action(call.request, code, request)) return *bad;
  request.actor = engine::Actor{engine::ActorKind::kApplicant, "applicant", "",
                                std::string(engine::kApplicantRole)};
  auto outcome = c.deps.lifecycle->act(request);
  if (!outcome)
    return action_problem(call.request, c, outcome.error(), code, request.expected_version);
  boost::json::object o = public_status(c, outcome->dossier);
  o["version"] = outcome->dossier.version;
  o["replayed"] = outcome->replayed;
  return json_response(200, o);
}

}  // namespace

void add_tracking_routes(Router& router, Context& c) {
  router.add({"GET", "/api/v1/tracking/{code}", "tracking.get", Access::kPublic, 0,
              [&c](Call& call) { return track(c, call); }});
  router.add({"POST", "/api/v1/tracking/{code}/actions", "tracking.act", Access::kPublic,
              kJsonBodyLimit, [&c](Call& call) { return applicant_act(c, call); }});
}

}  // namespace motcua::api
