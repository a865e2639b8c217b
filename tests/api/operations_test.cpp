// End to end over HTTP against the real `motcua serve`: draining on SIGTERM, client addresses
// behind trusted reverse proxies, and HEAD.
#include <fstream>

#include "api/password.hpp"
#include "tests/api/e2e_flow.hpp"

namespace motcua::api::e2e {
namespace {

// Reads from the socket until `marker` has arrived; returns what was read.
std::string read_until(asio::ip::tcp::socket& socket, const std::string& marker) {
  std::string got;
  char chunk[512];
  while (got.find(marker) == std::string::npos) {
    boost::system::error_code ec;
    const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    if (ec) break;
    got.append(chunk, n);
  }
  return got;
}

// True once a connection to the port is refused, trying for at most ~5 s.
bool refuses_connections(unsigned short port) {
  for (int attempt = 0; attempt < 500; ++attempt) {
    asio::io_context ioc;
    asio::ip::tcp::socket probe(ioc);
    boost::system::error_code ec;
    probe.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
    if (ec == asio::error::connection_refused) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::vector<int> track_statuses(Client& c, int times, const std::string& forwarded_for) {
  std::vector<int> statuses;
  std::map<std::string, std::string> headers;
  if (!forwarded_for.empty()) headers["X-Forwarded-For"] = forwarded_for;
  for (int i = 0; i < times; ++i)
    statuses.push_back(
        c.send("GET", "/api/v1/tracking/000.01.21.H57-261127-0001", {}, headers).status);
  return statuses;
}

}  // namespace

TEST_CASE(
    "E2E: on SIGTERM a request in progress gets its full answer, new connections are "
    "refused, and the server exits 0") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_drain"));
  Client idle(server.port);  // a keep-alive connection with no request: closed by the drain
  CHECK(idle.send("GET", "/healthz").status == 200);
  Client upload(server.port);
  auto& socket = upload.stream().socket();
  const std::string body(4u << 20, 'd');
  const std::string header =
      "POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n";
  asio::write(socket, asio::buffer(header));
  // The server has read the header (the request is in progress) once it says 100 Continue.
  REQUIRE(read_until(socket, "\r\n\r\n").starts_with("HTTP/1.1 100"));
  asio::write(socket, asio::buffer(body.data(), body.size() / 2));

  server.terminate();
  CHECK(refuses_connections(server.port));
  asio::write(socket, asio::buffer(body.data() + body.size() / 2, body.size() - body.size() / 2));
  http::response_parser<http::string_body> parser;
  beast::flat_buffer buffer;
  boost::system::error_code ec;
  http::read(upload.stream(), buffer, parser, ec);
  REQUIRE_MESSAGE(!ec, ec.message());
  CHECK(parser.get().result_int() == 201);
  CHECK(!parser.get().keep_alive());  // "Connection: close" while draining
  auto answer = boost::json::parse(parser.get().body());
  CHECK(answer.at("sha256").as_string() == sha256_hex(body).value());
  CHECK(answer.at("size").as_int64() == static_cast<std::int64_t>(body.size()));
  // Within the drain limit (10 s by default) plus start-up slack.
  const auto exit_status = server.wait_exit(std::chrono::seconds(20));
  REQUIRE(exit_status.has_value());
  CHECK(*exit_status == 0);
  // The idle connection was closed, not left hanging.
  char byte;
  idle.stream().socket().read_some(asio::buffer(&byte, 1), ec);
  CHECK(ec);
}

TEST_CASE(
    "E2E: rate limits key on the peer, or behind a --trusted-proxy on the last untrusted "
    "X-Forwarded-For hop") {
  // --tracking-rate 1: a burst of 10, then one a minute.
  const std::vector<int> burst(10, 404), limited{429, 429};
  SUBCASE("an untrusted peer's X-Forwarded-For is ignored") {
    ServeProcess server(fresh_database_url("motcua_api_e2e_proxy_off"), {"--tracking-rate", "1"});
    Client c(server.port);
    CHECK(track_statuses(c, 10, "203.0.113.7") == burst);
    CHECK(track_statuses(c, 2, "203.0.113.8") == limited);  // spoofed: still the peer's bucket
    CHECK(track_statuses(c, 1, "") == std::vector<int>{429});
    CHECK(server.stop() == 0);
  }
  SUBCASE("a trusted proxy's X-Forwarded-For names the client") {
    ServeProcess server(fresh_database_url("motcua_api_e2e_proxy_on"),
                        {"--tracking-rate", "1", "--trusted-proxy", "10.9.0.0/16",
                         "--trusted-proxy", "127.0.0.0/8"});
    Client c(server.port);
    CHECK(track_statuses(c, 10, "203.0.113.7") == burst);
    CHECK(track_statuses(c, 1, "203.0.113.7") == std::vector<int>{429});
    // A forged entry left of the real client changes nothing; trusted hops are skipped.
    CHECK(track_statuses(c, 1, "198.51.100.1, 203.0.113.7") == std::vector<int>{429});
    CHECK(track_statuses(c, 1, "203.0.113.7, 10.9.4.4") == std::vector<int>{429});
    CHECK(track_statuses(c, 1, "203.0.113.7,127.0.0.9") == std::vector<int>{429});
    // Another client behind the proxy has its own bucket, and so has the proxy itself.
    CHECK(track_statuses(c, 1, "203.0.113.8") == std::vector<int>{404});
    CHECK(track_statuses(c, 1, "2001:db8::1") == std::vector<int>{404});
    CHECK(track_statuses(c, 1, "") == std::vector<int>{404});
    // An unparsable hop: the proxy that appended it is the client (not a fresh bucket per lie).
    CHECK(track_statuses(c, 9, "not-an-address") == std::vector<int>(9, 404));
    CHECK(track_statuses(c, 1, "garbage") == std::vector<int>{429});
    CHECK(server.stop() == 0);
    bool logged = false;
    for (const std::string& line : server.rest_of_output())
      logged |= line.find("\"client\":\"203.0.113.8\"") != std::string::npos;
    CHECK(logged);
  }
  SUBCASE("a --trusted-proxy that is not a CIDR block stops the server from starting") {
    const std::string cmd = motcua_binary() + " serve --db '" +
                            fresh_database_url("motcua_api_e2e_proxy_bad") +
                            "' --listen 127.0.0.1:0 --no-demo --trusted-proxy 10.0.0.0/33 "
                            ">/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) != 0);
  }
}

TEST_CASE("E2E: HEAD is answered like GET without a body") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_head"));
  Client c(server.port);
  for (const std::string target :
       {"/healthz", "/api/v1/procedures", "/api/v1/procedures/1.013225"}) {
    CAPTURE(target);
    auto get = c.send("GET", target);
    auto head = c.send("HEAD", target);
    REQUIRE(get.status == 200);
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.headers["Content-Length"] == std::to_string(get.body.size()));
    CHECK(head.headers["Content-Type"] == get.headers["Content-Type"]);
  }
  // The connection stays usable (no stray body bytes), errors keep their status, and routes
  // without GET still answer 405.
  CHECK(c.send("HEAD", "/api/v1/nowhere").status == 404);
  CHECK(c.send("HEAD", "/api/v1/work-queue").status == 401);
  CHECK(c.send("HEAD", "/api/v1/auth/login").status == 405);
  CHECK(c.send("GET", "/healthz").status == 200);
  CHECK(server.stop() == 0);
}

}  // namespace motcua::api::e2e

namespace motcua::api::e2e {

TEST_CASE(
    "E2E: servers sharing --server-key-file honour each other's read capabilities and give a "
    "retried submission its tracking secret again") {
  const auto dir = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-api";
  std::filesystem::create_directories(dir);
  const std::string key_file = (dir / "capability.key").string();
  {
    std::ofstream key(key_file);
    key << "0123456789abcdef0123456789abcdef-shared\n";
  }
  const std::string db = fresh_database_url("motcua_api_e2e_capability");
  ServeProcess first(db, {"--server-key-file", key_file});
  ServeProcess second(db, {"--server-key-file", key_file});
  ServeProcess other(db);  // its own random key
  Client a(first.port), b(second.port), c(other.port);
  auto up =
      a.send("POST", "/api/v1/attachments", "%PDF shared", {{"Content-Type", "application/pdf"}});
  REQUIRE(up.status == 201);
  const std::string path = "/api/v1/attachments/" + std::string(up.json().at("sha256").as_string());
  const std::map<std::string, std::string> capability{
      {"X-Attachment-Capability", std::string(up.json().at("read_capability").as_string())}};
  auto read = b.send("GET", path, {}, capability);
  CHECK(read.status == 200);
  CHECK(read.body == "%PDF shared");
  CHECK(c.send("GET", path, {}, capability).status == 403);

  // The client never saw the first answer and retries, through another server of the balancer.
  const Submitted d = submit(a, "retry-key-1");
  const json::object body = permit_submission(a);
  auto first_try = a.json("POST", "/api/v1/dossiers", body, {{"Idempotency-Key", "retry-key-2"}});
  REQUIRE(first_try.status == 201);
  const std::string secret(first_try.json().at("tracking_secret").as_string());
  auto retry = b.json("POST", "/api/v1/dossiers", body, {{"Idempotency-Key", "retry-key-2"}});
  REQUIRE(retry.status == 200);
  CHECK(retry.json().at("replayed") == true);
  CHECK(retry.json().at("tracking_secret") == json::value(secret));
  // ...and the secret opens the dossier.
  CHECK(version_of(b, std::string(retry.json().at("code").as_string()), secret) > 0);
  // A server with another key cannot derive it, and shows none rather than a wrong one.
  auto elsewhere = c.json("POST", "/api/v1/dossiers", body, {{"Idempotency-Key", "retry-key-2"}});
  REQUIRE(elsewhere.status == 200);
  CHECK(elsewhere.json().at("tracking_secret").is_null());
  // Another key gets another secret.
  CHECK(d.secret != secret);
  // A key shorter than 32 characters is refused at start.
  {
    std::ofstream key(key_file);
    key << "short\n";
  }
  const std::string cmd = motcua_binary() + " serve --no-demo --db '" + db + "'" +
                          " --listen 127.0.0.1:0 --server-key-file " + key_file +
                          " >/dev/null 2>&1";
  CHECK(WEXITSTATUS(std::system(cmd.c_str())) == 2);
}

}  // namespace motcua::api::e2e

namespace motcua::api::e2e {

TEST_CASE("E2E: a server's public tracking view follows a change another server committed") {
  const std::string db = fresh_database_url("motcua_api_e2e_two_servers");
  ServeProcess a(db);
  ServeProcess b(db);  // the demo officers exist already: b printed no passwords
  Client ca(a.port), cb(b.port);
  const Submitted d = submit(ca);
  const auto state_on_a = [&] {
    auto r = ca.send("GET", "/api/v1/tracking/" + d.code);
    REQUIRE(r.status == 200);
    return std::string(r.json().at("state").as_string());
  };
  CHECK(state_on_a() == "submitted");
  CHECK(state_on_a() == "submitted");  // now held in a's memory
  auto accepted = act(cb, login(cb, a, "centre.desk"), d.code, {{"action", "accept"}},
                      version_of(cb, d.code, d.secret));
  REQUIRE_MESSAGE(accepted.status == 200, accepted.body);
  const std::string now(accepted.json().at("state").as_string());
  // PostgreSQL notifies a at once; SQLite's change poll runs every 10 ms.
  std::string seen = state_on_a();
  for (int i = 0; i < 200 && seen != now; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = state_on_a();
  }
  CHECK(seen == now);
}

}  // namespace motcua::api::e2e
