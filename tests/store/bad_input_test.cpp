// Bad input through the lifecycle service: each a clear error, the database unchanged.
#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store {
using namespace testing;
using engine::ErrorCode;

namespace {

// The request is refused with `code` and no table changes.
template <class F>
void refused(World& w, ErrorCode code, F attempt) {
  const auto before = table_counts(*w.db);
  auto r = attempt();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == code);
  CHECK_FALSE(r.error().message.empty());
  CHECK(table_counts(*w.db) == before);
}

// Drives a new dossier through `steps` (action, role) to a state.
engine::Dossier drive(World& w, const std::vector<std::pair<std::string, std::string>>& steps) {
  engine::Dossier d = submit_ok(w, good_submission(w)).dossier;
  for (const auto& [name, role] : steps) {
    engine::ActionRequest r = action(d, name, role == "applicant" ? applicant() : officer(role));
    r.reason = "lý do";
    r.signed_by_actor = true;
    if (name == "request-supplement") r.components = {"design-drawings"};
    d = act_ok(w, r);
  }
  return d;
}

}  // namespace

TEST_CASE("Lifecycle service refuses bad submissions and changes nothing") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    const engine::SubmitRequest good = good_submission(w);
    submit_ok(w, good);  // the database is not empty
    auto with = [&](auto change) {
      engine::SubmitRequest r = good;
      change(r);
      return [&w, r] { return w.service->submit(r); };
    };
    SUBCASE("unknown procedure") {
      refused(w, ErrorCode::kNotFound, with([](auto& r) { r.procedure_code = "9.999999"; }));
      refused(w, ErrorCode::kNotFound, with([](auto& r) { r.procedure_version = 7; }));
    }
    SUBCASE("wrong field types") {
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) { r.form["storeys"] = "ba"; }));
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) { r.form["storeys"] = "0"; }));
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) { r.form["personal-id"] = "12"; }));
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) { r.form["work-type"] = "lâu đài"; }));
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) { r.form.erase("investor-name"); }));
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) { r.form["colour"] = "xanh"; }));
      refused(w, ErrorCode::kInvalidInput,
              with([](auto& r) { r.form["investor-name"] = std::string("A\xff", 2); }));
    }
    SUBCASE("components") {
      refused(w, ErrorCode::kComponentsRequired,
              with([](auto& r) { r.components.pop_back(); }));  // design drawings missing
      refused(w, ErrorCode::kComponentsRequired, with([](auto& r) {
                r.components.push_back(
                    {"birth-certificate", r.components[0].attachment_sha256, false, "", false});
              }));
      refused(w, ErrorCode::kInvalidInput,
              with([](auto& r) { r.components.push_back(r.components[0]); }));
      refused(w, ErrorCode::kInvalidInput,
              with([](auto& r) { r.components[0].attachment_sha256 = "not-a-digest"; }));
      refused(w, ErrorCode::kNotFound,
              with([](auto& r) { r.components[0].attachment_sha256 = std::string(64, 'a'); }));
    }
    SUBCASE("oversize data") {
      refused(w, ErrorCode::kInvalidInput,
              with([](auto& r) { r.form["investor-name"] = std::string(20000, 'x'); }));
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) {
                for (int i = 0; i < 300; ++i) r.form["f" + std::to_string(i)] = "x";
              }));
      refused(w, ErrorCode::kInvalidInput,
              with([](auto& r) { r.idempotency_key = std::string(201, 'k'); }));
      refused(w, ErrorCode::kInvalidInput,
              with([](auto& r) { r.components.resize(150, r.components[0]); }));
    }
    SUBCASE("channel, actor and agencies") {
      refused(w, ErrorCode::kForbidden, with([](auto& r) { r.actor = officer("leader"); }));
      refused(w, ErrorCode::kInvalidInput,
              with([](auto& r) { r.agency_ids.erase("fire-police"); }));
      refused(w, ErrorCode::kInvalidInput, with([](auto& r) { r.agency_ids["moon"] = "1"; }));
    }
  }
}

TEST_CASE("Lifecycle service refuses illegal actions in every state and changes nothing") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    const std::map<std::string, std::vector<std::pair<std::string, std::string>>> paths = {
        {"submitted", {}},
        {"intake-supplement", {{"request-supplement", "desk"}}},
        {"appraisal", {{"accept", "desk"}}},
        {"consultation", {{"accept", "desk"}, {"consult", "officer"}}},
        {"supplement-requested", {{"accept", "desk"}, {"request-supplement", "officer"}}},
        {"decision", {{"accept", "desk"}, {"propose", "officer"}}},
        {"resolved", {{"accept", "desk"}, {"propose", "officer"}, {"approve", "leader"}}},
        {"refused", {{"accept", "desk"}, {"refuse", "leader"}}},
        {"returned",
         {{"accept", "desk"}, {"propose", "officer"}, {"approve", "leader"}, {"return", "desk"}}},
        {"refused-at-intake", {{"refuse-intake", "desk"}}},
        {"withdrawn", {{"withdraw", "applicant"}}},
        {"stopped", {{"accept", "desk"}, {"stop", "leader"}}},
    };
    const engine::Procedure& permit = *w.procedures->current(kPermit).value().procedure;
    REQUIRE(paths.size() == permit.states.size());
    int refusals = 0;
    for (const auto& [state, steps] : paths) {
      CAPTURE(state);
      const engine::Dossier d = drive(w, steps);
      REQUIRE(d.state == state);
      for (const engine::Transition& t : permit.transitions) {
        if (permit.transition(state, t.action) != nullptr) continue;  // legal here
        CAPTURE(t.action);
        for (const std::string& role : t.roles) {
          engine::ActionRequest r =
              action(d, t.action, role == "applicant" ? applicant() : officer(role));
          r.reason = "lý do";
          r.signed_by_actor = true;
          r.components = {"design-drawings"};
          refused(w, ErrorCode::kIllegalAction, [&] { return w.service->act(r); });
          ++refusals;
        }
      }
      // Unknown actions and dossiers, and a role that may not act here.
      refused(w, ErrorCode::kIllegalAction,
              [&] { return w.service->act(action(d, "teleport", officer("desk"))); });
      engine::ActionRequest ghost = action(d, "accept", officer("desk"));
      ghost.dossier_code = std::string(kCentreId) + "-261123-9999";
      refused(w, ErrorCode::kNotFound, [&] { return w.service->act(ghost); });
    }
    CHECK(refusals > 50);
    // A role that may not act, a missing reason, an oversize reason.
    const engine::Dossier d = drive(w, {});
    refused(w, ErrorCode::kForbidden,
            [&] { return w.service->act(action(d, "accept", officer("leader"))); });
    refused(w, ErrorCode::kReasonRequired,
            [&] { return w.service->act(action(d, "refuse-intake", officer("desk"))); });
    engine::ActionRequest huge = action(d, "refuse-intake", officer("desk"));
    huge.reason = std::string(5000, 'x');
    refused(w, ErrorCode::kInvalidInput, [&] { return w.service->act(huge); });
    engine::ActionRequest unknown_component = action(d, "request-supplement", officer("desk"));
    unknown_component.reason = "thiếu";
    unknown_component.components = {"passport"};
    refused(w, ErrorCode::kComponentsRequired, [&] { return w.service->act(unknown_component); });
    check_chains(w.db);
  }
}

}  // namespace motcua::store
