// Every shipped procedure can be driven through a complete lifecycle by the engine, on the shipped
// calendar, on every channel it offers.
#include <doctest/doctest.h>

#include <cstdio>

#include "engine/state_machine.hpp"
#include "samples/walkthrough/walkthrough.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/catalog.hpp"
#include "workflows/procedure_loader.hpp"
#include "workflows/xml_library.hpp"

namespace motcua::workflows {
namespace {

using engine::Channel;
using engine::Dossier;
using engine::Procedure;

// Agencies the definition leaves without a QCVN id get one here, as a deployment would.
std::map<std::string, std::string> agency_ids(const Procedure& p) {
  std::map<std::string, std::string> ids;
  int n = 10;
  for (const engine::Agency& a : p.agencies) {
    char id[32];
    std::snprintf(id, sizeof id, "000.00.%02d.H57", n++);
    if (a.code.empty()) ids[a.key] = id;
  }
  return ids;
}

Dossier drive(const Procedure& p, const engine::Calendar& calendar, Channel channel,
              const std::vector<engine::WalkStep>& steps) {
  const engine::Instant start = *engine::parse_instant("2026-03-02T08:00:00+07:00");
  engine::Submission submission;
  submission.code = "000.00.10.H57-260302-0001";
  submission.channel = channel;
  submission.agency_ids = agency_ids(p);
  submission.at = start;
  submission.actor = engine::walkthrough_applicant();
  auto submitted = engine::submit(p, calendar, submission);
  REQUIRE_MESSAGE(submitted, (submitted ? "" : submitted.error().message));
  Dossier dossier = std::move(submitted->dossier);
  std::vector<engine::Event> history = std::move(submitted->events);
  int hours = 1;
  for (const engine::WalkStep& step : steps) {
    CAPTURE(step.action);
    CAPTURE(step.branch);
    auto at = calendar.add(start, engine::Duration{hours++, engine::DurationUnit::kWorkingHours});
    REQUIRE(at);
    auto decision =
        engine::decide(p, calendar, dossier, engine::walkthrough_command(p, dossier, step, *at));
    REQUIRE_MESSAGE(decision, (decision ? "" : decision.error().message));
    history.insert(history.end(), decision->events.begin(), decision->events.end());
    dossier = std::move(decision->dossier);
  }
  Dossier rebuilt;
  for (const engine::Event& e : history) rebuilt = engine::evolve(std::move(rebuilt), e);
  CHECK(rebuilt == dossier);
  return dossier;
}

TEST_CASE("Catalog lifecycle: each shipped procedure reaches a final state on every channel") {
  XmlLibrary xml;
  const std::string root = MOTCUA_SOURCE_DIR;
  auto loader = ProcedureLoader::create(root + "/schemas/workflow.xsd");
  REQUIRE_MESSAGE(loader, (loader ? "" : loader.error().message));
  auto report = Catalog::load_directory(*loader, root + "/workflows/catalog");
  REQUIRE(report);
  for (const Diagnostic& d : report->problems) FAIL_CHECK(d.to_string());
  REQUIRE(report->catalog.size() >= 1);
  REQUIRE(report->catalog.find("1.013225", 2) != nullptr);
  auto calendar = load_calendar({default_calendar_dir(root)});
  REQUIRE_MESSAGE(calendar, (calendar ? "" : calendar.error().message));

  for (const ProcedurePtr& p : report->catalog.all()) {
    CAPTURE(p->code);
    for (bool supplement : {false, true}) {
      CAPTURE(supplement);
      auto plan = engine::plan_walkthrough(*p, engine::WalkOptions{supplement});
      REQUIRE_MESSAGE(plan, (plan ? "" : plan.error().message));
      for (Channel channel : p->channels) {
        CAPTURE(engine::to_string(channel));
        const Dossier done = drive(*p, *calendar, channel, *plan);
        const engine::State* final_state = p->state(done.state);
        REQUIRE(final_state != nullptr);
        CHECK(final_state->kind == engine::StateKind::kFinal);
        CHECK(done.finished_at.has_value());
        if (done.status == engine::StatusCode::kResultReturned && !p->results.empty()) {
          CHECK(done.has_result);
          CHECK(done.verdict != engine::Verdict::kNone);
        }
      }
    }
  }
}

}  // namespace
}  // namespace motcua::workflows
