// End to end over HTTP against the real `motcua serve` (PostgreSQL when MOTCUA_TEST_PG is set, else
// SQLite): a complete construction-permit case, the officer authorisation matrix, and hostile
// requests.
#include <thread>

#include "tests/api/e2e_flow.hpp"

namespace motcua::api::e2e {

TEST_CASE("E2E: a construction permit from submission to returned result, tracked by the citizen") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_case"),
                      {"--metrics-token", metrics_token_file()});
  Client c(server.port);
  CHECK(c.send("GET", "/healthz").status == 200);
  CHECK(c.send("GET", "/readyz").status == 200);
  auto procedure = c.send("GET", "/api/v1/procedures/1.013225");
  REQUIRE(procedure.status == 200);
  CHECK(procedure.json().at("components").as_array().size() >= 2);

  const Submitted d = submit(c, "case-key-1");
  CHECK(d.code.starts_with("000.01.21.H57-"));
  CHECK(d.secret.size() == 43);
  // Replaying the submission returns the same dossier and no new secret.
  auto replay =
      c.json("POST", "/api/v1/dossiers", permit_submission(c), {{"Idempotency-Key", "case-key-1"}});
  CHECK(replay.status == 200);
  CHECK(replay.json().at("code").as_string() == d.code);
  // The same Idempotency-Key and body derive the same secret: the retry is given it again.
  CHECK(replay.json().at("tracking_secret") == boost::json::value(d.secret));

  const std::string desk = login(c, server, "centre.desk"),
                    officer = login(c, server, "ppc.officer"),
                    leader = login(c, server, "ppc.leader"),
                    fire = login(c, server, "fire.consultee"),
                    land = login(c, server, "land.officer");
  auto queue = c.send("GET", "/api/v1/work-queue", {}, bearer(desk));
  REQUIRE(queue.status == 200);
  bool queued = false;
  const json::value queue_json = queue.json();
  for (const auto& item : queue_json.at("items").as_array())
    queued |= item.at("code").as_string() == d.code;
  CHECK(queued);
  CHECK(c.send("GET", "/api/v1/work-queue?role=leader", {}, bearer(desk)).status == 403);
  auto desk_queue = c.send("GET", "/api/v1/work-queue?role=desk", {}, bearer(desk));
  CHECK(desk_queue.status == 200);
  CHECK(desk_queue.body.find(d.code) != std::string::npos);
  auto other_queue = c.send("GET", "/api/v1/work-queue", {}, bearer(officer));
  CHECK(other_queue.body.find(d.code) == std::string::npos);  // not yet the officer's step

  std::int64_t v = version_of(c, d.code, d.secret);
  json::object accept{{"action", "accept"}, {"expected_version", v}};
  auto r = c.json("POST", "/api/v1/dossiers/" + d.code + "/actions", accept,
                  {{"Authorization", "Bearer " + desk}, {"Idempotency-Key", "accept-1"}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.json().at("status").as_int64() == 4);
  CHECK(r.json().at("replayed") == false);
  // The same action replayed with its key answers the first outcome and applies nothing.
  auto again = c.json("POST", "/api/v1/dossiers/" + d.code + "/actions", accept,
                      {{"Authorization", "Bearer " + desk}, {"Idempotency-Key", "accept-1"}});
  CHECK(again.status == 200);
  CHECK(again.json().at("replayed") == true);
  CHECK(again.json().at("version") == r.json().at("version"));
  CHECK(!r.json().at("due").is_null());
  // A stale version is refused and changes nothing.
  auto stale = act(c, officer, d.code, {{"action", "consult"}}, v);
  CHECK(stale.status == 409);
  CHECK(stale.code() == "stale-version");

  v = version_of(c, d.code, d.secret);
  r = act(c, officer, d.code,
          {{"action", "request-supplement"},
           {"reason", "Bản vẽ thiếu mặt cắt"},
           {"components", {"design-drawings"}}},
          v);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.json().at("status").as_int64() == 5);

  // The citizen supplements with the tracking secret.
  const std::string better = upload(c, "%PDF drawings with sections");
  v = version_of(c, d.code, d.secret);
  json::object supplement{
      {"action", "supplement-received"},
      {"expected_version", v},
      {"components", {"design-drawings"}},
      {"attachments", {{{"component", "design-drawings"}, {"sha256", better}}}}};
  auto wrong = c.json("POST", "/api/v1/tracking/" + d.code + "/actions", supplement,
                      {{"X-Tracking-Secret", "not-the-secret"}});
  CHECK(wrong.status == 404);
  r = c.json("POST", "/api/v1/tracking/" + d.code + "/actions", supplement,
             {{"X-Tracking-Secret", d.secret}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.json().at("status").as_int64() == 4);

  // Consultation runs in parallel: each consulted agency answers its own branch.
  v = version_of(c, d.code, d.secret);
  r = act(c, officer, d.code, {{"action", "consult"}}, v);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  auto record = c.send("GET", "/api/v1/dossiers/" + d.code, {}, bearer(fire));
  REQUIRE_MESSAGE(record.status == 200, record.body);
  CHECK(record.json().at("branches").as_array().size() == 2);
  v = record.json().at("version").as_int64();
  r = act(c, fire, d.code,
          {{"action", "respond"}, {"branch", "fire-safety"}, {"answer", "Đạt yêu cầu PCCC"}}, v);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = act(c, land, d.code,
          {{"action", "respond"}, {"branch", "land-use"}, {"answer", "Phù hợp quy hoạch"}}, v + 1);
  REQUIRE_MESSAGE(r.status == 200, r.body);

  v = version_of(c, d.code, d.secret);
  r = act(c, leader, d.code, {{"action", "approve"}}, v);
  CHECK(r.status == 422);
  CHECK(r.code() == "signature-required");
  r = act(c, leader, d.code, {{"action", "approve"}, {"signed", true}}, v);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.json().at("status").as_int64() == 9);
  v = version_of(c, d.code, d.secret);
  r = act(c, desk, d.code, {{"action", "return"}}, v);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.json().at("status").as_int64() == 10);

  // Public tracking by code: state and due date only. With the secret: every step.
  auto pub = c.send("GET", "/api/v1/tracking/" + d.code);
  REQUIRE(pub.status == 200);
  // code, state, status, status_name, due, due_provisional, due_provisional_days
  CHECK(pub.json().as_object().size() == 7);
  CHECK(!pub.json().as_object().contains("steps"));
  auto full = c.send("GET", "/api/v1/tracking/" + d.code, {}, {{"X-Tracking-Secret", d.secret}});
  REQUIRE(full.status == 200);
  const json::value timeline = full.json();
  std::vector<std::string> states;
  for (const auto& step : timeline.at("steps").as_array())
    states.emplace_back(step.at("state").as_string());
  const std::vector<std::string> expected{"submitted", "appraisal",    "supplement-requested",
                                          "appraisal", "consultation", "decision",
                                          "resolved",  "returned"};
  CHECK(states == expected);
  for (const auto& step : timeline.at("steps").as_array()) {
    if (step.at("state") == "appraisal") CHECK(step.at("agency_id") == "000.00.21.H57");
  }
  CHECK(full.json().at("documents").as_array().size() >= 1);
  CHECK(full.json().at("status").as_int64() == 10);

  auto metrics = c.send("GET", "/metrics", {}, bearer(kMetricsToken));
  CAPTURE(metrics.body);
  CHECK(metrics.body.find("motcua_dossiers{status=\"10\"} 1") != std::string::npos);
  CHECK(metrics.body.find("motcua_http_requests_total{route=\"dossiers.act\",status=\"200\"}") !=
        std::string::npos);
  CHECK(server.stop() == 0);
  // The access log: one JSON line per request with its id, and no secret anywhere in it.
  const auto log = server.rest_of_output();
  CHECK(log.size() > 30);
  for (const std::string& line : log) {
    if (line.starts_with("motcua serve:")) continue;
    boost::system::error_code ec;
    auto entry = json::parse(line, ec);
    REQUIRE_MESSAGE(!ec, line);
    CHECK(!entry.at("request_id").as_string().empty());
    CHECK(line.find(d.secret) == std::string::npos);
    CHECK(line.find(kMetricsToken) == std::string::npos);
    for (const auto& token : {desk, officer, leader, fire, land})
      CHECK(line.find(token.substr(4)) == std::string::npos);
    for (const auto& [who, password] : server.passwords)
      CHECK(line.find(password) == std::string::npos);
  }
}

TEST_CASE("E2E: every demo officer against every officer route gives the exact allow/deny table") {
  // No access log: this test's many requests would fill the stdout pipe nobody reads after start.
  ServeProcess server(fresh_database_url("motcua_api_e2e_matrix"),
                      {"--login-rate", "1000", "--access-log", "none"});
  Client c(server.port);
  // Before submission the uploader reads its upload back with the upload's read capability.
  auto uploaded = c.send("POST", "/api/v1/attachments", "%PDF application form",
                         {{"Content-Type", "application/pdf"}});
  REQUIRE(uploaded.status == 201);
  const std::string cited(uploaded.json().at("sha256").as_string());
  const std::string capability(uploaded.json().at("read_capability").as_string());
  const auto with_capability = [](const std::string& cap) {
    return std::map<std::string, std::string>{{"X-Attachment-Capability", cap}};
  };
  auto own = c.send("GET", "/api/v1/attachments/" + cited, {}, with_capability(capability));
  CHECK(own.status == 200);
  CHECK(own.body == "%PDF application form");
  CHECK(own.headers["Content-Type"] == "application/pdf");
  CHECK(c.send("GET", "/api/v1/attachments/" + cited).status == 401);
  CHECK(
      c.send("GET", "/api/v1/attachments/" + cited, {}, with_capability(capability + "x")).status ==
      403);
  const Submitted d = submit(c);  // cites `cited` as its application form
  // Cited by a dossier now: the capability no longer opens it.
  CHECK(c.send("GET", "/api/v1/attachments/" + cited, {}, with_capability(capability)).status ==
        403);
  auto loose_upload =
      c.send("POST", "/api/v1/attachments", "%PDF matrix", {{"Content-Type", "application/pdf"}});
  REQUIRE(loose_upload.status == 201);
  const std::string loose(loose_upload.json().at("sha256").as_string());
  // A capability opens only its own attachment.
  CHECK(c.send("GET", "/api/v1/attachments/" + loose, {}, with_capability(capability)).status ==
        403);
  CHECK(c.send("GET", "/api/v1/attachments/" + loose, {},
               with_capability(std::string(loose_upload.json().at("read_capability").as_string())))
            .status == 200);
  // login, GET /me, GET /work-queue, GET /dossiers/{code}, GET /attachments/{sha} of an attachment
  // the dossier cites, of one no dossier cites, and of one that does not exist, POST accept,
  // GET /admin/agencies, GET /admin/officers
  struct Row {
    const char* login;
    int me, queue, get, cited, loose, missing, accept, agencies, officers;
  };
  const Row rows[] = {
      {"police.leader", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"police.officer", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"police.desk", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"landreg.leader", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"landreg.officer", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"fire.consultee", 200, 200, 200, 200, 403, 403, 403, 403, 403},
      {"province.desk", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"land.leader", 200, 200, 200, 200, 403, 403, 403, 403, 403},
      {"land.officer", 200, 200, 200, 200, 403, 403, 403, 403, 403},
      {"registry.leader", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"registry.officer", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"registry.desk", 200, 200, 403, 403, 403, 403, 403, 403, 403},
      {"ppc.leader", 200, 200, 200, 200, 403, 403, 403, 403, 403},
      {"ppc.officer", 200, 200, 200, 200, 403, 403, 403, 403, 403},
      {"ppc.desk", 200, 200, 200, 200, 403, 403, 403, 403, 403},
      {"admin", 200, 200, 403, 403, 403, 403, 403, 200, 200},
      {"centre.desk", 200, 200, 200, 200, 403, 403, 200, 403, 403},  // last: accept moves it
  };
  REQUIRE(server.passwords.size() == std::size(rows));
  const std::string missing(64, 'a');
  for (const Row& row : rows) {
    CAPTURE(row.login);
    const std::string token = login(c, server, row.login);
    const auto auth = bearer(token);
    CHECK(c.send("GET", "/api/v1/me", {}, auth).status == row.me);
    CHECK(c.send("GET", "/api/v1/work-queue", {}, auth).status == row.queue);
    CHECK(c.send("GET", "/api/v1/dossiers/" + d.code, {}, auth).status == row.get);
    auto read = c.send("GET", "/api/v1/attachments/" + cited, {}, auth);
    CHECK(read.status == row.cited);
    if (read.status == 200) CHECK(read.body == "%PDF application form");
    CHECK(c.send("GET", "/api/v1/attachments/" + loose, {}, auth).status == row.loose);
    CHECK(c.send("GET", "/api/v1/attachments/" + missing, {}, auth).status == row.missing);
    CHECK(act(c, token, d.code, {{"action", "accept"}}, 1).status == row.accept);
    CHECK(c.send("GET", "/api/v1/admin/agencies", {}, auth).status == row.agencies);
    CHECK(c.send("GET", "/api/v1/admin/officers", {}, auth).status == row.officers);
  }
  // Without a token or with a wrong or revoked one: 401 on every officer route.
  const std::string token = login(c, server, "ppc.desk");
  CHECK(c.send("POST", "/api/v1/auth/logout", {}, bearer(token)).status == 204);
  for (const auto& auth :
       {std::map<std::string, std::string>{}, bearer("mct_wrong"), bearer(token)}) {
    CHECK(c.send("GET", "/api/v1/me", {}, auth).status == 401);
    CHECK(c.send("GET", "/api/v1/work-queue", {}, auth).status == 401);
    CHECK(c.send("GET", "/api/v1/dossiers/" + d.code, {}, auth).status == 401);
    CHECK(c.send("GET", "/api/v1/admin/agencies", {}, auth).status == 401);
  }
  // A wrong token is refused even with a valid capability.
  CHECK(c.send("GET", "/api/v1/attachments/" + loose, {},
               {{"Authorization", "Bearer mct_wrong"},
                {"X-Attachment-Capability",
                 std::string(loose_upload.json().at("read_capability").as_string())}})
            .status == 401);
  CHECK(server.stop() == 0);
}

TEST_CASE("E2E: hostile requests get clear problems and never break the server") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_hostile"),
                      {"--upload-limit", "1", "--read-timeout-ms", "1500"});
  Client c(server.port);
  auto r = c.send("POST", "/api/v1/dossiers",
                  "{\"procedure\": ", {{"Content-Type", "application/json"}});
  CHECK(r.status == 400);
  CHECK(r.code() == "malformed-json");
  CHECK(r.headers.count("Content-Type"));
  CHECK(!r.headers["X-Request-Id"].empty());
  CHECK(c.json("POST", "/api/v1/dossiers", {{"procedure", 42}}).code() == "invalid-input");
  CHECK(c.json("POST", "/api/v1/dossiers", json::array{1, 2}).status == 422);
  CHECK(c.send("POST", "/api/v1/dossiers", "{}", {{"Content-Type", "text/plain"}}).status == 415);
  CHECK(c.json("POST", "/api/v1/dossiers", {{"procedure", "9.999999"}}).status == 404);
  auto en = c.send("GET", "/api/v1/nowhere", {}, {{"Accept-Language", "en"}});
  CHECK(en.status == 404);
  CHECK(en.json().at("title") == "Not found");
  CHECK(c.send("DELETE", "/api/v1/procedures").status == 405);
  // Bodies above the route's limit: 413 before the body is read.
  Client small(server.port);  // the server closes a connection after a 413
  CHECK(small.send("POST", "/api/v1/auth/login", std::string(10000, 'x')).status == 413);
  Client big(server.port);
  CHECK(big.raw("POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n"
                "Content-Length: 1048577\r\n\r\n")
            .status == 413);
  // A chunked body that grows past the limit: 413 once the limit is crossed.
  Client chunked(server.port);
  std::string chunk = "100000\r\n" + std::string(0x100000, 'x') + "\r\n";
  CHECK(chunked
            .raw("POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n" +
                 chunk + chunk + "0\r\n\r\n")
            .status == 413);
  // Headers above the limit: 431.
  Client fat(server.port);
  CHECK(
      fat.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Fill: " + std::string(20000, 'a') + "\r\n\r\n")
          .status == 431);
  // Not HTTP at all: 400.
  Client junk(server.port);
  CHECK(junk.raw("\x01\x02 nonsense\r\n\r\n").status == 400);
  // A slow client that never finishes its request is disconnected after the read timeout.
  {
    Client slow(server.port);
    std::string partial = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
    asio::write(slow.stream().socket(), asio::buffer(partial));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    char byte;
    boost::system::error_code ec;
    slow.stream().socket().read_some(asio::buffer(&byte, 1), ec);
    CHECK(ec);  // closed by the server
  }
  // Login: same answer for unknown logins and wrong passwords; lock-out after 5 failures.
  auto unknown = c.json("POST", "/api/v1/auth/login", {{"login", "nobody"}, {"password", "x"}});
  auto wrongpw = c.json("POST", "/api/v1/auth/login", {{"login", "ppc.desk"}, {"password", "x"}});
  CHECK(unknown.status == 401);
  CHECK(wrongpw.status == 401);
  CHECK(unknown.json().at("detail") == wrongpw.json().at("detail"));
  for (int i = 0; i < 4; ++i)
    c.json("POST", "/api/v1/auth/login", {{"login", "ppc.desk"}, {"password", "x"}});
  auto locked = c.json("POST", "/api/v1/auth/login",
                       {{"login", "ppc.desk"}, {"password", server.passwords.at("ppc.desk")}});
  CHECK(locked.status == 401);  // locked now, even with the right password
  // Per-client rate limit on logins (10 a minute): the 11th attempt in a burst is refused.
  int limited = 0;
  for (int i = 0; i < 6; ++i)
    limited +=
        c.json("POST", "/api/v1/auth/login", {{"login", "a"}, {"password", "b"}}).status == 429;
  CHECK(limited >= 1);
  // Tracking: guessable codes are rate-limited per client.
  int throttled = 0;
  for (int i = 0; i < 40; ++i)
    throttled +=
        c.send("GET", "/api/v1/tracking/000.01.21.H57-261127-" + std::to_string(1000 + i)).status ==
        429;
  CHECK(throttled > 0);
  CHECK(c.send("GET", "/healthz").status == 200);  // still serving
  CHECK(server.stop() == 0);
}

}  // namespace motcua::api::e2e

namespace motcua::api::e2e {

TEST_CASE("E2E: the administrator manages agencies, roles and officers; changes take effect") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_admin"));
  Client c(server.port);
  const std::string admin = login(c, server, "admin");
  const auto auth = bearer(admin);
  auto r = c.json("POST", "/api/v1/admin/agencies",
                  {{"id", "000.09.21.H57"},
                   {"key", "commune-tax"},
                   {"name_vi", "Đội thuế phường (demo)"},
                   {"name_en", "Ward tax team (demo)"}},
                  auth);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  CHECK(c.send("PUT", "/api/v1/admin/agencies/000.09.21.H57/roles/officer", {}, auth).status ==
        204);
  CHECK(c.send("PUT", "/api/v1/admin/agencies/000.99.99.H57/roles/officer", {}, auth).status ==
        404);
  json::object officer{{"login", "tax.officer"},
                       {"display_name", "Cao Thị Yến"},
                       {"agency_id", "000.09.21.H57"},
                       {"password", "a long enough password"},
                       {"roles", {"officer"}}};
  r = c.json("POST", "/api/v1/admin/officers", officer, auth);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  CHECK(r.body.find("password") == std::string::npos);
  CHECK(c.json("POST", "/api/v1/admin/officers", officer, auth).status == 409);
  officer["login"] = "tax.leader";
  officer["roles"] = json::array{"leader"};  // not staffed by the agency
  CHECK(c.json("POST", "/api/v1/admin/officers", officer, auth).status == 422);
  officer["roles"] = json::array{};
  officer["password"] = "short";
  CHECK(c.json("POST", "/api/v1/admin/officers", officer, auth).status == 422);

  auto login_reply = c.json("POST", "/api/v1/auth/login",
                            {{"login", "tax.officer"}, {"password", "a long enough password"}});
  REQUIRE(login_reply.status == 200);
  const std::string token(login_reply.json().at("token").as_string());
  auto me = c.send("GET", "/api/v1/me", {}, bearer(token));
  REQUIRE(me.status == 200);
  CHECK(me.json().at("agency_id") == "000.09.21.H57");
  // A role still held cannot be removed; deactivating the officer revokes their tokens.
  CHECK(c.send("DELETE", "/api/v1/admin/agencies/000.09.21.H57/roles/officer", {}, auth).status ==
        409);
  r = c.json("PATCH", "/api/v1/admin/officers/tax.officer", {{"active", false}}, auth);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(c.send("GET", "/api/v1/me", {}, bearer(token)).status == 401);
  CHECK(c.json("POST", "/api/v1/auth/login",
               {{"login", "tax.officer"}, {"password", "a long enough password"}})
            .status == 401);
  CHECK(c.json("PATCH", "/api/v1/admin/officers/nobody", {{"active", false}}, auth).status == 404);
  auto listed = c.send("GET", "/api/v1/admin/officers?agency_id=000.09.21.H57", {}, auth);
  REQUIRE(listed.status == 200);
  CHECK(listed.json().at("officers").as_array().size() == 1);
  CHECK(server.stop() == 0);
}

}  // namespace motcua::api::e2e
