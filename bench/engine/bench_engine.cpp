// bench_engine: applies complete lifecycles of the construction-permit procedure (1.013225, loaded
// from workflows/catalog with the shipped 2026-2027 calendar) in memory on one thread, and reports
// transitions (decide() calls) per second, target at least one million. Two ways of calling decide:
//   in place: decide(procedure, calendar, std::move(dossier), command), the dossier replaced by
//             the result (what the lifecycle service and any in-memory replay do);
//   copying:  decide on a const dossier, which copies it once per call (control slip, agency map).
// Both run every check and build every event. References measured in the same run: the bare cost
// of copying a dossier of the same size and building the same number of events, and
// calendar.add() alone. Each figure is the best of 3 rounds of a fixed time (other processes on
// a shared machine only ever slow a round down).
//
// Usage: bench_engine [seconds per round, default 1] [data root, default the source tree]
//        [engine-only: skip the references and the copying variant, for profiling]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "engine/state_machine.hpp"
#include "samples/walkthrough/walkthrough.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/procedure_loader.hpp"
#include "workflows/xml_library.hpp"

namespace {

using namespace motcua;
using Clock = std::chrono::steady_clock;

struct Lifecycle {
  engine::Submission submission;
  std::vector<engine::Command> commands;
  std::size_t events = 0;
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench_engine: %s\n", what.c_str());
  std::exit(1);
}

// Plans the lifecycle and records its commands once, checking every step succeeds.
Lifecycle record(const engine::Procedure& p, const engine::Calendar& calendar, bool supplement) {
  auto plan = engine::plan_walkthrough(p, engine::WalkOptions{supplement});
  if (!plan) die(plan.error().message);
  Lifecycle life;
  life.submission.code = "000.00.10.H46-260302-0001";
  life.submission.channel = engine::Channel::kDesk;
  life.submission.at = *engine::parse_instant("2026-03-02T08:00:00+07:00");
  life.submission.actor = engine::walkthrough_applicant();
  int n = 10;
  for (const engine::Agency& a : p.agencies) {
    if (a.code.empty())
      life.submission.agency_ids[a.key] = "000.00." + std::to_string(n++) + ".H46";
  }
  auto submitted = engine::submit(p, calendar, life.submission);
  if (!submitted) die(submitted.error().message);
  engine::Dossier dossier = std::move(submitted->dossier);
  life.events = submitted->events.size();
  std::int64_t hours = 1;
  for (const engine::WalkStep& step : *plan) {
    auto at = calendar.add(life.submission.at,
                           engine::Duration{hours++, engine::DurationUnit::kWorkingHours});
    if (!at) die(at.error().message);
    engine::Command command = engine::walkthrough_command(p, dossier, step, *at);
    auto decision = engine::decide(p, calendar, dossier, command);
    if (!decision) die(step.action + ": " + decision.error().message);
    life.events += decision->events.size();
    dossier = std::move(decision->dossier);
    life.commands.push_back(std::move(command));
  }
  if (!dossier.finished_at) die("the lifecycle did not finish");
  return life;
}

constexpr int kRounds = 3;

// Calls of `body` per second over `seconds`, the best of kRounds rounds.
template <class Body>
double per_second(double seconds, Body body) {
  double best = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::size_t calls = 0;
    const auto start = Clock::now();
    auto now = start;
    do {
      for (int i = 0; i < 64; ++i) body();
      calls += 64;
      now = Clock::now();
    } while (std::chrono::duration<double>(now - start).count() < seconds);
    best = std::max(best, double(calls) / std::chrono::duration<double>(now - start).count());
  }
  return best;
}

std::int64_t sink = 0;

// Lifecycles per second; `in_place` chooses the decide() overload (see the header comment).
double lifecycles(const engine::Procedure& p, const engine::Calendar& calendar,
                  const Lifecycle& life, double seconds, bool in_place) {
  return per_second(seconds, [&] {
    auto submitted = engine::submit(p, calendar, life.submission);
    engine::Dossier dossier = std::move(submitted->dossier);
    for (const engine::Command& command : life.commands) {
      auto decision = in_place ? engine::decide(p, calendar, std::move(dossier), command)
                               : engine::decide(p, calendar, std::as_const(dossier), command);
      if (!decision) die(command.action + ": " + decision.error().message);
      dossier = std::move(decision->dossier);
    }
    sink += dossier.version;
  });
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  const std::string root = argc > 2 ? argv[2] : MOTCUA_SOURCE_DIR;
  const bool references = !(argc > 3 && std::string(argv[3]) == "engine-only");
  workflows::XmlLibrary xml;
  auto loader = workflows::ProcedureLoader::create(root + "/schemas/workflow.xsd");
  if (!loader) die(loader.error().message);
  std::string path;
  for (const auto& entry : std::filesystem::directory_iterator(root + "/workflows/catalog")) {
    if (entry.path().filename().string().starts_with("1.013225")) path = entry.path().string();
  }
  if (path.empty()) die("no 1.013225*.xml under " + root + "/workflows/catalog");
  auto procedure = loader->load_file(path);
  if (!procedure) die(workflows::to_error(procedure.error()).message);
  auto calendar = workflows::load_calendar({workflows::default_calendar_dir(root)});
  if (!calendar) die(calendar.error().message);
  const engine::Procedure& p = *procedure;

  std::printf(
      "bench_engine: procedure %s v%d, calendar %s %d-%d, one thread, best of %d rounds of %.1f "
      "s\n",
      p.code.c_str(), p.version, calendar->data().name.c_str(), calendar->data().first_year,
      calendar->data().last_year, kRounds, seconds);

  for (bool supplement : {false, true}) {
    const Lifecycle life = record(p, *calendar, supplement);
    const std::size_t transitions = life.commands.size();
    std::printf("\nlifecycle%s: submit + %zu transitions (", supplement ? " with a supplement" : "",
                transitions);
    for (std::size_t i = 0; i < transitions; ++i) {
      const engine::Command& c = life.commands[i];
      std::printf("%s%s", i ? ", " : "", (c.branch.empty() ? c.action : c.branch).c_str());
    }
    std::printf("), %zu events\n", life.events);

    const double lives = lifecycles(p, *calendar, life, seconds, true);
    const double rate = lives * double(transitions);
    std::printf(
        "  in place:  %12.0f lifecycles/s  %12.0f transitions/s  %12.0f events/s  %7.1f "
        "ns/transition\n",
        lives, rate, lives * double(life.events), 1e9 / rate);
    std::printf("  target: >= 1000000 transitions/s: %s (ratio %.2f)\n",
                rate >= 1e6 ? "met" : "NOT met", rate / 1e6);
    if (!references) continue;
    const double copied = lifecycles(p, *calendar, life, seconds, false) * double(transitions);
    std::printf(
        "  copying:   %12.0f transitions/s  %7.1f ns/transition (decide on a const dossier)\n",
        copied, 1e9 / copied);

    // Reference: copy a finished dossier of the same size and build as many events per transition.
    auto submitted = engine::submit(p, *calendar, life.submission);
    engine::Dossier full = std::move(submitted->dossier);
    engine::Event sample = submitted->events.front();
    for (const engine::Command& c : life.commands) {
      auto d = engine::decide(p, *calendar, full, c);
      sample = d->events.back();
      full = std::move(d->dossier);
    }
    const std::size_t events_per_transition = (life.events + transitions - 1) / transitions;
    const double copy_rate = per_second(seconds, [&] {
      engine::Dossier copy = full;
      std::vector<engine::Event> events;
      events.reserve(events_per_transition);
      for (std::size_t i = 0; i < events_per_transition; ++i) events.push_back(sample);
      sink += copy.version + std::int64_t(events.size());
    });
    std::printf(
        "  reference: %12.0f dossier copies + %zu events/s (%.1f ns); in place/reference = %.2f, "
        "copying/reference = %.2f\n",
        copy_rate, events_per_transition, 1e9 / copy_rate, rate / copy_rate, copied / copy_rate);
  }

  if (!references) return 0;
  const engine::Instant start = *engine::parse_instant("2026-03-02T09:17:00+07:00");
  const engine::Duration limit = p.limit_for(engine::Channel::kDesk);
  const engine::Duration working{15, engine::DurationUnit::kWorkingDays};
  const double add_calendar =
      per_second(seconds, [&] { sink += calendar->add(start, limit)->time_since_epoch().count(); });
  const double add_working = per_second(
      seconds, [&] { sink += calendar->add(start, working)->time_since_epoch().count(); });
  std::printf("\n  calendar.add: %.0f/s (15 days), %.0f/s (15 working-days)\n", add_calendar,
              add_working);
  std::printf("(checksum %lld)\n", static_cast<long long>(sink));
  return 0;
}
