// Dossiers: citizens submit online (public, Idempotency-Key honoured) and get the receipt with a
// tracking secret shown once; a desk officer (bearer token) also records desk and postal intake;
// officers read the full record of their agencies' dossiers and act on them.
#include "api/api.hpp"
#include "api/internal/dossier_access.hpp"
#include "api/internal/dossier_input.hpp"
#include "api/internal/dossier_json.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"
#include "api/password.hpp"

namespace motcua::api {
namespace {

// The tracking secret of a submission. With an Idempotency-Key it is derived from the server key,
// the key and the exact request body, so a retry of the same submission (whose client never saw
// the first answer) can be given the same secret; a different body under the key is refused as a
// conflict by the lifecycle anyway. Without a key it is random.
engine::Result<std::string> tracking_secret(const Context& c, const Request& request,
                                            const std::string& idempotency_key) {
  if (idempotency_key.empty()) return random_secret();
  auto body = sha256_hex(request.body);
  if (!body) return body;
  return hmac_sha256_base64url(c.settings.server_key,
                               "tracking-secret\n" + idempotency_key + "\n" + *body);
}

Response submit(Context& c, Call& call) {
  auto read = read_submission(call.request);
  if (!read) return read.error();
  engine::SubmitRequest& request = *read;
  // The lifecycle resolves the agencies through the deployment's organisation, and decides who may
  // claim the desk or postal channel: an officer acting in the desk role of the receiving agency.
  if (const Principal* p = call.principal) {
    const std::string role = p->has_role(engine::kDeskRole)
                                 ? std::string(engine::kDeskRole)
                                 : (p->roles.empty() ? std::string() : p->roles.front());
    request.actor = engine::Actor{engine::ActorKind::kOfficer, p->login, p->agency_id, role};
  } else {
    request.actor = engine::Actor{engine::ActorKind::kApplicant, "anonymous", "",
                                  std::string(engine::kApplicantRole)};
  }
  // The secret's hash is stored with the dossier, in the submission's transaction.
  auto secret = tracking_secret(c, call.request, request.idempotency_key);
  if (!secret) return problem(call.request, secret.error());
  auto secret_hash = sha256_hex(*secret);
  if (!secret_hash) return problem(call.request, secret_hash.error());
  request.tracking_secret_sha256 = std::move(*secret_hash);
  auto outcome = c.deps.lifecycle->submit(request);
  if (!outcome) return problem(call.request, outcome.error());
  const engine::Dossier& d = outcome->dossier;
  boost::json::object receipt = public_status(c, d);
  receipt["version"] = d.version;
  receipt["submitted_at"] = c.format(d.submitted_at);
  receipt["replayed"] = outcome->replayed;
  // A replay shows the secret again when this request derives the one stored (same server key,
  // Idempotency-Key and body); the secret itself is never stored.
  receipt["tracking_secret"] = *secret;
  if (outcome->replayed) {
    auto stored = c.deps.lifecycle->tracking_secret(d.code);
    if (!stored) return problem(call.request, stored.error());
    if (!stored->has_value() || !equal_constant_time(**stored, request.tracking_secret_sha256))
      receipt["tracking_secret"] = nullptr;
  }
  Response r = json_response(outcome->replayed ? 200 : 201, receipt);
  r.headers.emplace_back("Location", "/api/v1/tracking/" + d.code);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response get(Context& c, Call& call) {
  auto view = c.deps.lifecycle->view(call.params.at("code"));
  if (!view) return problem(call.request, view.error());
  if (!participates(view->stored.dossier, *call.principal))
    return problem(call.request, 403, problem_code::kForbidden,
                   "the dossier is not handled by your agency");
  boost::json::object o = full_record(c, *view);
  boost::json::array actions;
  for (const std::string& role : call.principal->roles) {
    engine::Actor actor{engine::ActorKind::kOfficer, call.principal->login,
                        call.principal->agency_id, role};
    if (auto available = c.deps.lifecycle->available_actions(view->stored.dossier, actor)) {
      for (const auto& a : *available) actions.push_back({{"action", a}, {"role", role}});
    }
  }
  o["available_actions"] = std::move(actions);
  return json_response(200, o);
}

Response act(Context& c, Call& call) {
  const std::string& code = call.params.at("code");
  auto read = read_action(call.request, code);
  if (!read) return read.error();
  engine::ActionRequest& request = read->action;
  std::string& role = read->role;
  const Principal& p = *call.principal;
  if (!role.empty() && !p.has_role(role))
    return problem(call.request, 403, problem_code::kForbidden, "you do not hold that role");
  // The lifecycle checks participation and chooses the role among the officer's.
  request.actor = engine::Actor{engine::ActorKind::kOfficer, p.login, p.agency_id, role};
  request.roles = p.roles;
  auto outcome = c.deps.lifecycle->act(request);
  if (!outcome) return action_problem(call.request, outcome.error());
  boost::json::object o = public_status(c, outcome->dossier);
  o["version"] = outcome->dossier.version;
  o["replayed"] = outcome->replayed;
  boost::json::array events;
  for (const auto& e : outcome->events) events.push_back(event_json(c, e));
  o["events"] = std::move(events);
  return json_response(200, o);
}

}  // namespace

void add_dossier_routes(Router& router, Context& c) {
  router.add({"POST", "/api/v1/dossiers", "dossiers.submit", Access::kOfficerOrAnonymous,
              base::limits::kSubmissionBodyBytes, [&c](Call& call) { return submit(c, call); }});
  router.add({"GET", "/api/v1/dossiers/{code}", "dossiers.get", Access::kOfficer, 0,
              [&c](Call& call) { return get(c, call); }});
  router.add({"POST", "/api/v1/dossiers/{code}/actions", "dossiers.act", Access::kOfficer,
              kJsonBodyLimit, [&c](Call& call) { return act(c, call); }});
}

}  // namespace motcua::api
