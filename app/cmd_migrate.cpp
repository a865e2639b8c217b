// motcua migrate [--db URL]: brings the database schema up to the version this binary knows.
#include <chrono>
#include <cstdio>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace motcua::app {

int run_migrate(const Words& words) {
  Args args;
  if (auto bad = Args::parse(words, {"db"}, {}, args)) {
    std::fprintf(stderr, "motcua migrate: %s\nusage: motcua migrate [--db URL]\n", bad->c_str());
    return 2;
  }
  if (!args.positional().empty()) {
    std::fprintf(stderr, "usage: motcua migrate [--db URL]   (default %s)\n",
                 std::string(store::kDefaultDatabaseUrl).c_str());
    return 2;
  }
  auto url =
      store::parse_database_url(args.get("db").value_or(std::string(store::kDefaultDatabaseUrl)));
  if (!url) {
    std::fprintf(stderr, "motcua migrate: %s\n", url.error().message.c_str());
    return 2;
  }
  auto db = store::Database::open(*url, 1);
  if (!db) {
    std::fprintf(stderr, "motcua migrate: %s (%s)\n", db.error().message.c_str(),
                 db.error().detail.c_str());
    return 1;
  }
  const auto now =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto report = store::migrate(**db, now);
  if (!report) {
    std::fprintf(stderr, "motcua migrate: %s\n", report.error().message.c_str());
    if (!report.error().detail.empty())
      std::fprintf(stderr, "  %s\n", report.error().detail.c_str());
    return 1;
  }
  if (report->applied.empty()) {
    std::printf("%s: schema %d is current; nothing to do\n", url->redacted.c_str(), report->to);
    return 0;
  }
  for (const std::string& name : report->applied) std::printf("applied %s\n", name.c_str());
  std::printf("%s: schema %d -> %d\n", url->redacted.c_str(), report->from, report->to);
  return 0;
}

}  // namespace motcua::app
