#pragma once
// ServeRoot: the composition root of `motcua serve`, the one place that builds the concrete
// adapters behind the HTTP API and wires them together. create() builds every part in dependency
// order from a ServeConfig (app/serve_config.hpp): the access log file, the database (opened and
// migrated), the SQL stores (the identity store here, the others held by the services that use
// them), the catalogue (parsed once: one engine::ProcedureSource shared by the
// lifecycle service and the API), the calendar, the demo organisation, the signing keys and
// document issuer, the lifecycle service, the status cache and its change feed, the API and the
// listening Server. The members are declared in that order, so destruction tears down in reverse
// with nothing to sequence by hand: the server stops before the API, the API (and its access log)
// before the log file closes, the deadline scheduler finishes a pass before the stores go away,
// the database closes last.
//
// create() prints what `motcua serve` always printed on stdout: the demo organisation and the
// passwords of officers created now, the signing keys, the catalogue size and database, the
// metrics listener's address and 'motcua serve: listening on http(s)://ADDR:PORT'. Catalogue
// problems go to stderr. Requires the library guards of app::dispatch (libxml2, xmlsec/OpenSSL) to
// outlive the root. Not thread-safe: create, run and destroy on one thread.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "api/api.hpp"
#include "api/server.hpp"
#include "app/scheduler_loop.hpp"
#include "app/serve_config.hpp"
#include "app/serve_signing.hpp"
#include "engine/calendar.hpp"
#include "engine/deadline_scheduler.hpp"
#include "engine/lifecycle_service.hpp"
#include "engine/procedure_source.hpp"
#include "store/change_feed.hpp"
#include "store/database.hpp"
#include "store/identity_store.hpp"

namespace motcua::app {

// Why the root could not be built: "motcua serve: <what>: <error>" and the process exit code
// (2 for a bad --server-key-file, as for the other usage errors; 1 otherwise).
struct ServeFailure {
  std::string what;
  engine::Error error;
  int exit_code = 1;
};

class ServeRoot {
 public:
  // `data_root`: where the schemas, the demo organisation and the demo PKI script live.
  static tl::expected<std::unique_ptr<ServeRoot>, ServeFailure> create(
      const ServeConfig& config, const std::string& data_root);

  // Serves until SIGTERM/SIGINT and the drain that follows; the deadline scheduler runs meanwhile.
  void run();

  ServeRoot(const ServeRoot&) = delete;
  ServeRoot& operator=(const ServeRoot&) = delete;
  ~ServeRoot() = default;

 private:
  // Closes a log file that is not stdout.
  struct LogFile {
    std::FILE* file = nullptr;
    ~LogFile();
  };

  explicit ServeRoot(const ServeConfig& config) : config_(config) {}

  const ServeConfig config_;
  LogFile access_log_;  // first: the API writes to it until the very end
  std::shared_ptr<const engine::Clock> clock_;
  std::shared_ptr<store::Database> database_;
  std::shared_ptr<store::SqlIdentityStore> identity_;
  std::shared_ptr<const engine::ProcedureSource> procedures_;
  std::size_t procedure_count_ = 0;
  std::shared_ptr<const engine::Calendar> calendar_;
  std::shared_ptr<const engine::LegalRuleBook> rules_;
  ServeSigning signing_;
  std::shared_ptr<engine::LifecycleService> lifecycle_;
  std::shared_ptr<api::StatusCache> status_cache_;
  std::unique_ptr<store::ChangeFeed> feed_;  // feeds status_cache_
  std::unique_ptr<engine::DeadlineScheduler> scheduler_;
  std::optional<SchedulerLoop> deadlines_;  // runs while run() serves, and until destroyed
  std::shared_ptr<api::Api> api_;
  std::unique_ptr<api::Server> metrics_server_;  // --metrics-listen; null without
  std::unique_ptr<api::Server> server_;          // last: stops first
};

}  // namespace motcua::app
