#pragma once
// The steps of a construction-permit case (procedure 1.013225) over HTTP, shared by the end-to-end
// suites: officers log in with the passwords the server printed, the citizen uploads and submits,
// officers act with the version they saw.
#include "tests/api/e2e_support.hpp"

namespace motcua::api::e2e {

namespace json = boost::json;

inline std::string login(Client& c, ServeProcess& s, const std::string& who) {
  auto r =
      c.json("POST", "/api/v1/auth/login", {{"login", who}, {"password", s.passwords.at(who)}});
  REQUIRE_MESSAGE(r.status == 200, who << ": " << r.body);
  return std::string(r.json().at("token").as_string());
}

inline std::string upload(Client& c, const std::string& bytes) {
  auto r = c.send("POST", "/api/v1/attachments", bytes, {{"Content-Type", "application/pdf"}});
  REQUIRE_MESSAGE(r.status == 201, r.body);
  return std::string(r.json().at("sha256").as_string());
}

inline json::object permit_submission(Client& c) {
  const std::string app = upload(c, "%PDF application form"), drawings = upload(c, "%PDF drawings");
  return {{"procedure", "1.013225"},
          {"channel", "online"},
          {"form",
           {{"investor-name", "Nguyễn Văn An"},
            {"personal-id", "046090001234"},
            {"site-address", "12 Lê Lợi, phường Thuận Hóa"},
            {"parcel", "Thửa 15, tờ 7"},
            {"floor-area", "180"},
            {"storeys", "3"},
            {"work-type", "nhà ở riêng lẻ"}}},
          {"components",
           {{{"component", "application"}, {"sha256", app}},
            {{"component", "design-drawings"}, {"sha256", drawings}}}}};
}

struct Submitted {
  std::string code, secret;
};

inline Submitted submit(Client& c, const std::string& key = {}) {
  std::map<std::string, std::string> headers;
  if (!key.empty()) headers["Idempotency-Key"] = key;
  auto r = c.json("POST", "/api/v1/dossiers", permit_submission(c), headers);
  REQUIRE_MESSAGE(r.status == 201, r.body);
  auto o = r.json().as_object();
  return {std::string(o.at("code").as_string()), std::string(o.at("tracking_secret").as_string())};
}

inline std::int64_t version_of(Client& c, const std::string& code, const std::string& secret) {
  auto r = c.send("GET", "/api/v1/tracking/" + code, {}, {{"X-Tracking-Secret", secret}});
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.json().at("version").as_int64();
}

inline Reply act(Client& c, const std::string& token, const std::string& code, json::object body,
                 std::int64_t version) {
  body["expected_version"] = version;
  return c.json("POST", "/api/v1/dossiers/" + code + "/actions", body, bearer(token));
}

}  // namespace motcua::api::e2e
