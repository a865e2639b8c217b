// store_lifecycle_helper: a separate process for the store tests.
//   store_lifecycle_helper write URL COUNT
//     submits COUNT construction-permit dossiers and accepts each; after each commit prints
//     "<code> <version>" and flushes, so the parent knows what was acknowledged.
//   store_lifecycle_helper schedule URL INSTANT BATCH
//     runs the deadline scheduler once at INSTANT and prints "<due-soon> <overdue> <consented>".
// Exit 0 on success, 1 on a failure (printed to stderr), 2 on usage errors.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "engine/deadline_scheduler.hpp"
#include "tests/store/lifecycle_world.hpp"

namespace {

using namespace motcua;

int failed(const engine::Error& e) {
  std::fprintf(stderr, "store_lifecycle_helper: %s (%s)\n", e.message.c_str(), e.detail.c_str());
  return 1;
}

engine::Result<store::testing::World> open_world(const std::string& url, engine::Instant now) {
  auto parsed = store::parse_database_url(url);
  if (!parsed) return tl::unexpected(parsed.error());
  auto db = store::Database::open(*parsed, 2);
  if (!db) return tl::unexpected(db.error());
  return store::testing::make_world(*db, now);
}

int write(const std::string& url, long count) {
  auto w = open_world(url, engine::parse_instant("2026-11-23T09:00:00+07:00").value());
  if (!w) return failed(w.error());
  auto application = w->attachments->put("%PDF đơn đề nghị", "application/pdf");
  auto drawings = w->attachments->put("%PDF bản vẽ", "application/pdf");
  if (!application || !drawings)
    return failed(application ? drawings.error() : application.error());
  const engine::SubmitRequest request = store::testing::permit_submission(*application, *drawings);
  for (long i = 0; i < count; ++i) {
    auto submitted = w->service->submit(request);
    if (!submitted) return failed(submitted.error());
    std::printf("%s %lld\n", submitted->dossier.code.c_str(),
                static_cast<long long>(submitted->dossier.version));
    std::fflush(stdout);
    engine::ActionRequest accept;
    accept.dossier_code = submitted->dossier.code;
    accept.expected_version = submitted->dossier.version;
    accept.action = "accept";
    accept.actor = store::testing::officer("desk");
    auto accepted = w->service->act(accept);
    if (!accepted) return failed(accepted.error());
    std::printf("%s %lld\n", accepted->dossier.code.c_str(),
                static_cast<long long>(accepted->dossier.version));
    std::fflush(stdout);
  }
  return 0;
}

int schedule(const std::string& url, const std::string& at, long batch) {
  auto now = engine::parse_instant(at);
  if (!now) return failed(now.error());
  auto w = open_world(url, *now);
  if (!w) return failed(w.error());
  engine::DeadlineScheduler scheduler(*w->service, static_cast<std::size_t>(batch));
  auto report = scheduler.run_once();
  if (!report) return failed(report.error());
  std::printf("%zu %zu %zu\n", report->due_soon, report->overdue, report->consented);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "write" && argc == 4) return write(argv[2], std::atol(argv[3]));
  if (command == "schedule" && argc == 5) return schedule(argv[2], argv[3], std::atol(argv[4]));
  std::fprintf(stderr,
               "usage: store_lifecycle_helper write URL COUNT | schedule URL INSTANT BATCH\n");
  return 2;
}
