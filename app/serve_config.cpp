#include "app/serve_config.hpp"

#include <algorithm>
#include <optional>

#include "app/args.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/legal_rules_file.hpp"

namespace motcua::app {

const char* const kServeUsage =
    "usage: motcua serve [--db URL] [--listen ADDR:PORT] [--catalog DIR] [--calendar PATH]...\n"
    "                    [--rules PATH]...\n"
    "                    [--tls-cert FILE --tls-key FILE] [--trust PATH]... [--crl FILE]...\n"
    "                    [--keys DIR [--keys-password-file FILE]] [--demo-pki DIR]\n"
    "                    [--server-key-file FILE] [--status-cache N]\n"
    "                    [--upload-limit MIB] [--access-log FILE|-|none] [--no-demo]\n"
    "                    [--io-threads N] [--workers N] [--max-connections N]\n"
    "                    [--read-timeout-ms N] [--idle-timeout-ms N]\n"
    "                    [--tracking-rate PER_MIN] [--login-rate PER_MIN]\n"
    "                    [--trusted-proxy CIDR]... [--scheduler-interval SECONDS]\n"
    "                    [--metrics-token FILE] [--metrics-listen ADDR:PORT]\n"
    "  Serves the HTTP API (docs: schemas/openapi.json). Defaults: the embedded SQLite database\n"
    "  (sqlite3://var/motcua.db), 127.0.0.1:8080 (port 0: any free port), the shipped catalogue,\n"
    "  --rules: lifecycle rules files or directories (default the shipped workflows/rules; a\n"
    "  dossier follows the version in force on its receipt date).\n"
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
    "  never notify one deadline twice.\n"
    "  /metrics (Prometheus) is not served by default (404). --metrics-token FILE serves it to\n"
    "  callers sending 'Authorization: Bearer <first line of FILE>' (at least 32 characters;\n"
    "  401 otherwise); --metrics-listen ADDR:PORT serves it on a listener of its own instead\n"
    "  (same TLS files as the API; printed as 'motcua serve: metrics on http://ADDR:PORT'), with\n"
    "  the token too when both are given. HTTPS accepts TLS 1.3, and TLS 1.2 with ECDHE and\n"
    "  AES-GCM or ChaCha20-Poly1305 only.\n";

namespace {

engine::Error bad(const std::string& message) {
  return engine::Error{engine::ErrorCode::kInvalidInput, message, {}};
}

// A whole decimal number in [min, max]; nullopt when it is not one.
std::optional<long> whole_number(const std::string& text, long min, long max) {
  if (text.empty() ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  if (text.size() > 18) return std::nullopt;  // beyond every range below, and beyond long
  const long v = std::stol(text);
  if (v < min || v > max) return std::nullopt;
  return v;
}

// Reads --`name` into `out` when given. Returns false (and sets `error`) on a bad value.
bool number(const Args& args, const char* name, long min, long max, long& out,
            std::optional<engine::Error>& error) {
  auto text = args.get(name);
  if (!text) return true;
  auto v = whole_number(*text, min, max);
  if (!v) {
    error = bad("--" + std::string(name) + ": expected a whole number from " + std::to_string(min) +
                " to " + std::to_string(max) + ", got '" + *text + "'");
    return false;
  }
  out = *v;
  return true;
}

// "ADDR:PORT", "[IPv6]:PORT" of --`option`; PORT 0 means any free port.
engine::Status listen_address(const char* option, const std::string& listen,
                              api::ServerOptions& out) {
  const auto colon = listen.rfind(':');
  const auto port =
      colon == std::string::npos ? std::nullopt : whole_number(listen.substr(colon + 1), 0, 65535);
  std::string address = colon == std::string::npos ? "" : listen.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  if (!port || address.empty())
    return tl::unexpected(bad(std::string("--") + option +
                              ": expected ADDR:PORT (PORT from 0 to 65535), got '" + listen + "'"));
  out.address = address;
  out.port = static_cast<unsigned short>(*port);
  return {};
}

}  // namespace

engine::Result<ServeConfig> parse_serve_config(const Words& words, const std::string& data_root) {
  Args args;
  if (auto problem = Args::parse(words,
                                 {"db",
                                  "listen",
                                  "catalog",
                                  "calendar",
                                  "rules",
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
                                  "status-cache",
                                  "metrics-token",
                                  "metrics-listen"},
                                 {"help", "no-demo"}, args))
    return tl::unexpected(bad(*problem));
  if (!args.positional().empty())
    return tl::unexpected(bad("unexpected argument '" + args.positional().front() + "'"));
  ServeConfig config;
  if (args.has("help")) {
    config.help = true;
    return config;
  }

  if (auto listen =
          listen_address("listen", args.get("listen").value_or("127.0.0.1:8080"), config.server);
      !listen)
    return tl::unexpected(listen.error());
  long io = 1, workers = 4, max_conn = 2048, upload_mib = 20, read_ms = 10000, idle_ms = 30000,
       tracking_rate = 60, login_rate = 10, scheduler_s = 60, status_cache = 100000;
  std::optional<engine::Error> error;
  if (!number(args, "io-threads", 1, 64, io, error) ||
      !number(args, "workers", 1, 256, workers, error) ||
      !number(args, "max-connections", 1, 1000000, max_conn, error) ||
      !number(args, "upload-limit", 1, 1024, upload_mib, error) ||
      !number(args, "read-timeout-ms", 10, 600000, read_ms, error) ||
      !number(args, "idle-timeout-ms", 10, 3600000, idle_ms, error) ||
      !number(args, "tracking-rate", 1, 1000000000, tracking_rate, error) ||
      !number(args, "login-rate", 1, 1000000000, login_rate, error) ||
      !number(args, "scheduler-interval", 0, 86400, scheduler_s, error) ||
      !number(args, "status-cache", 0, 100000000, status_cache, error))
    return tl::unexpected(*error);

  config.server.io_threads = static_cast<int>(io);
  config.server.worker_threads = static_cast<int>(workers);
  config.server.max_connections = static_cast<std::size_t>(max_conn);
  config.server.read_timeout = std::chrono::milliseconds(read_ms);
  config.server.idle_timeout = std::chrono::milliseconds(idle_ms);
  config.server.tls_cert = args.get("tls-cert").value_or("");
  config.server.tls_key = args.get("tls-key").value_or("");
  if (config.server.tls_cert.empty() != config.server.tls_key.empty())
    return tl::unexpected(bad("--tls-cert and --tls-key go together: give both or neither"));
  config.server.trusted_proxies = args.all("trusted-proxy");

  config.api.upload_limit = static_cast<std::size_t>(upload_mib) << 20;
  // Per client: a burst of half a minute's worth (at least 10), then the steady rate.
  config.api.tracking_per_minute = static_cast<double>(tracking_rate);
  config.api.tracking_burst = std::max(10.0, config.api.tracking_per_minute / 2);
  config.api.login_per_minute = static_cast<double>(login_rate);
  config.api.login_burst = std::max(10.0, config.api.login_per_minute / 2);
  config.api.access_log = nullptr;  // the root opens --access-log

  auto db =
      store::parse_database_url(args.get("db").value_or(std::string(store::kDefaultDatabaseUrl)));
  if (!db) return tl::unexpected(bad("--db: " + db.error().message));
  config.db = std::move(*db);

  config.catalog_dir = args.get("catalog").value_or(data_root + "/workflows/catalog");
  config.calendar_paths = args.all("calendar");
  if (config.calendar_paths.empty())
    config.calendar_paths.push_back(workflows::default_calendar_dir(data_root));
  config.rules_paths = args.all("rules");
  if (config.rules_paths.empty())
    config.rules_paths.push_back(workflows::default_rules_dir(data_root));
  config.server_key_file = args.get("server-key-file").value_or("");
  config.access_log = args.get("access-log").value_or("-");
  if (config.access_log.empty())
    return tl::unexpected(bad("--access-log: expected a file, '-' (stdout) or 'none'"));

  config.demo = !args.has("no-demo");
  config.keys_dir = args.get("keys").value_or("");
  config.keys_password_file = args.get("keys-password-file").value_or("");
  if (!config.keys_password_file.empty() && config.keys_dir.empty())
    return tl::unexpected(bad("--keys-password-file is the password of --keys DIR: give --keys"));
  config.demo_pki = args.get("demo-pki").value_or(kDefaultDemoPki);
  config.trust = args.all("trust");
  config.crls = args.all("crl");
  config.status_cache = static_cast<std::size_t>(status_cache);
  config.scheduler_interval = std::chrono::seconds(scheduler_s);

  config.metrics_token_file = args.get("metrics-token").value_or("");
  if (args.has("metrics-token") && config.metrics_token_file.empty())
    return tl::unexpected(bad("--metrics-token: expected the file holding the token"));
  if (auto listen = args.get("metrics-listen")) {
    api::ServerOptions metrics = config.server;  // TLS files, timeouts
    if (auto parsed = listen_address("metrics-listen", *listen, metrics); !parsed)
      return tl::unexpected(parsed.error());
    if (metrics.port != 0 && metrics.port == config.server.port &&
        metrics.address == config.server.address)
      return tl::unexpected(bad("--metrics-listen: give an address other than --listen's"));
    metrics.io_threads = 1;
    metrics.worker_threads = 1;
    metrics.max_connections = 64;
    metrics.trusted_proxies.clear();
    metrics.handle_signals = false;  // the API's listener stops it
    config.metrics_server = std::move(metrics);
  }
  config.api.metrics_on_api = !config.metrics_token_file.empty() && !config.metrics_server;
  return config;
}

}  // namespace motcua::app
