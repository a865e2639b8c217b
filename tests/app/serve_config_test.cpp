// parse_serve_config: the command line of `motcua serve`, parsed with no I/O.
#include "app/serve_config.hpp"

#include <doctest/doctest.h>

#include <string>

namespace motcua::app {
namespace {

const std::string kRoot = "/opt/motcua";

engine::Result<ServeConfig> parse(Words words) { return parse_serve_config(words, kRoot); }

// The error message of a parse that must fail.
std::string refusal(Words words) {
  auto config = parse(std::move(words));
  REQUIRE_FALSE(config);
  CHECK(config.error().code == engine::ErrorCode::kInvalidInput);
  return config.error().message;
}

bool mentions(const std::string& message, const std::string& text) {
  return message.find(text) != std::string::npos;
}

TEST_CASE("parse_serve_config gives the documented defaults") {
  auto config = parse({});
  REQUIRE(config);
  CHECK_FALSE(config->help);
  CHECK(config->db.backend == store::Backend::kSqlite3);
  CHECK(config->db.sqlite_path == "var/motcua.db");
  CHECK(config->server.address == "127.0.0.1");
  CHECK(config->server.port == 8080);
  CHECK(config->server.tls_cert.empty());
  CHECK(config->server.tls_key.empty());
  CHECK(config->server.io_threads == 1);
  CHECK(config->server.worker_threads == 4);
  CHECK(config->server.max_connections == 2048);
  CHECK(config->server.read_timeout == std::chrono::milliseconds(10000));
  CHECK(config->server.idle_timeout == std::chrono::milliseconds(30000));
  CHECK(config->server.trusted_proxies.empty());
  CHECK(config->api.upload_limit == 20u << 20);
  CHECK(config->api.tracking_per_minute == 60);
  CHECK(config->api.tracking_burst == 30);
  CHECK(config->api.login_per_minute == 10);
  CHECK(config->api.login_burst == 10);
  CHECK(config->api.server_key.empty());
  CHECK(config->catalog_dir == kRoot + "/workflows/catalog");
  CHECK(config->calendar_paths == std::vector<std::string>{kRoot + "/workflows/calendar"});
  CHECK(config->rules_paths == std::vector<std::string>{kRoot + "/workflows/rules"});
  CHECK(config->server_key_file.empty());
  CHECK(config->access_log == "-");
  CHECK(config->demo);
  CHECK(config->keys_dir.empty());
  CHECK(config->keys_password_file.empty());
  CHECK(config->demo_pki == "var/demo-pki");
  CHECK(config->trust.empty());
  CHECK(config->crls.empty());
  CHECK(config->status_cache == 100000);
  CHECK(config->scheduler_interval == std::chrono::seconds(60));
  // /metrics: not served.
  CHECK(config->metrics_token_file.empty());
  CHECK_FALSE(config->metrics_server);
  CHECK_FALSE(config->api.metrics_on_api);
}

TEST_CASE("parse_serve_config reads every option") {
  auto config = parse({"--db",
                       "postgresql://motcua:secret@db.example:5433/motcua",
                       "--listen=[::1]:0",
                       "--catalog",
                       "/srv/catalog",
                       "--calendar",
                       "/srv/a.cal",
                       "--calendar",
                       "/srv/cal",
                       "--rules",
                       "/srv/rules",
                       "--tls-cert",
                       "cert.pem",
                       "--tls-key",
                       "key.pem",
                       "--trust",
                       "ca1.pem",
                       "--trust",
                       "ca2.pem",
                       "--crl",
                       "ca1.crl",
                       "--keys",
                       "/srv/keys",
                       "--keys-password-file",
                       "/srv/keys.pass",
                       "--demo-pki",
                       "/srv/pki",
                       "--server-key-file",
                       "/srv/server.key",
                       "--status-cache",
                       "0",
                       "--upload-limit",
                       "64",
                       "--access-log",
                       "none",
                       "--no-demo",
                       "--io-threads",
                       "2",
                       "--workers",
                       "16",
                       "--max-connections",
                       "100",
                       "--read-timeout-ms",
                       "500",
                       "--idle-timeout-ms",
                       "750",
                       "--tracking-rate",
                       "600",
                       "--login-rate",
                       "30",
                       "--trusted-proxy",
                       "10.0.0.0/8",
                       "--trusted-proxy",
                       "192.168.0.1/32",
                       "--scheduler-interval",
                       "0",
                       "--metrics-token",
                       "/srv/metrics.token",
                       "--metrics-listen",
                       "127.0.0.1:9100"});
  REQUIRE(config);
  CHECK(config->db.backend == store::Backend::kPostgresql);
  CHECK_FALSE(mentions(config->db.redacted, "secret"));
  CHECK(config->server.address == "::1");
  CHECK(config->server.port == 0);
  CHECK(config->catalog_dir == "/srv/catalog");
  CHECK(config->calendar_paths == std::vector<std::string>{"/srv/a.cal", "/srv/cal"});
  CHECK(config->rules_paths == std::vector<std::string>{"/srv/rules"});
  CHECK(config->server.tls_cert == "cert.pem");
  CHECK(config->server.tls_key == "key.pem");
  CHECK(config->trust == std::vector<std::string>{"ca1.pem", "ca2.pem"});
  CHECK(config->crls == std::vector<std::string>{"ca1.crl"});
  CHECK(config->keys_dir == "/srv/keys");
  CHECK(config->keys_password_file == "/srv/keys.pass");
  CHECK(config->demo_pki == "/srv/pki");
  CHECK(config->server_key_file == "/srv/server.key");
  CHECK(config->status_cache == 0);
  CHECK(config->api.upload_limit == 64u << 20);
  CHECK(config->access_log == "none");
  CHECK_FALSE(config->demo);
  CHECK(config->server.io_threads == 2);
  CHECK(config->server.worker_threads == 16);
  CHECK(config->server.max_connections == 100);
  CHECK(config->server.read_timeout == std::chrono::milliseconds(500));
  CHECK(config->server.idle_timeout == std::chrono::milliseconds(750));
  CHECK(config->api.tracking_per_minute == 600);
  CHECK(config->api.tracking_burst == 300);  // half a minute's worth
  CHECK(config->api.login_per_minute == 30);
  CHECK(config->api.login_burst == 15);
  CHECK(config->server.trusted_proxies == std::vector<std::string>{"10.0.0.0/8", "192.168.0.1/32"});
  CHECK(config->scheduler_interval == std::chrono::seconds(0));
  CHECK(config->metrics_token_file == "/srv/metrics.token");
  REQUIRE(config->metrics_server);
  CHECK(config->metrics_server->address == "127.0.0.1");
  CHECK(config->metrics_server->port == 9100);
  // The metrics listener has the API's TLS files and timeouts, its own small pool, no signals.
  CHECK(config->metrics_server->tls_cert == "cert.pem");
  CHECK(config->metrics_server->tls_key == "key.pem");
  CHECK(config->metrics_server->read_timeout == std::chrono::milliseconds(500));
  CHECK(config->metrics_server->worker_threads == 1);
  CHECK(config->metrics_server->trusted_proxies.empty());
  CHECK_FALSE(config->metrics_server->handle_signals);
  CHECK(config->server.handle_signals);
  CHECK_FALSE(config->api.metrics_on_api);  // on their own listener only
}

TEST_CASE("parse_serve_config: /metrics on the API's listener with a token only") {
  auto token = parse({"--metrics-token", "m.token"});
  REQUIRE(token);
  CHECK(token->api.metrics_on_api);
  CHECK_FALSE(token->metrics_server);
  auto listener = parse({"--metrics-listen", "[::1]:0"});
  REQUIRE(listener);
  CHECK_FALSE(listener->api.metrics_on_api);
  REQUIRE(listener->metrics_server);
  CHECK(listener->metrics_server->address == "::1");
  CHECK(listener->metrics_server->port == 0);
}

TEST_CASE("parse_serve_config: --help asks for the usage only, and the usage names every option") {
  auto config = parse({"--workers", "8", "--help"});
  REQUIRE(config);
  CHECK(config->help);
  for (const char* option : {"--db",
                             "--listen",
                             "--catalog",
                             "--calendar",
                             "--tls-cert",
                             "--tls-key",
                             "--trust",
                             "--crl",
                             "--keys",
                             "--keys-password-file",
                             "--demo-pki",
                             "--server-key-file",
                             "--status-cache",
                             "--upload-limit",
                             "--access-log",
                             "--no-demo",
                             "--io-threads",
                             "--workers",
                             "--max-connections",
                             "--read-timeout-ms",
                             "--idle-timeout-ms",
                             "--tracking-rate",
                             "--login-rate",
                             "--trusted-proxy",
                             "--scheduler-interval",
                             "--metrics-token",
                             "--metrics-listen"}) {
    const std::string name(option);
    CAPTURE(name);
    // As a whole word: "--keys" is not found inside "--keys-password-file".
    const std::string usage = kServeUsage;
    bool found = false;
    for (auto at = usage.find(name); at != std::string::npos; at = usage.find(name, at + 1)) {
      const char next = usage[at + name.size()];
      found |= next == ' ' || next == ']' || next == '=';
    }
    CHECK(found);
  }
}

TEST_CASE("parse_serve_config keeps the last value of a single-valued option") {
  auto config = parse({"--workers", "2", "--workers", "3", "--listen", "0.0.0.0:1"});
  REQUIRE(config);
  CHECK(config->server.worker_threads == 3);
  CHECK(config->server.address == "0.0.0.0");
  CHECK(config->server.port == 1);
}

TEST_CASE("parse_serve_config accepts the bounds of every range") {
  auto low = parse({"--io-threads", "1", "--workers", "1", "--max-connections", "1",
                    "--upload-limit", "1", "--read-timeout-ms", "10", "--idle-timeout-ms", "10",
                    "--tracking-rate", "1", "--login-rate", "1", "--listen", "h:65535"});
  REQUIRE(low);
  CHECK(low->api.tracking_burst == 10);  // at least 10
  CHECK(low->server.port == 65535);
  auto high = parse({"--io-threads", "64", "--workers", "256", "--max-connections", "1000000",
                     "--upload-limit", "1024", "--scheduler-interval", "86400", "--status-cache",
                     "100000000"});
  REQUIRE(high);
  CHECK(high->api.upload_limit == std::size_t{1024} << 20);
}

TEST_CASE("parse_serve_config refuses bad values with a message naming the option") {
  SUBCASE("numbers out of range or not numbers") {
    struct Case {
      const char* option;
      const char* value;
    };
    for (const Case c :
         {Case{"--io-threads", "0"}, Case{"--io-threads", "65"}, Case{"--workers", "257"},
          Case{"--workers", "four"}, Case{"--max-connections", "0"}, Case{"--upload-limit", "1025"},
          Case{"--read-timeout-ms", "9"}, Case{"--idle-timeout-ms", "3600001"},
          Case{"--tracking-rate", "0"}, Case{"--login-rate", "-5"},
          Case{"--scheduler-interval", "86401"}, Case{"--status-cache", "1e6"},
          Case{"--workers", " 4"}, Case{"--workers", "4 "}, Case{"--workers", ""},
          Case{"--workers", "+4"}, Case{"--max-connections", "99999999999999999999999"}}) {
      CAPTURE(c.option);
      CAPTURE(c.value);
      const std::string message = refusal({c.option, c.value});
      CHECK(mentions(message, c.option));
      CHECK(mentions(message, "expected a whole number from"));
      CHECK(mentions(message, "'" + std::string(c.value) + "'"));
    }
  }
  SUBCASE("--listen") {
    for (const char* listen : {"8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536",
                               "127.0.0.1:80x", ":8080", "127.0.0.1:-1"}) {
      CAPTURE(listen);
      const std::string message = refusal({"--listen", listen});
      CHECK(mentions(message, "--listen: expected ADDR:PORT"));
    }
  }
  SUBCASE("--db") {
    CHECK(mentions(refusal({"--db", "mysql://x/y"}), "--db: "));
    const std::string message = refusal({"--db", "postgresql://u:hunter2@h:99999/db"});
    CHECK(mentions(message, "--db: "));
    CHECK_FALSE(mentions(message, "hunter2"));
  }
  SUBCASE("--metrics-listen") {
    for (const char* listen : {"9100", "127.0.0.1:", "127.0.0.1:70000"}) {
      CAPTURE(listen);
      CHECK(
          mentions(refusal({"--metrics-listen", listen}), "--metrics-listen: expected ADDR:PORT"));
    }
    CHECK(mentions(refusal({"--metrics-listen", "127.0.0.1:8080"}), "other than --listen's"));
    CHECK(mentions(refusal({"--listen", "0.0.0.0:80", "--metrics-listen", "0.0.0.0:80"}),
                   "other than --listen's"));
    CHECK(parse({"--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0"}));
  }
  SUBCASE("--metrics-token with an empty name") {
    CHECK(mentions(refusal({"--metrics-token", ""}), "--metrics-token"));
  }
  SUBCASE("--access-log with an empty name") {
    CHECK(mentions(refusal({"--access-log", ""}), "--access-log"));
  }
}

TEST_CASE("parse_serve_config refuses unknown options, missing values and stray words") {
  CHECK(mentions(refusal({"--port", "80"}), "unknown option --port"));
  CHECK(mentions(refusal({"--workers"}), "option --workers needs a value"));
  CHECK(mentions(refusal({"--no-demo=yes"}), "--no-demo"));
  CHECK(mentions(refusal({"serve"}), "unexpected argument 'serve'"));
}

TEST_CASE("parse_serve_config refuses conflicting options") {
  SUBCASE("half a TLS pair") {
    CHECK(mentions(refusal({"--tls-cert", "cert.pem"}), "--tls-cert and --tls-key"));
    CHECK(mentions(refusal({"--tls-key", "key.pem"}), "--tls-cert and --tls-key"));
  }
  SUBCASE("a key password without a key directory") {
    CHECK(mentions(refusal({"--keys-password-file", "keys.pass"}), "give --keys"));
    CHECK(parse({"--keys", "dir", "--keys-password-file", "keys.pass"}));
  }
}

}  // namespace
}  // namespace motcua::app
