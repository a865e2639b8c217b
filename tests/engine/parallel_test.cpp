// Consultation branches (same-level inter-agency work) and cross-level forwarding.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>

#include "engine/state_machine.hpp"
#include "tests/engine/procedure_fixture.hpp"
#include "tests/engine/vn_calendar_fixture.hpp"

namespace motcua::engine {
namespace {

using testing::command;
using testing::consultee;
using testing::desk;
using testing::Flow;
using testing::leader;
using testing::officer;
using testing::vn;

struct BranchAnswer {
  const char* branch;
  const char* action;
  const char* agency_id;
};

constexpr std::array<BranchAnswer, 3> kAnswers{{
    {"fire-safety", "respond", testing::kFireId},
    {"land-use", "respond", testing::kLandId},
    {"environment", "give-opinion", testing::kEnvironmentId},
}};

Command answer(const BranchAnswer& a, Instant at) {
  Command c = command(a.action, at, consultee(a.agency_id));
  c.branch = a.branch;
  c.answer = std::string("Đồng ý (") + a.branch + ")";
  return c;
}

void to_consultation(Flow& flow) {
  flow.submit(vn("2026-03-02T08:00"));
  flow.apply(command("accept", vn("2026-03-02T09:00"), desk()));
  flow.apply(command("consult", vn("2026-03-03T09:00"), officer()));
}

TEST_CASE("Parallel branches complete in every order and reach on_complete exactly once") {
  const Procedure p = testing::permit_procedure();
  std::array<int, 3> order{0, 1, 2};
  int permutations = 0;
  do {
    CAPTURE(order[0]);
    CAPTURE(order[1]);
    CAPTURE(order[2]);
    Flow flow(p, testing::vietnam_2026());
    to_consultation(flow);
    REQUIRE(flow.dossier().branches.size() == 3);
    int entered_decision = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const Instant at = vn("2026-03-04T09:00") + std::chrono::hours(int(i));
      const Dossier& d = flow.apply(answer(kAnswers[order[i]], at));
      CHECK(flow.last_events()[0].kind == EventKind::kBranchCompleted);
      for (const Event& e : flow.last_events()) {
        if (e.kind == EventKind::kTransitioned && e.to_state == "decision") ++entered_decision;
      }
      if (i + 1 < order.size()) {
        CHECK(d.state == "consultation");
        CHECK(flow.last_events().size() == 1);
      } else {
        CHECK(d.state == "decision");
        REQUIRE(flow.last_events().size() == 2);
        CHECK(flow.last_events()[1].from_state == "consultation");
        CHECK(d.branches.empty());
        CHECK(d.slip.back().from_state == "consultation");
        CHECK(d.slip.back().due == vn("2026-03-06T11:00"));  // 2 working days from Wed 11:00
      }
    }
    CHECK(entered_decision == 1);
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  CHECK(permutations == 6);
}

TEST_CASE("Parallel branch records its answer, handler and verdict, once") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  to_consultation(flow);
  const BranchTask& land = flow.dossier().branches[1];
  CHECK(land.agency_id == testing::kLandId);
  CHECK(land.role == "consultee");
  CHECK(land.opened == vn("2026-03-03T09:00"));
  CHECK(land.due == vn("2026-03-10T09:00"));

  const Dossier& d = flow.apply(answer(kAnswers[1], vn("2026-03-10T09:30")));
  CHECK(d.branches[1].completed == vn("2026-03-10T09:30"));
  CHECK(d.branches[1].handler == "consultee-14.H57");
  CHECK(d.branches[1].answer == "Đồng ý (land-use)");
  CHECK(d.branches[1].verdict == Verdict::kLate);
  CHECK(flow.attempt(answer(kAnswers[1], vn("2026-03-10T10:00"))).error().code ==
        ErrorCode::kAlreadyDone);

  const Dossier& early = flow.apply(answer(kAnswers[2], vn("2026-03-04T09:00")));
  CHECK(early.branches[2].verdict == Verdict::kEarly);
}

TEST_CASE("Parallel branch refuses another agency, a wrong action and an unknown branch") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  to_consultation(flow);
  Command wrong_agency = answer(kAnswers[0], vn("2026-03-04T09:00"));
  wrong_agency.actor = consultee(testing::kLandId);
  CHECK(flow.attempt(wrong_agency).error().code == ErrorCode::kForbidden);
  Command wrong_role = answer(kAnswers[0], vn("2026-03-04T09:00"));
  wrong_role.actor.role = "officer";
  CHECK(flow.attempt(wrong_role).error().code == ErrorCode::kForbidden);
  Command wrong_action = answer(kAnswers[2], vn("2026-03-04T09:00"));
  wrong_action.action = "respond";
  CHECK(flow.attempt(wrong_action).error().code == ErrorCode::kIllegalAction);
  Command unknown = answer(kAnswers[0], vn("2026-03-04T09:00"));
  unknown.branch = "police";
  CHECK(flow.attempt(unknown).error().code == ErrorCode::kIllegalAction);
}

TEST_CASE("Parallel branch with silence as consent is answered by the system after its deadline") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  to_consultation(flow);
  // 12 calendar days end on Sun 15 Mar, so the period runs to the close of Mon 16 Mar.
  Command silence = command("respond", vn("2026-03-16T16:59"), testing::system_actor());
  silence.branch = "fire-safety";
  CHECK(flow.attempt(silence).error().code == ErrorCode::kForbidden);
  silence.at = vn("2026-03-16T17:00");
  CHECK(flow.apply(silence).branches[0].completed);
  Command land_silence = command("respond", vn("2026-04-01T09:00"), testing::system_actor());
  land_silence.branch = "land-use";
  CHECK(flow.attempt(land_silence).error().code == ErrorCode::kForbidden);
}

TEST_CASE("Parallel state keeps its declared transitions: apology stays, stop ends") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  to_consultation(flow);
  flow.apply(answer(kAnswers[0], vn("2026-03-04T09:00")));
  Command apology = command("apologise", vn("2026-03-05T09:00"), leader());
  apology.reason = "Chờ ý kiến cơ quan đất đai";
  apology.new_due = vn("2026-03-31T17:00");
  const Dossier& redated = flow.apply(apology);
  CHECK(redated.state == "consultation");
  CHECK(redated.branches.size() == 3);
  CHECK(redated.branches[0].completed);
  Command stop = command("stop", vn("2026-03-06T09:00"), leader());
  stop.reason = "Chủ đầu tư đề nghị dừng";
  const Dossier& stopped = flow.apply(stop);
  CHECK(stopped.state == "stopped");
  CHECK(stopped.status == StatusCode::kStopped);
  CHECK(stopped.finished_at);
  CHECK(flow.attempt(answer(kAnswers[1], vn("2026-03-06T10:00"))).error().code ==
        ErrorCode::kIllegalAction);
}

TEST_CASE("Cross-level forward goes to the province and the result comes back to the commune") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  flow.submit(vn("2026-03-02T08:00"));
  flow.apply(command("accept", vn("2026-03-02T09:00"), desk()));
  const Dossier& up = flow.apply(command("forward", vn("2026-03-03T09:00"), officer()));
  CHECK(up.state == "provincial-review");
  CHECK(up.status == StatusCode::kProcessing);
  CHECK(up.slip.back().agency_id == testing::kProvinceId);
  CHECK(up.slip.back().due == vn("2026-03-06T09:00"));

  CHECK(
      flow.attempt(command("return-to-commune", vn("2026-03-04T09:00"), officer())).error().code ==
      ErrorCode::kForbidden);
  CHECK(available_actions(p, up, testing::province_officer()) ==
        std::vector<std::string>{"return-to-commune"});
  const Dossier& down =
      flow.apply(command("return-to-commune", vn("2026-03-06T10:00"), testing::province_officer()));
  CHECK(down.state == "appraisal");
  CHECK(down.slip[2].verdict == Verdict::kLate);
  CHECK(down.slip[2].left_by == "province-an");
  CHECK(down.slip.back().agency_id == testing::kCommuneId);
  CHECK(down.slip.back().from_state == "provincial-review");
  CHECK(down.due == vn("2026-03-23T09:00"));
}

}  // namespace
}  // namespace motcua::engine
