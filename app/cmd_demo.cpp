// motcua demo: what scripts/run starts until the HTTP server lands. Loads the shipped catalogue and
// calendars from the data root, prints what a desk would see, and walks one dossier of each
// procedure through a lawful lifecycle in memory to show its control slip.
#include <chrono>
#include <cstdio>
#include <string>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/demo_organisation.hpp"
#include "engine/state_machine.hpp"
#include "samples/walkthrough/walkthrough.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/catalog.hpp"

namespace motcua::app {
namespace {

constexpr const char* kUsage =
    "usage: motcua demo [--catalog DIR] [--calendar PATH]... [--at INSTANT]\n"
    "  Loads the procedure catalogue and the working-time calendars, prints a summary and walks\n"
    "  one dossier of each procedure through its lifecycle in memory (nothing is stored).\n"
    "  --at  the submission instant of the walk-through (default: now)\n";

std::string limit_text(const engine::TimeLimit& limit) {
  const engine::Duration& d = limit.total;
  std::string text = std::to_string(d.amount) + " " + std::string(engine::to_string(d.unit));
  if (limit.same_day_cutoff) {
    char cutoff[16];
    std::snprintf(cutoff, sizeof cutoff, "%02d:%02d", *limit.same_day_cutoff / 60,
                  *limit.same_day_cutoff % 60);
    text = "same working day, the next one if received after " + std::string(cutoff) +
           (d.amount > 0 ? ", plus " + text : "");
  }
  return text;
}

// Drives one dossier through the planned walk-through; prints each step and the control slip.
void walk(const engine::Procedure& p, const engine::Calendar& calendar,
          const std::map<std::string, DemoAgency>& organisation, engine::Instant at) {
  const int offset = calendar.data().utc_offset_minutes;
  auto plan = engine::plan_walkthrough(p);
  if (!plan) {
    std::printf("    no walk-through: %s\n", plan.error().message.c_str());
    return;
  }
  engine::Submission submission;
  for (const engine::Agency& agency : p.agencies) {
    if (auto it = organisation.find(agency.key); it != organisation.end()) {
      submission.agency_ids[agency.key] = it->second.id;
    }
  }
  const auto receiving = submission.agency_ids.find(p.receiving_agency);
  std::string yymmdd = engine::format_date(calendar.local_date(at)).substr(2);  // "26-11-27"
  std::erase(yymmdd, '-');
  submission.code =
      (receiving == submission.agency_ids.end() ? std::string("DEMO") : receiving->second) + "-" +
      yymmdd + "-0001";
  submission.channel = p.channels.empty() ? engine::Channel::kOnline : p.channels.front();
  submission.at = at;
  submission.actor = engine::walkthrough_applicant();
  auto decision = engine::submit(p, calendar, submission);
  if (!decision) {
    std::printf("    submit refused: %s\n", decision.error().message.c_str());
    return;
  }
  engine::Dossier dossier = decision->dossier;
  for (const engine::WalkStep& step : *plan) {
    // One hour of work per step, at working moments only.
    auto next_moment = calendar.next_working_moment(at + std::chrono::hours(1));
    if (!next_moment) {
      std::printf("    %s\n", next_moment.error().message.c_str());
      return;
    }
    at = *next_moment;
    auto next =
        engine::decide(p, calendar, dossier, engine::walkthrough_command(p, dossier, step, at));
    if (!next) {
      std::printf("    %s refused: %s\n", step.action.c_str(), next.error().message.c_str());
      return;
    }
    dossier = std::move(next->dossier);
  }
  std::printf("    %s: status %d (%s), due %s, verdict %s\n", dossier.code.c_str(),
              static_cast<int>(dossier.status), dossier.state.c_str(),
              dossier.due ? engine::format_instant(*dossier.due, offset).c_str() : "-",
              std::string(engine::to_string(dossier.verdict)).c_str());
  for (const engine::SlipRow& row : dossier.slip) {
    std::printf("      %-24s entered %s  %s\n", row.state.c_str(),
                engine::format_instant(row.entered, offset).c_str(),
                std::string(engine::to_string(row.verdict)).c_str());
  }
}

}  // namespace

int run_demo(const Words& words) {
  Args args;
  if (auto error = Args::parse(words, {"catalog", "calendar", "at"}, {"help"}, args)) {
    std::fprintf(stderr, "motcua demo: %s\n\n%s", error->c_str(), kUsage);
    return 2;
  }
  if (args.has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  engine::Instant at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (auto text = args.get("at")) {
    auto parsed = engine::parse_instant(*text);
    if (!parsed) {
      std::fprintf(stderr, "motcua demo: %s\n", parsed.error().message.c_str());
      return 2;
    }
    at = *parsed;
  }

  std::vector<std::string> calendar_paths = args.all("calendar");
  if (calendar_paths.empty())
    calendar_paths.push_back(workflows::default_calendar_dir(data_root()));
  auto calendar = workflows::load_calendar(calendar_paths);
  if (!calendar) {
    std::fprintf(stderr, "motcua demo: calendar: %s\n", calendar.error().message.c_str());
    return 1;
  }
  auto loader = workflows::ProcedureLoader::create(data_root() + "/schemas/workflow.xsd");
  if (!loader) {
    std::fprintf(stderr, "motcua demo: %s\n", loader.error().message.c_str());
    return 1;
  }
  const std::string catalog_dir = args.get("catalog").value_or(data_root() + "/workflows/catalog");
  auto report = workflows::Catalog::load_directory(*loader, catalog_dir);
  if (!report) {
    std::fprintf(stderr, "motcua demo: %s\n", report.error().message.c_str());
    return 1;
  }

  auto organisation = load_demo_agencies(data_root() + "/samples/demo/agencies.tsv");
  if (!organisation) {
    std::fprintf(stderr, "motcua demo: %s\n", organisation.error().message.c_str());
    return 1;
  }

  const engine::CalendarData& cal = calendar->data();
  int provisional = 0;
  for (const auto& [date, day] : cal.days_off) provisional += day.provisional ? 1 : 0;
  std::printf("motcua (một cửa) demo, embedded default: nothing is stored\n\n");
  std::printf("Calendar %s: %d-%d, UTC%+03d:%02d, %zu days off, %zu make-up working days",
              cal.name.c_str(), cal.first_year, cal.last_year, cal.utc_offset_minutes / 60,
              cal.utc_offset_minutes % 60, cal.days_off.size(), cal.working_days.size());
  if (provisional > 0) std::printf(" (%d provisional, not yet decreed)", provisional);
  std::printf("\nCatalogue %s: %zu procedures loaded, %zu problems\n", catalog_dir.c_str(),
              report->catalog.size(), report->problems.size());
  for (const auto& problem : report->problems) std::printf("  ! %s\n", problem.to_string().c_str());

  std::printf("\nWalk-through of one dossier per procedure, submitted %s:\n",
              engine::format_instant(at, cal.utc_offset_minutes).c_str());
  for (const auto& procedure : report->catalog.all()) {
    std::printf("\n  %s v%d  %s / %s\n    level %d %s, limit %s\n", procedure->code.c_str(),
                procedure->version, procedure->name.vi.c_str(), procedure->name.en.c_str(),
                procedure->online.level, procedure->online.full ? "full online" : "partial online",
                limit_text(procedure->time_limit).c_str());
    walk(*procedure, *calendar, *organisation, at);
  }
  std::printf(
      "\nNext: `motcua catalog list`, `motcua calendar due --from ... --add \"3 "
      "working-days\"`.\n");
  return report->problems.empty() ? 0 : 1;
}

}  // namespace motcua::app
