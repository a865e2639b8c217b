#pragma once
// ServeConfig: everything `motcua serve` was asked to do, parsed from its command line by a pure
// function: no file is read, no socket bound, no environment consulted (the data root is a
// parameter). Files named here (keys, passwords, the server key, the access log) are opened when
// the ServeRoot (app/serve_root.hpp) is built. A plain value, safe to copy.
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "api/context.hpp"
#include "api/server.hpp"
#include "app/commands.hpp"
#include "engine/error.hpp"
#include "store/database_url.hpp"

namespace motcua::app {

// `motcua serve --help`.
extern const char* const kServeUsage;

inline constexpr const char* kDefaultDemoPki = "var/demo-pki";

struct ServeConfig {
  bool help = false;          // --help: print kServeUsage, nothing else
  store::DatabaseUrl db;      // --db (default store::kDefaultDatabaseUrl)
  api::ServerOptions server;  // --listen, --tls-*, threads, connection limits, timeouts, proxies
  // --upload-limit and the rate limits; server_key and access_log are left for the root to fill.
  api::ApiSettings api;
  std::string catalog_dir;                      // --catalog (default <data root>/workflows/catalog)
  std::vector<std::string> calendar_paths;      // --calendar... (default the shipped calendars)
  std::vector<std::string> rules_paths;         // --rules... (default the shipped lifecycle rules)
  std::string server_key_file;                  // empty: a random key per process
  std::string access_log = "-";                 // "-" stdout, "none", or a file appended to
  bool demo = true;                             // false with --no-demo
  std::string keys_dir;                         // --keys; empty: the demo PKI (demo) or no keys
  std::string keys_password_file;               // --keys-password-file, only with --keys
  std::string demo_pki = kDefaultDemoPki;       // --demo-pki
  std::vector<std::string> trust;               // --trust...
  std::vector<std::string> crls;                // --crl...
  std::size_t status_cache = 100000;            // --status-cache; 0: no cache, no change feed
  std::chrono::seconds scheduler_interval{60};  // --scheduler-interval; 0: no scheduler
  // /metrics: 404 by default. --metrics-token FILE: served to callers presenting the token (the
  // file's first line, read by the root) as a bearer token; --metrics-listen ADDR:PORT: served on
  // a listener of its own (with the main listener's TLS files and timeouts), and then 404 on the
  // main one; both: the token is asked for on the metrics listener. api.metrics_on_api is set.
  std::string metrics_token_file;
  std::optional<api::ServerOptions> metrics_server;
};

// Parses the words after `serve`. `data_root` is where the shipped catalogue and calendars live
// (app::data_root() in production). Errors: kInvalidInput with a message naming the option and
// what it accepts: unknown options, missing values, numbers out of range, a malformed --listen or
// --db, and conflicting options (--tls-cert without --tls-key or the reverse,
// --keys-password-file without --keys, --metrics-listen on the address of --listen).
engine::Result<ServeConfig> parse_serve_config(const Words& words, const std::string& data_root);

}  // namespace motcua::app
