// motcua calendar due|show: working-time arithmetic on the shipped (or given) calendar files.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "engine/calendar.hpp"
#include "engine/time.hpp"
#include "workflows/calendar_loader.hpp"

namespace motcua::app {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  motcua calendar due --from <ISO-8601 instant> --add \"<n> <unit>\" [--calendar PATH]...\n"
    "  motcua calendar show [--year YYYY] [--calendar PATH]...\n"
    "\n"
    "  due    prints the instant a time limit ends, in ISO-8601 with the calendar's offset, and\n"
    "         a line 'provisional: ...' when it depends on days not yet decreed. A start outside\n"
    "         working time counts from the next working moment (as the server does).\n"
    "         --from  when the clock starts, e.g. 2026-02-13T10:00:00+07:00 or ...Z\n"
    "         --add   \"3 working-days\", \"8 working-hours\" or \"15 days\" (calendar days)\n"
    "  show   lists the days off and make-up working days (! = provisional, not yet decreed);\n"
    "         warns on stderr when the calendar ends within 6 months.\n"
    "\n"
    "  --calendar  a calendar file or a directory of *.cal files; repeatable. Default: every\n"
    "              *.cal file in <data root>/workflows/calendar ($MOTCUA_HOME or the source "
    "tree).\n"
    "\n"
    "exit status: 0 ok, 1 calendar or computation error (e.g. out of the covered years), 2 "
    "usage.\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "motcua calendar: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

int report(const engine::Error& error) {
  std::fprintf(stderr, "motcua calendar: %s [%s]\n", error.message.c_str(),
               std::string(engine::to_string(error.code)).c_str());
  return 1;
}

engine::Result<engine::Calendar> load(const Args& args) {
  std::vector<std::string> paths = args.all("calendar");
  if (paths.empty()) paths.push_back(workflows::default_calendar_dir(data_root()));
  return workflows::load_calendar(paths);
}

int run_due(const Words& words) {
  Args args;
  if (auto error = Args::parse(words, {"from", "add", "calendar"}, {"help"}, args)) {
    return usage_error(*error);
  }
  if (args.has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!args.positional().empty()) return usage_error("unexpected argument " + args.positional()[0]);
  const auto from_text = args.get("from");
  const auto add_text = args.get("add");
  if (!from_text || !add_text) return usage_error("due needs --from and --add");
  auto from = engine::parse_instant(*from_text);
  if (!from) return usage_error(from.error().message);
  auto duration = engine::parse_duration(*add_text);
  if (!duration) return usage_error(duration.error().message);

  auto calendar = load(args);
  if (!calendar) return report(calendar.error());
  // The server's rule (engine::Calendar::add through due()): a start outside working time counts
  // from the next working moment, for calendar days too.
  auto due = calendar->due(*from, *duration);
  if (!due) return report(due.error());
  std::printf("%s\n", engine::format_instant(due->at, calendar->data().utc_offset_minutes).c_str());
  if (!due->provisional.empty()) {
    std::string days;
    for (engine::LocalDate d : due->provisional) days += " " + engine::format_date(d);
    std::printf("provisional: depends on days not yet decreed:%s\n", days.c_str());
  }
  return 0;
}

void print_day(engine::LocalDate date, const engine::CalendarDay& day) {
  static constexpr const char* kWeekdays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const unsigned weekday = std::chrono::weekday(std::chrono::sys_days(date)).c_encoding();
  const std::string kind(engine::to_string(day.kind));
  std::printf("%s %s %-12s %s %s\n", engine::format_date(date).c_str(), kWeekdays[weekday],
              kind.c_str(), day.provisional ? "!" : " ", day.name.c_str());
}

int run_show(const Words& words) {
  Args args;
  if (auto error = Args::parse(words, {"year", "calendar"}, {"help"}, args)) {
    return usage_error(*error);
  }
  if (args.has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!args.positional().empty()) return usage_error("unexpected argument " + args.positional()[0]);
  int only_year = 0;
  if (auto text = args.get("year")) {
    if (text->size() != 4 || text->find_first_not_of("0123456789") != std::string::npos) {
      return usage_error("--year needs a four-digit year");
    }
    only_year = std::stoi(*text);
  }
  auto calendar = load(args);
  if (!calendar) return report(calendar.error());
  const engine::CalendarData& data = calendar->data();
  if (only_year != 0 && (only_year < data.first_year || only_year > data.last_year)) {
    return report({engine::ErrorCode::kOutOfRange,
                   "year " + std::to_string(only_year) + " is not covered (the calendar covers " +
                       std::to_string(data.first_year) + "-" + std::to_string(data.last_year) + ")",
                   {}});
  }
  std::printf("calendar %s, UTC%+03d:%02d, years %d-%d\n", data.name.c_str(),
              data.utc_offset_minutes / 60, std::abs(data.utc_offset_minutes % 60), data.first_year,
              data.last_year);
  std::string hours;
  for (const auto& [start, end] : data.hours) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, " %02d:%02d-%02d:%02d", start / 60, start % 60, end / 60,
                  end % 60);
    hours += buffer;
  }
  std::printf("working hours:%s\n", hours.c_str());
  // One chronological list of days off and make-up days.
  std::map<engine::LocalDate, const engine::CalendarDay*> days;
  for (const auto& [date, day] : data.days_off) days[date] = &day;
  for (const auto& [date, day] : data.working_days) days[date] = &day;
  bool provisional = false;
  for (const auto& [date, day] : days) {
    if (only_year != 0 && static_cast<int>(date.year()) != only_year) continue;
    print_day(date, *day);
    provisional = provisional || day->provisional;
  }
  if (provisional) {
    std::printf(
        "! provisional: not yet decreed; deadlines over these days may change when it is.\n");
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  if (auto warning = workflows::calendar_expiry_warning(*calendar, now)) {
    std::fprintf(stderr, "motcua calendar: warning: %s\n", warning->c_str());
  }
  return 0;
}

}  // namespace

int run_calendar(const Words& words) {
  if (words.empty()) return usage_error("missing sub-command (due or show)");
  const std::string& sub = words[0];
  if (sub == "--help" || sub == "-h" || sub == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const Words rest(words.begin() + 1, words.end());
  if (sub == "due") return run_due(rest);
  if (sub == "show") return run_show(rest);
  return usage_error("unknown sub-command '" + sub + "'");
}

}  // namespace motcua::app
