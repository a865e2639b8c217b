// motcua serve: the product's main job. Opens (and migrates) the database, loads the catalogue and
// the calendars, seeds the demo organisation and its officers (printing the passwords of officers
// created now), wires the store adapters into the engine's lifecycle service and the HTTP API, and
// serves until SIGTERM/SIGINT, draining in-flight requests.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include "api/api.hpp"
#include "api/server.hpp"
#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/scheduler_loop.hpp"
#include "app/serve_organisation.hpp"
#include "app/serve_signing.hpp"
#include "engine/deadline_scheduler.hpp"
#include "engine/lifecycle_service.hpp"
#include "engine/procedure_source.hpp"
#include "signing/password.hpp"
#include "store/change_feed.hpp"
#include "store/database.hpp"
#include "store/identity_store.hpp"
#include "store/migrations.hpp"
#include "store/sql_attachment_store.hpp"
#include "store/sql_dossier_queries.hpp"
#include "store/sql_dossier_statistics.hpp"
#include "store/sql_dossier_store.hpp"
#include "store/sql_organisation.hpp"
#include "store/sql_procedure_versions.hpp"
#include "store/sql_tracking_secrets.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/catalog.hpp"

namespace motcua::app {
namespace {

constexpr const char* kUsage =
    "usage: motcua serve [--db URL] [--listen ADDR:PORT] [--catalog DIR] [--calendar PATH]...\n"
    "                    [--tls-cert FILE --tls-key FILE] [--trust PATH]... [--crl FILE]...\n"
    "                    [--keys DIR [--keys-password-file FILE]] [--demo-pki DIR]\n"
    "                    [--server-key-file FILE] [--status-cache N]\n"
    "                    [--upload-limit MIB] [--access-log FILE|-|none] [--no-demo]\n"
    "                    [--io-threads N] [--workers N] [--max-connections N]\n"
    "                    [--read-timeout-ms N] [--idle-timeout-ms N]\n"
    "                    [--tracking-rate PER_MIN] [--login-rate PER_MIN]\n"
    "                    [--trusted-proxy CIDR]... [--scheduler-interval SECONDS]\n"
    "  Serves the HTTP API (docs: schemas/openapi.json). Defaults: the embedded SQLite database\n"
    "  (sqlite3://var/motcua.db), 127.0.0.1:8080 (port 0: any free port), the shipped catalogue,\n"
    "  the demo organisation of samples/demo/ with its officers (passwords of officers created\n"
    "  now are printed once). Receipts and results are signed with the agencies' keys of --keys\n"
    "  (DIR/<agency id>/<role>.p12; the demo organisation uses --demo-pki, default var/demo-pki,\n"
    "  made when missing, and trusts its CAs); an action whose document has no key is refused.\n"
    "  --trust enables POST /api/v1/verify. --server-key-file: the server key (first line, at\n"
    "  least 32 characters; it signs attachment read capabilities and lets a retried submission\n"
    "  get its tracking secret again), shared by servers behind one balancer and kept across\n"
    "  restarts (default: a random key per process).\n"
    "  --status-cache N: public tracking views kept in memory (default 100000; 0: none); a\n"
    "  commit by this server drops its view at once, by another server sharing the database\n"
    "  within milliseconds (PostgreSQL notifications; SQLite: a 10 ms poll).\n"
    "  Prints the bound address as\n"
    "  'motcua serve: listening on http://ADDR:PORT'. SIGTERM drains and stops. Requests from a\n"
    "  --trusted-proxy are keyed (rate limits, log) by the last untrusted X-Forwarded-For hop.\n"
    "  The deadline scheduler marks dossiers due within a working day and overdue every\n"
    "  --scheduler-interval seconds (default 60; 0 turns it off); servers sharing a database\n"
    "  never notify one deadline twice.\n";

class SystemClock final : public engine::Clock {
 public:
  engine::Instant now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

int fail(const std::string& what, const engine::Error& e) {
  std::fprintf(stderr, "motcua serve: %s: %s%s%s\n", what.c_str(), e.message.c_str(),
               e.detail.empty() ? "" : " -- ", e.detail.c_str());
  return 1;
}

bool number(const Args& args, const char* name, long min, long max, long& out) {
  auto text = args.get(name);
  if (!text) return true;
  try {
    std::size_t used = 0;
    long v = std::stol(*text, &used);
    if (used != text->size() || v < min || v > max) return false;
    out = v;
    return true;
  } catch (...) {
    return false;
  }
}

engine::Result<std::shared_ptr<engine::InMemoryProcedureSource>> procedure_source(
    const workflows::Catalog& catalog) {
  auto source = std::make_shared<engine::InMemoryProcedureSource>();
  for (const auto& p : catalog.all()) {
    std::ifstream in(p->source_path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) return engine::fail(engine::ErrorCode::kIo, "cannot read " + p->source_path);
    if (auto ok = source->add({p, bytes.str()}); !ok) return tl::unexpected(ok.error());
  }
  return source;
}

}  // namespace

int run_serve(const Words& words) {
  Args args;
  if (auto bad = Args::parse(words,
                             {"db",
                              "listen",
                              "catalog",
                              "calendar",
                              "tls-cert",
                              "tls-key",
                              "trust",
                              "crl",
                              "upload-limit",
                              "access-log",
                              "io-threads",
                              "workers",
                              "max-connections",
                              "read-timeout-ms",
                              "idle-timeout-ms",
                              "tracking-rate",
                              "login-rate",
                              "trusted-proxy",
                              "scheduler-interval",
                              "keys",
                              "keys-password-file",
                              "demo-pki",
                              "server-key-file",
                              "status-cache"},
                             {"help", "no-demo"}, args)) {
    std::fprintf(stderr, "motcua serve: %s\n\n%s", bad->c_str(), kUsage);
    return 2;
  }
  if (args.has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  api::ServerOptions options;
  api::ApiSettings settings;
  const std::string listen = args.get("listen").value_or("127.0.0.1:8080");
  const auto colon = listen.rfind(':');
  long port = -1, io = 1, workers = 4, max_conn = 2048, upload_mib = 20, read_ms = 10000,
       idle_ms = 30000, tracking_rate = 60, login_rate = 10, scheduler_s = 60,
       status_cache_size = 100000;
  try {
    port = colon == std::string::npos ? -1 : std::stol(listen.substr(colon + 1));
  } catch (...) {
  }
  if (port < 0 || port > 65535 || !number(args, "io-threads", 1, 64, io) ||
      !number(args, "workers", 1, 256, workers) ||
      !number(args, "max-connections", 1, 1000000, max_conn) ||
      !number(args, "upload-limit", 1, 1024, upload_mib) ||
      !number(args, "read-timeout-ms", 10, 600000, read_ms) ||
      !number(args, "idle-timeout-ms", 10, 3600000, idle_ms) ||
      !number(args, "tracking-rate", 1, 1000000000, tracking_rate) ||
      !number(args, "scheduler-interval", 0, 86400, scheduler_s) ||
      !number(args, "status-cache", 0, 100000000, status_cache_size) ||
      !number(args, "login-rate", 1, 1000000000, login_rate)) {
    std::fprintf(stderr, "motcua serve: bad --listen ADDR:PORT or numeric option\n\n%s", kUsage);
    return 2;
  }
  options.address = listen.substr(0, colon);
  if (options.address.size() > 2 && options.address.front() == '[')
    options.address = options.address.substr(1, options.address.size() - 2);
  options.port = static_cast<unsigned short>(port);
  options.io_threads = static_cast<int>(io);
  options.worker_threads = static_cast<int>(workers);
  options.max_connections = static_cast<std::size_t>(max_conn);
  options.read_timeout = std::chrono::milliseconds(read_ms);
  options.idle_timeout = std::chrono::milliseconds(idle_ms);
  options.tls_cert = args.get("tls-cert").value_or("");
  options.tls_key = args.get("tls-key").value_or("");
  options.trusted_proxies = args.all("trusted-proxy");
  settings.upload_limit = static_cast<std::size_t>(upload_mib) << 20;
  // Per client: a burst of half a minute's worth (at least 10), then the steady rate.
  settings.tracking_per_minute = static_cast<double>(tracking_rate);
  settings.tracking_burst = std::max(10.0, settings.tracking_per_minute / 2);
  settings.login_per_minute = static_cast<double>(login_rate);
  settings.login_burst = std::max(10.0, settings.login_per_minute / 2);

  if (auto file = args.get("server-key-file")) {
    auto key = signing::read_password_file(*file);
    if (!key || key->size() < 32) {
      std::fprintf(stderr, "motcua serve: --server-key-file: %s\n",
                   key ? "the key must be at least 32 characters" : key.error().message.c_str());
      return 2;
    }
    settings.server_key = std::move(*key);
  }

  std::FILE* log_file = stdout;
  const std::string log_target = args.get("access-log").value_or("-");
  if (log_target == "none") {
    log_file = nullptr;
  } else if (log_target != "-") {
    log_file = std::fopen(log_target.c_str(), "a");
    if (!log_file) {
      std::fprintf(stderr, "motcua serve: cannot open %s\n", log_target.c_str());
      return 1;
    }
  }
  settings.access_log = log_file;

  auto url =
      store::parse_database_url(args.get("db").value_or(std::string(store::kDefaultDatabaseUrl)));
  if (!url) return fail("--db", url.error());
  auto db = store::Database::open(*url, static_cast<std::size_t>(workers) + 2);
  if (!db) return fail(url->redacted, db.error());
  auto clock = std::make_shared<SystemClock>();
  if (auto migrated = store::migrate(**db, clock->now()); !migrated)
    return fail("migrating " + url->redacted, migrated.error());

  std::vector<std::string> calendar_paths = args.all("calendar");
  if (calendar_paths.empty())
    calendar_paths.push_back(workflows::default_calendar_dir(data_root()));
  auto calendar = workflows::load_calendar(calendar_paths);
  if (!calendar) return fail("calendar", calendar.error());
  auto loader = workflows::ProcedureLoader::create(data_root() + "/schemas/workflow.xsd");
  if (!loader) return fail("schema", loader.error());
  const std::string catalog_dir = args.get("catalog").value_or(data_root() + "/workflows/catalog");
  auto report = workflows::Catalog::load_directory(*loader, catalog_dir);
  if (!report) return fail("catalogue", report.error());
  for (const auto& problem : report->problems)
    std::fprintf(stderr, "motcua serve: catalogue: %s\n", problem.to_string().c_str());
  auto source = procedure_source(report->catalog);
  if (!source) return fail("catalogue", source.error());

  auto identity = std::make_shared<store::SqlIdentityStore>(*db);
  if (!args.has("no-demo")) {
    auto seeded =
        seed_demo_organisation(*identity, *clock, data_root() + "/samples/demo/agencies.tsv",
                               data_root() + "/samples/demo/officers.tsv");
    if (!seeded) return fail("demo organisation", seeded.error());
    std::printf("motcua serve: demo organisation: %zu agencies, %zu officers\n", seeded->agencies,
                seeded->officers);
    if (seeded->created.empty()) {
      std::printf(
          "motcua serve: demo officers exist already (their passwords were printed when "
          "they were created)\n");
    }
    for (const NewOfficer& o : seeded->created) {
      std::printf("demo officer %-17s agency %-14s roles %-18s password %s\n", o.login.c_str(),
                  o.agency_id.c_str(), o.roles.c_str(), o.password.c_str());
    }
  }

  auto signing_setup = setup_signing(args, !args.has("no-demo"), *identity);
  if (!signing_setup) return fail("signing", signing_setup.error());
  engine::LifecycleDeps deps;
  deps.procedures = *source;
  deps.versions = std::make_shared<store::SqlProcedureVersions>(*db);
  deps.calendar = std::make_shared<const engine::Calendar>(std::move(*calendar));
  deps.store = std::make_shared<store::SqlDossierStore>(*db);
  deps.queries = std::make_shared<store::SqlDossierQueries>(*db);
  deps.clock = clock;
  deps.issuer = signing_setup->issuer;
  deps.organisation = std::make_shared<store::SqlOrganisation>(*db, clock);
  deps.tracking = std::make_shared<store::SqlTrackingSecrets>(*db);
  auto lifecycle = engine::LifecycleService::create(deps);
  if (!lifecycle) return fail("lifecycle", lifecycle.error());

  api::ApiDeps api_deps;
  const auto service = std::shared_ptr<engine::LifecycleService>(std::move(*lifecycle));
  api_deps.lifecycle = service;
  api_deps.identity = identity;
  api_deps.attachments = std::make_shared<store::SqlAttachmentStore>(*db);
  api_deps.statistics = std::make_shared<store::SqlDossierStatistics>(*db);
  api_deps.procedures = report->catalog.all();
  api_deps.calendar = deps.calendar;
  api_deps.clock = clock;
  std::shared_ptr<store::Database> database = *db;
  api_deps.ready = [database] { return store::check_schema(*database); };
  // Public tracking views in memory, forgotten as soon as a commit (of this or another process)
  // changes their dossier.
  std::unique_ptr<store::ChangeFeed> feed;
  if (status_cache_size > 0) {
    auto status_cache =
        std::make_shared<api::StatusCache>(static_cast<std::size_t>(status_cache_size));
    auto started = store::ChangeFeed::start(
        database, {[status_cache](std::string_view code) { status_cache->invalidate(code); },
                   [status_cache](bool live) { status_cache->reset(live); }});
    if (!started) return fail("change feed", started.error());
    feed = std::move(*started);
    api_deps.status_cache = status_cache;
  }
  if (!signing_setup->trust.empty()) {
    auto verifier = signing::Verifier::create({signing_setup->trust, signing_setup->crls, true});
    if (!verifier) {
      std::fprintf(stderr, "motcua serve: trust store: %s\n", verifier.error().message.c_str());
      return 1;
    }
    api_deps.verifier = std::make_shared<const signing::Verifier>(std::move(*verifier));
  }
  auto api = api::Api::create(std::move(api_deps), settings);
  if (!api) return fail("api", api.error());
  auto server = api::Server::create(options, *api);
  if (!server) return fail("listen", server.error());
  std::printf("motcua serve: %zu procedures, database %s\n", report->catalog.size(),
              url->redacted.c_str());
  std::printf("motcua serve: listening on %s://%s\n", (*server)->tls() ? "https" : "http",
              (*server)->endpoint().c_str());
  std::fflush(stdout);
  engine::DeadlineScheduler scheduler(*service);
  std::optional<SchedulerLoop> deadlines;
  if (scheduler_s > 0) deadlines.emplace(scheduler, std::chrono::seconds(scheduler_s));
  (*server)->run();
  deadlines.reset();  // finishes a pass in progress before the store goes away
  std::printf("motcua serve: stopped\n");
  std::fflush(stdout);
  server->reset();
  api->reset();  // the access log writes what it still holds before its FILE closes
  if (log_file && log_file != stdout) std::fclose(log_file);
  return 0;
}

}  // namespace motcua::app
