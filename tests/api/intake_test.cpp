// Who may claim which reception channel, what public tracking shows with and without the tracking
// secret, and form values a document cannot carry: over HTTP against the real `motcua serve`
// (PostgreSQL when MOTCUA_TEST_PG is set, else SQLite).
#include <algorithm>

#include "tests/api/e2e_flow.hpp"

namespace motcua::api::e2e {
namespace {

json::object timeline_of(Client& c, const Submitted& d) {
  auto r = c.send("GET", "/api/v1/tracking/" + d.code, {}, {{"X-Tracking-Secret", d.secret}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.json().as_object();
}

std::string code_of(const Reply& r) {
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(r.json().at("code").as_string());
}

}  // namespace

TEST_CASE("E2E: only a desk officer of the receiving agency records a desk or postal dossier") {
  ServeProcess server(fresh_database_url("motcua_api_intake_channel"));
  Client c(server.port);
  const std::string centre_desk = login(c, server, "centre.desk"),
                    other_desk = login(c, server, "ppc.desk"),
                    officer = login(c, server, "ppc.officer");
  json::object desk_body = permit_submission(c);
  desk_body["channel"] = "desk";
  json::object postal_body = desk_body;
  postal_body["channel"] = "postal";

  SUBCASE("refused: nothing stored, no code spent") {
    struct Attempt {
      const char* who;
      const json::object& body;
      std::map<std::string, std::string> headers;
    };
    for (const Attempt& a :
         {Attempt{"anonymous at the desk", desk_body, {}},
          Attempt{"anonymous by post", postal_body, {}},
          Attempt{"desk of another agency", desk_body, bearer(other_desk)},
          Attempt{"officer without the desk role", postal_body, bearer(officer)}}) {
      CAPTURE(a.who);
      auto r = c.json("POST", "/api/v1/dossiers", a.body, a.headers);
      CHECK(r.status == 403);
      CHECK(r.code() == "forbidden");
      const std::string detail(r.json().at("detail").as_string());
      const bool vietnamese = detail.find("Bộ phận Một cửa") != std::string::npos ||
                              detail.find("vai trò một cửa") != std::string::npos;
      CHECK(vietnamese);
      CHECK(detail.find("may record a dossier received on the") != std::string::npos);
    }
    // A token that is not valid is not anonymous either.
    auto forged = c.json("POST", "/api/v1/dossiers", desk_body, bearer("not-a-token"));
    CHECK(forged.status == 401);
    // The first dossier stored gets the day's first code: the refusals spent none.
    const std::string online = code_of(c.json("POST", "/api/v1/dossiers", permit_submission(c)));
    CHECK(online.ends_with("-0001"));
  }
  SUBCASE("the receiving desk records desk and postal intake; anonymous is online") {
    const Reply at_desk = c.json("POST", "/api/v1/dossiers", desk_body, bearer(centre_desk));
    const Submitted desk{code_of(at_desk),
                         std::string(at_desk.json().at("tracking_secret").as_string())};
    CHECK(desk.code.starts_with("000.01.21.H57-"));
    CHECK(timeline_of(c, desk).at("channel") == "desk");
    const Reply by_post = c.json("POST", "/api/v1/dossiers", postal_body, bearer(centre_desk));
    CHECK(code_of(by_post).ends_with("-0002"));
    const Submitted online = submit(c);
    CHECK(timeline_of(c, online).at("channel") == "online");
  }
}

TEST_CASE(
    "E2E: tracking by code shows the status only; with the secret the reasons the citizen must "
    "see") {
  ServeProcess server(fresh_database_url("motcua_api_intake_tracking"));
  Client c(server.port);
  const std::string desk = login(c, server, "centre.desk"),
                    officer = login(c, server, "ppc.officer");
  const Submitted d = submit(c);
  REQUIRE(act(c, desk, d.code, {{"action", "accept"}}, version_of(c, d.code, d.secret)).status ==
          200);
  const std::string reason = "Bản vẽ thiếu mặt cắt A-A";
  auto asked = act(
      c, officer, d.code,
      {{"action", "request-supplement"}, {"reason", reason}, {"components", {"design-drawings"}}},
      version_of(c, d.code, d.secret));
  REQUIRE_MESSAGE(asked.status == 200, asked.body);

  // By code alone: code, state, national status with its name, and the due date.
  auto pub = c.send("GET", "/api/v1/tracking/" + d.code);
  REQUIRE(pub.status == 200);
  const json::object o = pub.json().as_object();
  std::vector<std::string> keys;
  for (const auto& [k, v] : o) keys.emplace_back(k);
  std::sort(keys.begin(), keys.end());
  CHECK(keys == std::vector<std::string>{"code", "due", "due_provisional", "due_provisional_days",
                                         "state", "status", "status_name"});
  CHECK(o.at("status") == 5);
  CHECK(o.at("status_name").at("vi") == "Yêu cầu bổ sung hồ sơ");
  CHECK(o.at("status_name").at("en") == "Supplement requested");
  CHECK(o.at("due_provisional").as_bool() == !o.at("due_provisional_days").as_array().empty());
  for (const char* personal : {"Nguyễn Văn An", "046090001234", "Lê Lợi", "mặt cắt",
                               "design-drawings", "centre.desk", "sha256"}) {
    CAPTURE(personal);
    CHECK(pub.body.find(personal) == std::string::npos);
  }

  // With the secret: the request's reason and the components asked for, in the events.
  const json::object full = timeline_of(c, d);
  CHECK(full.at("status_name").at("en") == "Supplement requested");
  CHECK(full.at("supplement_components").as_array().size() == 1);
  bool told = false;
  for (const auto& e : full.at("events").as_array()) {
    CHECK(!e.as_object().contains("actor"));  // officers' logins stay with the officers
    if (e.as_object().contains("reason") && e.at("reason").as_string() == reason) {
      told = true;
      CHECK(e.at("action") == "request-supplement");
      CHECK(e.at("components").as_array().front() == "design-drawings");
    }
  }
  CHECK(told);

  // A refusal at intake: its reason too.
  const Submitted refused = submit(c);
  const std::string why = "Hồ sơ không thuộc thẩm quyền của phường";
  REQUIRE(act(c, desk, refused.code, {{"action", "refuse-intake"}, {"reason", why}},
              version_of(c, refused.code, refused.secret))
              .status == 200);
  const std::string public_body = c.send("GET", "/api/v1/tracking/" + refused.code).body;
  CHECK(public_body.find("thẩm quyền") == std::string::npos);
  CHECK(public_body.find("\"status\":3") != std::string::npos);
  const json::object refusal = timeline_of(c, refused);
  bool refusal_told = false;
  for (const auto& e : refusal.at("events").as_array())
    refusal_told |= e.as_object().contains("reason") && e.at("reason").as_string() == why;
  CHECK(refusal_told);
}

TEST_CASE("E2E: the due date of an accepted dossier says whether it is provisional") {
  ServeProcess server(fresh_database_url("motcua_api_intake_due"));
  Client c(server.port);
  const std::string desk = login(c, server, "centre.desk");
  const Submitted d = submit(c);
  auto accepted = act(c, desk, d.code, {{"action", "accept"}}, version_of(c, d.code, d.secret));
  REQUIRE_MESSAGE(accepted.status == 200, accepted.body);
  for (const json::value& view : {accepted.json(), json::value(timeline_of(c, d)),
                                  c.send("GET", "/api/v1/tracking/" + d.code).json()}) {
    REQUIRE(view.at("due").is_string());
    const auto& days = view.at("due_provisional_days").as_array();
    CHECK(view.at("due_provisional").as_bool() == !days.empty());
    // Each day is an ISO date no later than the due date.
    const std::string due(view.at("due").as_string());
    for (const auto& day : days) CHECK(std::string(day.as_string()) <= due.substr(0, 10));
  }
}

TEST_CASE("E2E: a form value a document cannot carry is refused at submission, nothing stored") {
  ServeProcess server(fresh_database_url("motcua_api_intake_characters"));
  Client c(server.port);
  for (const char* name : {"Nguyễn Văn \xEF\xBF\xBE", "An\xEF\xB7\x90", "An\xC2\x85"}) {
    json::object body = permit_submission(c);
    body["form"].as_object()["investor-name"] = name;
    auto r = c.json("POST", "/api/v1/dossiers", body);
    CHECK(r.status == 422);
    CHECK(r.code() == "invalid-input");
    const std::string detail(r.json().at("detail").as_string());
    CHECK(detail.find("investor-name") != std::string::npos);
    CHECK(detail.find("U+") != std::string::npos);
  }
  const std::string first = code_of(c.json("POST", "/api/v1/dossiers", permit_submission(c)));
  CHECK(first.ends_with("-0001"));
}

}  // namespace motcua::api::e2e
