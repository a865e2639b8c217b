// End to end: /metrics is not public by default. The operator serves it to holders of a token
// (--metrics-token FILE, a bearer token compared in constant time and never logged), or on a
// listener of its own (--metrics-listen ADDR:PORT), or both.
#include <sys/wait.h>

#include <fstream>

#include "tests/api/e2e_support.hpp"

namespace motcua::api::e2e {
namespace {

bool has_request_counts(const Reply& r) {
  return r.body.find("motcua_http_requests_total{route=\"healthz\",status=\"200\"}") !=
         std::string::npos;
}

void check_unauthorized(const Reply& r) {
  CHECK(r.status == 401);
  CHECK(r.code() == "unauthorized");
  CHECK(r.header("WWW-Authenticate") == "Bearer realm=\"metrics\"");
  CHECK(!has_request_counts(r));
}

}  // namespace

TEST_CASE("E2E: /metrics answers 404 on the API's listener by default") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_metrics_off"), {"--no-demo"});
  Client c(server.port);
  CHECK(c.send("GET", "/healthz").status == 200);
  auto r = c.send("GET", "/metrics");
  CHECK(r.status == 404);
  CHECK(r.code() == "not-found");
  CHECK(!has_request_counts(r));
  CHECK(c.send("GET", "/metrics", {}, bearer(kMetricsToken)).status == 404);
  CHECK(server.stop() == 0);
}

TEST_CASE("E2E: --metrics-token serves /metrics to bearers of the token only, never logging it") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_metrics_token"),
                      {"--no-demo", "--metrics-token", metrics_token_file()});
  Client c(server.port);
  CHECK(c.send("GET", "/healthz").status == 200);
  check_unauthorized(c.send("GET", "/metrics"));
  check_unauthorized(c.send("GET", "/metrics", {}, bearer(kMetricsToken + "x")));
  std::string near = kMetricsToken;
  near.back() = near.back() == 'f' ? 'e' : 'f';  // same length, last byte differs
  check_unauthorized(c.send("GET", "/metrics", {}, bearer(near)));
  check_unauthorized(c.send("GET", "/metrics", {}, {{"Authorization", "Basic " + kMetricsToken}}));
  auto en = c.send("GET", "/metrics", {}, {{"Accept-Language", "en"}});
  CHECK(en.json().at("detail") == "Send the metrics token as a bearer token.");
  auto ok = c.send("GET", "/metrics", {}, bearer(kMetricsToken));
  CHECK(ok.status == 200);
  CHECK(ok.header("Content-Type").starts_with("text/plain; version=0.0.4"));
  CHECK(has_request_counts(ok));
  CHECK(server.stop() == 0);
  for (const std::string& line : server.rest_of_output()) {
    CAPTURE(line);
    CHECK(line.find(kMetricsToken.substr(8)) == std::string::npos);
  }
}

TEST_CASE("E2E: --metrics-listen serves /metrics on its own listener, and only there") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_metrics_listen"),
                      {"--no-demo", "--metrics-listen", "127.0.0.1:0"});
  REQUIRE(server.metrics_port != 0);
  CHECK(server.metrics_port != server.port);
  Client api(server.port), metrics(server.metrics_port);
  CHECK(api.send("GET", "/healthz").status == 200);
  CHECK(api.send("GET", "/metrics").status == 404);
  auto ok = metrics.send("GET", "/metrics");
  CHECK(ok.status == 200);
  CHECK(has_request_counts(ok));
  // The metrics listener serves nothing else.
  CHECK(metrics.send("GET", "/healthz").status == 404);
  CHECK(metrics.send("GET", "/api/v1/procedures").status == 404);
  CHECK(metrics.send("DELETE", "/metrics").status == 405);
  CHECK(server.stop() == 0);  // SIGTERM stops both listeners
}

TEST_CASE(
    "E2E: with --metrics-listen and --metrics-token the metrics listener asks for the token") {
  ServeProcess server(
      fresh_database_url("motcua_api_e2e_metrics_both"),
      {"--no-demo", "--metrics-listen", "127.0.0.1:0", "--metrics-token", metrics_token_file()});
  REQUIRE(server.metrics_port != 0);
  Client api(server.port), metrics(server.metrics_port);
  CHECK(api.send("GET", "/metrics", {}, bearer(kMetricsToken)).status == 404);
  check_unauthorized(metrics.send("GET", "/metrics"));
  auto ok = metrics.send("GET", "/metrics", {}, bearer(kMetricsToken));
  CHECK(ok.status == 200);
  CHECK(ok.body.find("motcua_http_requests_total") != std::string::npos);
  CHECK(server.stop() == 0);
}

TEST_CASE("E2E: a short metrics token is refused at start, exit 2, without printing it") {
  const auto file = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-api" / "short.token";
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file) << "tooshort-secret\n";
  const auto output = file.parent_path() / "short.token.out";
  // Refused before the database is opened: the database named is never made.
  const auto db = file.parent_path() / "short.token.db";
  std::filesystem::remove(db);
  const std::string cmd = motcua_binary() +
                          " serve --no-demo --listen 127.0.0.1:0 --db sqlite3://" + db.string() +
                          " --metrics-token " + file.string() + " >" + output.string() + " 2>&1";
  const int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  std::ifstream in(output);
  const std::string said((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CAPTURE(said);
  CHECK(said.find("--metrics-token: the token must be at least 32 characters") !=
        std::string::npos);
  CHECK(said.find("tooshort-secret") == std::string::npos);
  CHECK_FALSE(std::filesystem::exists(db));
}

}  // namespace motcua::api::e2e
