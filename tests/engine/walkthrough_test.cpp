// Walkthrough plans: a lawful complete lifecycle derived from the definition alone.
#include "samples/walkthrough/walkthrough.hpp"

#include <doctest/doctest.h>

#include "tests/engine/procedure_fixture.hpp"
#include "tests/engine/vn_calendar_fixture.hpp"

namespace motcua::engine {
namespace {

std::vector<std::string> actions(const std::vector<WalkStep>& steps) {
  std::vector<std::string> out;
  for (const WalkStep& s : steps) out.push_back(s.branch.empty() ? s.action : s.branch);
  return out;
}

void drive(const Procedure& p, const std::vector<WalkStep>& steps) {
  testing::Flow flow(p, testing::vietnam_2026());
  flow.submit(testing::vn("2026-03-02T08:00"), walkthrough_applicant(), Channel::kOnline);
  Instant at = testing::vn("2026-03-02T09:00");
  for (const WalkStep& step : steps) {
    CAPTURE(step.action);
    flow.apply(walkthrough_command(p, flow.dossier(), step, at));
    at += std::chrono::hours(3);
  }
  CHECK(flow.dossier().state == "returned");
  CHECK(flow.dossier().has_result);
  CHECK(flow.dossier().verdict == Verdict::kEarly);
}

TEST_CASE("Walkthrough passes the consultation and returns the result") {
  const Procedure p = testing::permit_procedure();
  auto plan = plan_walkthrough(p);
  REQUIRE(plan);
  CHECK(actions(*plan) == std::vector<std::string>{"accept", "consult", "fire-safety", "land-use",
                                                   "environment", "approve", "return"});
  CHECK((*plan)[0].agency == "commune-centre");
  CHECK((*plan)[2].agency == "fire-police");
  drive(p, *plan);
}

TEST_CASE("Walkthrough with a supplement asks once after the clock started") {
  const Procedure p = testing::permit_procedure();
  auto plan = plan_walkthrough(p, WalkOptions{true});
  REQUIRE(plan);
  CHECK(actions(*plan) == std::vector<std::string>{"accept", "request-supplement",
                                                   "supplement-received", "consult", "fire-safety",
                                                   "land-use", "environment", "approve", "return"});
  CHECK((*plan)[2].role == "applicant");
  drive(p, *plan);
}

TEST_CASE("Walkthrough falls back to any final state and fails without one") {
  Procedure p = testing::permit_procedure();
  std::erase_if(p.transitions, [](const Transition& t) { return t.action == "return"; });
  auto plan = plan_walkthrough(p);
  REQUIRE(plan);
  CHECK(actions(*plan) == std::vector<std::string>{"refuse-intake"});
  p.transitions.clear();
  CHECK(plan_walkthrough(p).error().code == ErrorCode::kInvalidDefinition);
}

}  // namespace
}  // namespace motcua::engine
