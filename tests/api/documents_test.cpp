// End to end: the signed documents of a dossier over HTTP. The desk's acceptance issues the
// receipt (Form 01) and the leader's approval the result, both signed with the demo agencies' keys
// that `motcua serve` made with samples/pki/make-demo-keys; the citizen fetches them with the
// tracking secret, strangers are refused without learning anything, and anyone verifies them
// through POST /api/v1/verify against the demo CAs.
#include <fstream>

#include "tests/api/e2e_flow.hpp"

namespace motcua::api::e2e {
namespace {

std::map<std::string, std::string> with_secret(const std::string& secret) {
  return {{"X-Tracking-Secret", secret}};
}

Reply verify(Client& c, const std::string& xml, const std::string& type) {
  return c.send("POST", "/api/v1/verify" + (type.empty() ? "" : "?type=" + type), xml,
                {{"Content-Type", "application/xml"}});
}

// The dossier's documents as the citizen sees them.
json::array documents(Client& c, const Submitted& d) {
  auto r = c.send("GET", "/api/v1/dossiers/" + d.code + "/documents", {}, with_secret(d.secret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.json().at("documents").as_array();
}

std::string public_state(Client& c, const std::string& code) {
  auto r = c.send("GET", "/api/v1/tracking/" + code);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return std::string(r.json().at("state").as_string());
}

// Takes the permit from submission through acceptance, consultation and approval; returns after
// the approval (the result is issued).
void accept_and_approve(Client& c, ServeProcess& s, const Submitted& d) {
  const std::string desk = login(c, s, "centre.desk"), officer = login(c, s, "ppc.officer"),
                    leader = login(c, s, "ppc.leader"), fire = login(c, s, "fire.consultee"),
                    land = login(c, s, "land.officer");
  // The public view by code is kept in memory after a first look-up; an action makes it current
  // before its answer is sent.
  for (int i = 0; i < 2; ++i) CHECK(public_state(c, d.code) == "submitted");
  auto r = act(c, desk, d.code, {{"action", "accept"}}, version_of(c, d.code, d.secret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(public_state(c, d.code) == std::string(r.json().at("state").as_string()));
  CHECK(public_state(c, d.code) != "submitted");
  REQUIRE(documents(c, d).size() == 1);
  r = act(c, officer, d.code, {{"action", "consult"}}, version_of(c, d.code, d.secret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = act(c, fire, d.code, {{"action", "respond"}, {"branch", "fire-safety"}, {"answer", "Đạt"}},
          version_of(c, d.code, d.secret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = act(c, land, d.code, {{"action", "respond"}, {"branch", "land-use"}, {"answer", "Phù hợp"}},
          version_of(c, d.code, d.secret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  r = act(c, leader, d.code, {{"action", "approve"}, {"signed", true}},
          version_of(c, d.code, d.secret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
}

}  // namespace

TEST_CASE("E2E: the citizen fetches the signed receipt and result; anyone verifies them") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_documents"));
  Client c(server.port);
  const Submitted d = submit(c);
  // Nothing is issued before the desk accepts the complete dossier.
  CHECK(documents(c, d).empty());
  accept_and_approve(c, server, d);

  const json::array docs = documents(c, d);
  REQUIRE(docs.size() == 2);
  const json::object& receipt = docs[0].as_object();
  const json::object& result = docs[1].as_object();
  CHECK(receipt.at("kind") == "receipt");
  CHECK(std::string(receipt.at("id").as_string()) == "receipt-" + d.code);
  CHECK(receipt.at("agency_id") == "000.01.21.H57");
  CHECK(receipt.at("role") == "desk");
  CHECK(receipt.at("name").at("vi") == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
  CHECK(result.at("kind") == "result");
  CHECK(result.at("agency_id") == "000.00.21.H57");
  CHECK(result.at("role") == "leader");
  CHECK(result.at("name").at("vi").as_string().size() > 0);

  // The timeline of the tracking view lists the same documents with their links.
  auto tracked = c.send("GET", "/api/v1/tracking/" + d.code, {}, with_secret(d.secret));
  REQUIRE(tracked.status == 200);
  CHECK(tracked.json().at("documents").as_array() == docs);

  const std::string receipt_href(receipt.at("href").as_string());
  auto bytes = c.send("GET", receipt_href, {}, with_secret(d.secret));
  REQUIRE_MESSAGE(bytes.status == 200, bytes.body);
  CHECK(bytes.header("content-type").starts_with("application/xml"));
  CHECK(bytes.header("etag") == "\"" + std::string(receipt.at("sha256").as_string()) + "\"");
  CHECK(bytes.body.find(d.code) != std::string::npos);
  CHECK(bytes.body.find("Nguyễn Văn An") != std::string::npos);
  auto result_bytes =
      c.send("GET", std::string(result.at("href").as_string()), {}, with_secret(d.secret));
  REQUIRE(result_bytes.status == 200);

  // Anyone verifies them against the demo CAs, as the document type they claim to be.
  auto report = verify(c, bytes.body, "receipt");
  REQUIRE_MESSAGE(report.status == 200, report.body);
  CHECK_MESSAGE(report.json().at("valid") == true, report.body);
  CHECK(report.json().at("signer").at("subject").as_string().find("OU=000.01.21.H57") !=
        std::string::npos);
  CHECK(report.json().at("signing_time").is_string());
  auto result_report = verify(c, result_bytes.body, "result");
  CHECK_MESSAGE(result_report.json().at("valid") == true, result_report.body);
  // A receipt is not a result, and an unknown type is refused.
  auto wrong_type = verify(c, bytes.body, "result");
  CHECK(wrong_type.json().at("valid") == false);
  CHECK(wrong_type.json().at("error").at("code") == "wrong_signed_element");
  CHECK(verify(c, bytes.body, "invoice").status == 422);
  // A receipt altered after signing (another applicant name) does not verify.
  std::string tampered = bytes.body;
  tampered.replace(tampered.find("Nguyễn Văn An"), std::string("Nguyễn Văn An").size(),
                   "Trần Văn Bình");
  auto altered = verify(c, tampered, "receipt");
  CHECK(altered.json().at("valid") == false);
  CHECK(altered.json().at("error").at("code") == "digest_mismatch");

  // Officers of a handling agency read them; others are refused.
  const std::string ppc = login(c, server, "ppc.officer"),
                    police = login(c, server, "police.officer");
  CHECK(c.send("GET", receipt_href, {}, bearer(ppc)).status == 200);
  CHECK(c.send("GET", "/api/v1/dossiers/" + d.code + "/documents", {}, bearer(ppc)).status == 200);
  CHECK(c.send("GET", receipt_href, {}, bearer(police)).status == 403);
  // Strangers: no secret, a wrong secret, an unknown code: nothing tells what exists.
  auto none = c.send("GET", receipt_href);
  CHECK(none.status == 401);
  auto wrong = c.send("GET", receipt_href, {}, with_secret("not-the-secret"));
  auto unknown = c.send("GET", "/api/v1/dossiers/000.01.21.H57-000101-9999/documents/receipt-x", {},
                        with_secret("not-the-secret"));
  CHECK(wrong.status == 404);
  CHECK(unknown.status == 404);
  CHECK(wrong.json().at("detail") == unknown.json().at("detail"));
  CHECK(
      c.send("GET", "/api/v1/dossiers/" + d.code + "/documents", {}, with_secret("not-the-secret"))
          .status == 404);
  // The right secret and a document the dossier does not have.
  CHECK(c.send("GET", "/api/v1/dossiers/" + d.code + "/documents/receipt-other", {},
               with_secret(d.secret))
            .status == 404);
  CHECK(server.stop() == 0);
}

TEST_CASE("E2E: an agency without a signing key cannot accept; nothing changes") {
  // Keys for the commune People's Committee only: the ward centre's desk, which receives the
  // permit, has none.
  const auto dir = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-api" / "partial-keys";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream tsv(dir / "agencies.tsv");
    tsv << "commune-ppc\t000.00.21.H57\tỦy ban nhân dân phường Thuận Hóa (demo)\tWard PPC\n";
  }
  const std::string make = std::string(MOTCUA_SOURCE_DIR) + "/samples/pki/make-demo-keys " +
                           (dir / "pki").string() + " " + (dir / "agencies.tsv").string() +
                           " >/dev/null 2>&1";
  REQUIRE(std::system(make.c_str()) == 0);
  ServeProcess server(
      fresh_database_url("motcua_api_e2e_nokey"),
      {"--keys", (dir / "pki" / "keys").string(), "--keys-password-file",
       (dir / "pki" / "keys.pass").string(), "--trust", (dir / "pki" / "trust").string()});
  Client c(server.port);
  const Submitted d = submit(c);
  const std::int64_t v = version_of(c, d.code, d.secret);
  auto r = act(c, login(c, server, "centre.desk"), d.code, {{"action", "accept"}}, v);
  CHECK(r.status == 403);
  CHECK(r.json().at("detail").as_string().find("000.01.21.H57") != std::string::npos);
  CHECK(version_of(c, d.code, d.secret) == v);
  CHECK(documents(c, d).empty());
  CHECK(server.stop() == 0);
}

}  // namespace motcua::api::e2e
