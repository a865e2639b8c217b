// Tracking: by code alone, the state and due date; with the tracking secret (X-Tracking-Secret),
// the full timeline and the documents issued, and the applicant's own actions (supplement,
// withdrawal). Rate-limited per client: codes are guessable, secrets are not.
#include "api/api.hpp"
#include "api/internal/dossier_access.hpp"
#include "api/internal/dossier_input.hpp"
#include "api/internal/dossier_json.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

Response public_view(Context& c, const engine::DossierSummary& s) {
  Response r = json_response(200, public_status(c, s));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// On the network thread: a public look-up the cache holds is answered there (rate limit
// included); anything else goes to a worker, which counts it against the limit itself.
std::optional<Response> track_from_memory(Context& c, Call& call) {
  if (!c.deps.status_cache || !call.request.header("x-tracking-secret").empty())
    return std::nullopt;
  auto held = c.deps.status_cache->find(call.params.at("code"));
  if (!held) return std::nullopt;
  if (auto r = tracking_limited(c, call.request)) return *r;
  return public_view(c, *held);
}

Response track(Context& c, Call& call) {
  if (auto r = tracking_limited(c, call.request)) return *r;
  const std::string& code = call.params.at("code");
  const std::string_view secret = call.request.header("x-tracking-secret");
  if (!secret.empty()) {
    auto ok = secret_matches(c, code, secret);
    if (!ok) return problem(call.request, ok.error());
    if (!*ok) return no_dossier_for_secret(call.request);
  }
  if (secret.empty()) {
    // The public view needs only the projection row.
    const std::uint64_t epoch = c.deps.status_cache ? c.deps.status_cache->epoch() : 0;
    auto summary = c.deps.statistics->summary(code);
    if (!summary) return problem(call.request, summary.error());
    if (!summary->has_value()) return problem(call.request, 404, problem_code::kNotFound);
    if (c.deps.status_cache) c.deps.status_cache->put(**summary, epoch);
    return public_view(c, **summary);
  }
  auto view = c.deps.lifecycle->view(code);
  if (!view) return problem(call.request, view.error());
  Response r = json_response(200, timeline(c, *view));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response applicant_act(Context& c, Call& call) {
  if (auto r = tracking_limited(c, call.request)) return *r;
  const std::string& code = call.params.at("code");
  auto ok = secret_matches(c, code, call.request.header("x-tracking-secret"));
  if (!ok) return problem(call.request, ok.error());
  if (!*ok) return no_dossier_for_secret(call.request);
  auto read = read_action(call.request, code);
  if (!read) return read.error();
  engine::ActionRequest& request = read->action;
  request.actor = engine::Actor{engine::ActorKind::kApplicant, "applicant", "",
                                std::string(engine::kApplicantRole)};
  auto outcome = c.deps.lifecycle->act(request);
  if (!outcome) return action_problem(call.request, outcome.error());
  boost::json::object o = public_status(c, outcome->dossier);
  o["version"] = outcome->dossier.version;
  o["replayed"] = outcome->replayed;
  return json_response(200, o);
}

}  // namespace

void add_tracking_routes(Router& router, Context& c) {
  router.add({"GET", "/api/v1/tracking/{code}", "tracking.get", Access::kPublic, 0,
              [&c](Call& call) { return track(c, call); },
              [&c](Call& call) { return track_from_memory(c, call); }});
  router.add({"POST", "/api/v1/tracking/{code}/actions", "tracking.act", Access::kPublic,
              kJsonBodyLimit, [&c](Call& call) { return applicant_act(c, call); }});
}

}  // namespace motcua::api
