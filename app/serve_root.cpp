#include "app/serve_root.hpp"

#include <chrono>
#include <thread>
#include <utility>

#include "api/metrics_handler.hpp"
#include "app/serve_organisation.hpp"
#include "signing/password.hpp"
#include "store/migrations.hpp"
#include "store/readiness.hpp"
#include "store/sql_attachment_store.hpp"
#include "store/sql_dossier_queries.hpp"
#include "store/sql_dossier_statistics.hpp"
#include "store/sql_dossier_store.hpp"
#include "store/sql_organisation.hpp"
#include "store/sql_procedure_versions.hpp"
#include "store/sql_tracking_secrets.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/legal_rules_file.hpp"
#include "workflows/catalog.hpp"

namespace motcua::app {
namespace {

class SystemClock final : public engine::Clock {
 public:
  engine::Instant now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

tl::unexpected<ServeFailure> failure(std::string what, engine::Error error, int exit_code = 1) {
  return tl::unexpected(ServeFailure{std::move(what), std::move(error), exit_code});
}

// signing/ has errors of its own; what they say is enough here (their detail is for the log).
engine::Error message_only(std::string message) {
  return {engine::ErrorCode::kInvalidInput, std::move(message), {}};
}

// The catalogue, parsed once; its problems are reported and the valid definitions served.
engine::Result<std::shared_ptr<const engine::InMemoryProcedureSource>> load_catalogue(
    const std::string& data_root, const std::string& directory, std::size_t& count) {
  auto loader = workflows::ProcedureLoader::create(data_root + "/schemas/workflow.xsd");
  if (!loader) return tl::unexpected(loader.error());
  auto report = workflows::Catalog::load_directory(*loader, directory);
  if (!report) return tl::unexpected(report.error());
  for (const auto& problem : report->problems)
    std::fprintf(stderr, "motcua serve: catalogue: %s\n", problem.to_string().c_str());
  count = report->catalog.size();
  return report->catalog.procedure_source();
}

engine::Status seed_demo(engine::IdentityRepository& identity, const engine::Clock& clock,
                         const std::string& data_root) {
  auto seeded = seed_demo_organisation(identity, clock, data_root + "/samples/demo/agencies.tsv",
                                       data_root + "/samples/demo/officers.tsv");
  if (!seeded) return tl::unexpected(seeded.error());
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
  return {};
}

}  // namespace

ServeRoot::LogFile::~LogFile() {
  if (file != nullptr && file != stdout) std::fclose(file);
}

tl::expected<std::unique_ptr<ServeRoot>, ServeFailure> ServeRoot::create(
    const ServeConfig& config, const std::string& data_root) {
  std::unique_ptr<ServeRoot> root(new ServeRoot(config));
  // Each step fills the next member; a failure destroys what was built, in reverse.
  api::ApiSettings settings = config.api;
  if (!config.server_key_file.empty()) {
    auto key = signing::read_password_file(config.server_key_file);
    if (!key) return failure("--server-key-file", message_only(key.error().message), 2);
    if (key->size() < 32)
      return failure("--server-key-file", message_only("the key must be at least 32 characters"),
                     2);
    settings.server_key = std::move(*key);
  }
  if (!config.metrics_token_file.empty()) {
    auto token = signing::read_password_file(config.metrics_token_file);
    if (!token) return failure("--metrics-token", message_only(token.error().message), 2);
    if (token->size() < 32)
      return failure("--metrics-token", message_only("the token must be at least 32 characters"),
                     2);
    settings.metrics_token = std::move(*token);
  }

  if (config.access_log == "-") {
    root->access_log_.file = stdout;
  } else if (config.access_log != "none") {
    root->access_log_.file = std::fopen(config.access_log.c_str(), "a");
    if (root->access_log_.file == nullptr)
      return failure("--access-log",
                     {engine::ErrorCode::kIo, "cannot open " + config.access_log, {}});
  }
  settings.access_log = root->access_log_.file;

  root->clock_ = std::make_shared<SystemClock>();
  auto db =
      store::Database::open(config.db, static_cast<std::size_t>(config.server.worker_threads) + 2);
  if (!db) return failure(config.db.redacted, db.error());
  root->database_ = std::move(*db);
  if (auto migrated = store::migrate(*root->database_, root->clock_->now()); !migrated)
    return failure("migrating " + config.db.redacted, migrated.error());
  root->identity_ = std::make_shared<store::SqlIdentityStore>(root->database_);

  auto calendar = workflows::load_calendar(config.calendar_paths);
  if (!calendar) return failure("calendar", calendar.error());
  if (auto warning = workflows::calendar_expiry_warning(*calendar, root->clock_->now()))
    std::fprintf(stderr, "motcua serve: warning: %s\n", warning->c_str());
  auto procedures = load_catalogue(data_root, config.catalog_dir, root->procedure_count_);
  if (!procedures) return failure("catalogue", procedures.error());
  root->procedures_ = std::move(*procedures);
  root->calendar_ = std::make_shared<const engine::Calendar>(std::move(*calendar));
  auto rules = workflows::load_legal_rules(config.rules_paths);
  if (!rules) return failure("lifecycle rules", rules.error());
  root->rules_ = std::make_shared<const engine::LegalRuleBook>(std::move(*rules));

  if (config.demo) {
    if (auto seeded = seed_demo(*root->identity_, *root->clock_, data_root); !seeded)
      return failure("demo organisation", seeded.error());
  }
  auto signing = setup_signing(config, *root->identity_);
  if (!signing) return failure("signing", signing.error());
  root->signing_ = std::move(*signing);

  engine::LifecycleDeps deps;
  deps.procedures = root->procedures_;
  deps.versions = std::make_shared<store::SqlProcedureVersions>(root->database_);
  deps.calendar = root->calendar_;
  deps.rules = root->rules_;
  deps.store = std::make_shared<store::SqlDossierStore>(root->database_);
  deps.queries = std::make_shared<store::SqlDossierQueries>(root->database_);
  deps.clock = root->clock_;
  deps.issuer = root->signing_.issuer;
  deps.organisation = std::make_shared<store::SqlOrganisation>(root->database_, root->clock_);
  deps.tracking = std::make_shared<store::SqlTrackingSecrets>(root->database_);
  auto lifecycle = engine::LifecycleService::create(deps);
  if (!lifecycle) return failure("lifecycle", lifecycle.error());
  root->lifecycle_ = std::move(*lifecycle);

  // Public tracking views in memory, forgotten as soon as a commit (of this or another process)
  // changes their dossier.
  if (config.status_cache > 0) {
    auto cache = std::make_shared<api::StatusCache>(config.status_cache);
    auto feed = store::ChangeFeed::start(
        root->database_, {[cache](std::string_view code) { cache->invalidate(code); },
                          [cache](bool live) { cache->reset(live); }});
    if (!feed) return failure("change feed", feed.error());
    root->status_cache_ = std::move(cache);
    root->feed_ = std::move(*feed);
  }
  root->scheduler_ = std::make_unique<engine::DeadlineScheduler>(*root->lifecycle_);

  api::ApiDeps api_deps;
  api_deps.lifecycle = root->lifecycle_;
  api_deps.procedures = root->procedures_;
  api_deps.identity = root->identity_;
  api_deps.attachments = std::make_shared<store::SqlAttachmentStore>(root->database_);
  api_deps.statistics = std::make_shared<store::SqlDossierStatistics>(root->database_);
  api_deps.calendar = root->calendar_;
  api_deps.rules = root->rules_;
  api_deps.clock = root->clock_;
  api_deps.ready = [readiness = std::make_shared<store::Readiness>(root->database_)] {
    return readiness->check();
  };
  api_deps.status_cache = root->status_cache_;
  if (!root->signing_.trust.empty()) {
    auto verifier = signing::Verifier::create({root->signing_.trust, root->signing_.crls, true});
    if (!verifier) return failure("trust store", message_only(verifier.error().message));
    api_deps.verifier = std::make_shared<const signing::Verifier>(std::move(*verifier));
  }
  auto api = api::Api::create(std::move(api_deps), settings);
  if (!api) return failure("api", api.error());
  root->api_ = std::move(*api);
  auto server = api::Server::create(config.server, root->api_);
  if (!server) return failure("listen", server.error());
  root->server_ = std::move(*server);
  if (config.metrics_server) {
    auto metrics = api::Server::create(*config.metrics_server,
                                       std::make_shared<api::MetricsHandler>(root->api_));
    if (!metrics) return failure("--metrics-listen", metrics.error());
    root->metrics_server_ = std::move(*metrics);
    std::printf("motcua serve: metrics on %s://%s/metrics\n",
                root->metrics_server_->tls() ? "https" : "http",
                root->metrics_server_->endpoint().c_str());
  }

  std::printf("motcua serve: %zu procedures, database %s\n", root->procedure_count_,
              config.db.redacted.c_str());
  std::printf("motcua serve: listening on %s://%s\n", root->server_->tls() ? "https" : "http",
              root->server_->endpoint().c_str());
  std::fflush(stdout);
  return root;
}

void ServeRoot::run() {
  if (config_.scheduler_interval.count() > 0)
    deadlines_.emplace(*scheduler_, config_.scheduler_interval);
  // The metrics listener serves while the API's does, and stops when it has drained.
  std::thread metrics;
  if (metrics_server_) metrics = std::thread([this] { metrics_server_->run(); });
  server_->run();
  if (metrics_server_) {
    metrics_server_->stop();
    metrics.join();
  }
}

}  // namespace motcua::app
