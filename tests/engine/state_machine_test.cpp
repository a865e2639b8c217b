// The transition function: a full lifecycle, and every refusal decide() promises.
#include "engine/state_machine.hpp"

#include <doctest/doctest.h>

#include <set>

#include "tests/engine/procedure_fixture.hpp"
#include "tests/engine/vn_calendar_fixture.hpp"

namespace motcua::engine {
namespace {

using testing::applicant;
using testing::command;
using testing::consultee;
using testing::desk;
using testing::Flow;
using testing::leader;
using testing::officer;
using testing::vn;

ErrorCode error_of(const Result<Decision>& result) {
  REQUIRE_FALSE(result.has_value());
  return result.error().code;
}

TEST_CASE("State machine drives a construction permit from submission to the returned result") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());

  const Dossier& submitted = flow.submit(vn("2026-03-02T08:00"));
  CHECK(submitted.state == "submitted");
  CHECK(submitted.status == StatusCode::kSubmitted);
  CHECK(submitted.code == "000.21.14.H57-260302-0001");
  CHECK(submitted.procedure_code == p.code);
  CHECK(submitted.procedure_version == 2);
  CHECK(submitted.procedure_hash == p.source_hash);
  CHECK(submitted.agency_ids.at("commune-ppc") == testing::kCommuneId);
  CHECK(submitted.agency_ids.at("environment") == testing::kEnvironmentId);
  CHECK_FALSE(submitted.clock_start);
  CHECK_FALSE(submitted.due);
  REQUIRE(submitted.slip.size() == 1);
  CHECK(submitted.slip[0].agency_id == testing::kDeskId);
  CHECK(submitted.version == 1);
  REQUIRE(flow.history().size() == 1);
  CHECK(flow.history()[0].kind == EventKind::kSubmitted);

  const Dossier& accepted = flow.apply(command("accept", vn("2026-03-02T09:00"), desk()));
  CHECK(accepted.state == "appraisal");
  CHECK(accepted.status == StatusCode::kProcessing);
  CHECK(accepted.clock_start == vn("2026-03-02T09:00"));
  CHECK(accepted.due == vn("2026-03-23T09:00"));  // 15 working days, no holiday in March
  REQUIRE(flow.last_events().size() == 2);
  CHECK(flow.last_events()[0].kind == EventKind::kTransitioned);
  CHECK(flow.last_events()[1].kind == EventKind::kClockStarted);
  REQUIRE(accepted.slip.size() == 2);
  CHECK(accepted.slip[0].left == vn("2026-03-02T09:00"));
  CHECK(accepted.slip[0].left_by == "desk-lan");
  CHECK(accepted.slip[0].verdict == Verdict::kNone);
  CHECK(accepted.slip[1].state == "appraisal");
  CHECK(accepted.slip[1].from_state == "submitted");
  CHECK(accepted.slip[1].agency_id == testing::kCommuneId);
  CHECK(accepted.slip[1].handed_by == "desk-lan");
  CHECK(accepted.slip[1].due == vn("2026-03-11T09:00"));  // 7 working days

  const Dossier& inspected = flow.apply(command("inspect-site", vn("2026-03-03T10:00"), officer()));
  CHECK(inspected.state == "appraisal");
  CHECK(inspected.slip.size() == 2);
  CHECK(flow.last_events()[0].to_state.empty());

  const Dossier& consulting = flow.apply(command("consult", vn("2026-03-04T10:00"), officer()));
  CHECK(consulting.state == "consultation");
  CHECK(consulting.slip[1].verdict == Verdict::kEarly);
  REQUIRE(consulting.branches.size() == 3);
  CHECK(consulting.branches[0].due == vn("2026-03-16T17:00"));  // 12 calendar days, close of Monday
  CHECK(consulting.branches[1].due == vn("2026-03-11T10:00"));  // 5 working days
  CHECK(consulting.branches[2].agency_id == testing::kEnvironmentId);

  Command land = command("respond", vn("2026-03-09T09:00"), consultee(testing::kLandId));
  land.branch = "land-use";
  land.answer = "Phù hợp quy hoạch sử dụng đất";
  flow.apply(land);
  Command environment =
      command("give-opinion", vn("2026-03-11T10:00"), consultee(testing::kEnvironmentId));
  environment.branch = "environment";
  flow.apply(environment);
  Command fire = command("respond", vn("2026-03-12T15:00"), consultee(testing::kFireId));
  fire.branch = "fire-safety";
  const Dossier& deciding = flow.apply(fire);
  CHECK(deciding.state == "decision");
  CHECK(deciding.slip.back().due == vn("2026-03-16T15:00"));

  Command approve = command("approve", vn("2026-03-13T10:00"), leader());
  approve.signed_by_actor = true;
  const Dossier& resolved = flow.apply(approve);
  CHECK(resolved.state == "resolved");
  CHECK(resolved.status == StatusCode::kResolved);
  CHECK(resolved.finished_at == vn("2026-03-13T10:00"));
  CHECK(resolved.verdict == Verdict::kEarly);
  CHECK(resolved.has_result);

  const Dossier& returned = flow.apply(command("return", vn("2026-03-16T08:00"), desk()));
  CHECK(returned.state == "returned");
  CHECK(returned.status == StatusCode::kResultReturned);
  CHECK(returned.verdict == Verdict::kEarly);
  CHECK(returned.slip.size() == 6);
  CHECK(returned.version == std::int64_t(flow.history().size()));
  CHECK(flow.history().size() == 12);

  CHECK(error_of(flow.attempt(command("return", vn("2026-03-16T09:00"), desk()))) ==
        ErrorCode::kIllegalAction);
  CHECK(available_actions(p, returned, desk()).empty());
}

// Puts a submitted dossier in `state` directly: decide() must judge by the state alone.
Dossier dossier_in(const Procedure& p, const std::string& state) {
  Flow flow(p, testing::vietnam_2026());
  Dossier d = flow.submit(vn("2026-03-02T08:00"));
  d.state = state;
  return d;
}

TEST_CASE("State machine refuses every action not declared in the current state") {
  const Procedure p = testing::permit_procedure();
  std::set<std::string> actions{"nonsense", ""};
  for (const Transition& t : p.transitions) actions.insert(t.action);
  for (const State& s : p.states) {
    for (const Branch& b : s.branches) actions.insert(b.action);
  }
  const Actor actors[] = {desk(), officer(), leader(), applicant()};
  int refused = 0;
  for (const State& state : p.states) {
    const Dossier d = dossier_in(p, state.id);
    for (const std::string& action : actions) {
      if (state.kind != StateKind::kFinal && p.transition(state.id, action) != nullptr) continue;
      for (const Actor& actor : actors) {
        CAPTURE(state.id);
        CAPTURE(action);
        CAPTURE(actor.role);
        const auto result =
            decide(p, testing::vietnam_2026(), d, command(action, vn("2026-03-03T09:00"), actor));
        CHECK(error_of(result) == ErrorCode::kIllegalAction);
        ++refused;
      }
    }
  }
  CHECK(refused > 300);
}

TEST_CASE("State machine refuses a declared action to every role it does not list") {
  const Procedure p = testing::permit_procedure();
  const Actor actors[] = {desk(), officer(), leader(), applicant(), consultee(testing::kFireId)};
  int refused = 0;
  for (const Transition& t : p.transitions) {
    for (const std::string& from : t.from) {
      const Dossier d = dossier_in(p, from);
      for (const Actor& actor : actors) {
        if (std::find(t.roles.begin(), t.roles.end(), actor.role) != t.roles.end()) continue;
        CAPTURE(t.action);
        CAPTURE(from);
        CAPTURE(actor.role);
        CHECK(error_of(decide(p, testing::vietnam_2026(), d,
                              command(t.action, vn("2026-03-03T09:00"), actor))) ==
              ErrorCode::kForbidden);
        ++refused;
      }
    }
  }
  CHECK(refused > 50);
}

TEST_CASE("State machine refuses officers of another agency and impostor applicants") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  flow.submit(vn("2026-03-02T08:00"));

  SUBCASE("a desk officer of another commune cannot accept") {
    Actor other = testing::officer_of("000.99.14.H57", "desk", "desk-other");
    CHECK(error_of(flow.attempt(command("accept", vn("2026-03-02T09:00"), other))) ==
          ErrorCode::kForbidden);
  }
  SUBCASE("the commune committee's officer is not the desk") {
    Actor committee_desk = testing::officer_of(testing::kCommuneId, "desk", "x");
    CHECK(error_of(flow.attempt(command("accept", vn("2026-03-02T09:00"), committee_desk))) ==
          ErrorCode::kForbidden);
  }
  SUBCASE("an officer claiming the applicant role is refused") {
    Actor fake = testing::officer_of(testing::kDeskId, "applicant", "desk-lan");
    CHECK(error_of(flow.attempt(command("withdraw", vn("2026-03-02T09:00"), fake))) ==
          ErrorCode::kForbidden);
  }
  SUBCASE("an applicant claiming an officer role is refused") {
    Actor fake{ActorKind::kApplicant, "citizen-001", testing::kDeskId, "desk"};
    CHECK(error_of(flow.attempt(command("accept", vn("2026-03-02T09:00"), fake))) ==
          ErrorCode::kForbidden);
  }
  SUBCASE("the applicant withdraws without any agency") {
    Command withdraw = command("withdraw", vn("2026-03-02T09:00"), applicant());
    const Dossier& d = flow.apply(withdraw);
    CHECK(d.state == "withdrawn");
    CHECK(d.status == StatusCode::kWithdrawn);
    CHECK(d.finished_at == vn("2026-03-02T09:00"));
    CHECK(d.verdict == Verdict::kNone);
    CHECK_FALSE(d.has_result);
  }
}

TEST_CASE("State machine requires a reason, declared components and a signature where declared") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  flow.submit(vn("2026-03-02T08:00"));

  SUBCASE("refusal at intake without a reason") {
    CHECK(error_of(flow.attempt(command("refuse-intake", vn("2026-03-02T09:00"), desk()))) ==
          ErrorCode::kReasonRequired);
    Command refuse = command("refuse-intake", vn("2026-03-02T09:00"), desk());
    refuse.reason = "Hồ sơ không thuộc thẩm quyền giải quyết";
    const Dossier& d = flow.apply(refuse);
    CHECK(d.status == StatusCode::kRefusedAtIntake);
    CHECK(flow.last_events()[0].reason == refuse.reason);
    CHECK(flow.last_events().back().kind == EventKind::kFinished);
  }
  SUBCASE("intake supplement without components, with an undeclared one, with a duplicate") {
    Command request = command("request-documents", vn("2026-03-02T09:00"), desk());
    request.reason = "Thiếu bản vẽ";
    CHECK(error_of(flow.attempt(request)) == ErrorCode::kComponentsRequired);
    request.components = {"design-drawings", "birth-certificate"};
    const auto undeclared = flow.attempt(request);
    CHECK(error_of(undeclared) == ErrorCode::kComponentsRequired);
    CHECK(undeclared.error().message.find("birth-certificate") != std::string::npos);
    request.components = {"design-drawings", "design-drawings"};
    CHECK(error_of(flow.attempt(request)) == ErrorCode::kInvalidInput);
    request.components = {"design-drawings", "land-document"};
    const Dossier& d = flow.apply(request);
    CHECK(d.status == StatusCode::kSupplementRequested);
    CHECK(d.supplement_requests == 1);
    CHECK(d.supplement_components == request.components);
    CHECK_FALSE(d.clock_start);

    Command resubmit = command("resubmit", vn("2026-03-05T09:00"), applicant());
    resubmit.components = {"design-drawings", "land-document"};
    const Dossier& back = flow.apply(resubmit);
    CHECK(back.state == "submitted");
    CHECK_FALSE(back.supplement_requested_at);
    CHECK_FALSE(back.clock_start);
    const Dossier& accepted = flow.apply(command("accept", vn("2026-03-05T10:00"), desk()));
    CHECK(accepted.clock_start == vn("2026-03-05T10:00"));
  }
  SUBCASE("approval without the leader's signature") {
    flow.apply(command("accept", vn("2026-03-02T09:00"), desk()));
    flow.apply(command("propose", vn("2026-03-03T09:00"), officer()));
    Command approve = command("approve", vn("2026-03-04T09:00"), leader());
    CHECK(error_of(flow.attempt(approve)) == ErrorCode::kSignatureRequired);
    approve.signed_by_actor = true;
    CHECK(flow.apply(approve).has_result);
  }
}

TEST_CASE("State machine accepts only the components a transition names") {
  Procedure p = testing::permit_procedure();
  for (Transition& t : p.transitions) {
    if (t.action == "request-documents") t.components = {"design-drawings", "land-document"};
  }
  Flow flow(p, testing::vietnam_2026());
  flow.submit(vn("2026-03-02T08:00"));
  Command request = command("request-documents", vn("2026-03-02T09:00"), desk());
  request.reason = "Thiếu giấy tờ";
  request.components = {"design-drawings", "application"};  // declared, but not this action's
  const auto refused = flow.attempt(request);
  CHECK(error_of(refused) == ErrorCode::kComponentsRequired);
  CHECK(refused.error().message.find("application") != std::string::npos);
  request.components = {"land-document"};
  CHECK(flow.apply(request).supplement_components == request.components);
}

TEST_CASE("State machine submit checks channel, code, agency ids and the submitting actor") {
  Procedure p = testing::permit_procedure();
  const Calendar& calendar = testing::vietnam_2026();
  Submission s;
  s.code = "000.21.14.H57-260302-0001";
  s.channel = Channel::kOnline;
  s.agency_ids = {{"environment", testing::kEnvironmentId}};
  s.at = vn("2026-03-02T20:00");
  s.actor = applicant();
  REQUIRE(submit(p, calendar, s).has_value());

  SUBCASE("channel not offered") {
    p.channels = {Channel::kDesk};
    CHECK(submit(p, calendar, s).error().code == ErrorCode::kInvalidInput);
  }
  SUBCASE("empty code") {
    s.code.clear();
    CHECK(submit(p, calendar, s).error().code == ErrorCode::kInvalidInput);
  }
  SUBCASE("an agency without an id") {
    s.agency_ids.clear();
    const auto result = submit(p, calendar, s);
    CHECK(result.error().code == ErrorCode::kInvalidInput);
    CHECK(result.error().message.find("environment") != std::string::npos);
  }
  SUBCASE("an override for an agency the procedure does not have") {
    s.agency_ids["police"] = "000.00.99.H57";
    CHECK(submit(p, calendar, s).error().code == ErrorCode::kInvalidInput);
  }
  SUBCASE("an override replaces the default id") {
    s.agency_ids["commune-ppc"] = "000.20.15.H57";
    CHECK(submit(p, calendar, s)->dossier.agency_ids.at("commune-ppc") == "000.20.15.H57");
  }
  SUBCASE("desk officer of the receiving agency, of another agency, and the system") {
    s.actor = desk();
    CHECK(submit(p, calendar, s).has_value());
    s.actor = officer();
    CHECK(submit(p, calendar, s).error().code == ErrorCode::kForbidden);
    s.actor = testing::system_actor();
    CHECK(submit(p, calendar, s).error().code == ErrorCode::kForbidden);
  }
}

TEST_CASE("State machine refuses a dossier pinned to another procedure version") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  Dossier d = flow.submit(vn("2026-03-02T08:00"));
  d.procedure_version = 1;
  CHECK(decide(p, testing::vietnam_2026(), d, command("accept", vn("2026-03-02T09:00"), desk()))
            .error()
            .code == ErrorCode::kInvalidInput);
}

TEST_CASE("State machine lists the actions an actor may perform now") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  const Dossier& d = flow.submit(vn("2026-03-02T08:00"));
  CHECK(available_actions(p, d, desk()) ==
        std::vector<std::string>{"accept", "refuse-intake", "request-documents"});
  CHECK(available_actions(p, d, applicant()) == std::vector<std::string>{"withdraw"});
  CHECK(available_actions(p, d, officer()).empty());

  flow.apply(command("accept", vn("2026-03-02T09:00"), desk()));
  flow.apply(command("consult", vn("2026-03-02T10:00"), officer()));
  CHECK(available_actions(p, flow.dossier(), consultee(testing::kFireId)) ==
        std::vector<std::string>{"respond"});
  CHECK(available_actions(p, flow.dossier(), consultee(testing::kEnvironmentId)) ==
        std::vector<std::string>{"give-opinion"});
  CHECK(available_actions(p, flow.dossier(), leader()) ==
        std::vector<std::string>{"apologise", "stop"});
  Command fire = command("respond", vn("2026-03-03T10:00"), consultee(testing::kFireId));
  flow.apply(fire);  // the branch is inferred from the actor's agency
  CHECK(flow.dossier().branches[0].completed);
  CHECK(available_actions(p, flow.dossier(), consultee(testing::kFireId)).empty());
}

}  // namespace
}  // namespace motcua::engine
