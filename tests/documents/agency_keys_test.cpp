#include <doctest/doctest.h>

#include <filesystem>

#include "tests/documents/fixture.hpp"

namespace motcua::documents::test {
namespace {

namespace fs = std::filesystem;

// A key directory with one copy of a demo bundle at <agency>/<role>.p12.
std::string one_key_dir(const std::string& name, const std::string& from_agency,
                        const std::string& to_agency, const std::string& role = "desk") {
  const std::string dir = fresh_dir(name);
  fs::create_directories(dir + "/" + to_agency);
  fs::copy_file(demo_dir() + "/keys/" + from_agency + "/desk.p12",
                dir + "/" + to_agency + "/" + role + ".p12");
  return dir;
}

}  // namespace

TEST_CASE("AgencyKeys loads one key per demo agency and role") {
  auto keys = demo_keys();
  CHECK(keys->size() == 16);
  for (const auto& agency : demo_agencies()) {
    CAPTURE(agency.id);
    CHECK(keys->find(agency.id, "desk") != nullptr);
    CHECK(keys->find(agency.id, "leader") != nullptr);
  }
  CHECK(keys->find("000.01.21.H57", "officer") == nullptr);
  CHECK(keys->find("000.09.21.H57", "desk") == nullptr);
  const auto listed = keys->keys();
  REQUIRE(listed.size() == 16);
  CHECK(listed.front().agency_id == "000.00.01.H57");
  CHECK(listed.front().role == "desk");
  CHECK(listed.front().algorithm == "EC-P-256");
  CHECK(listed.front().subject.find("OU=000.00.01.H57") != std::string::npos);
}

TEST_CASE("AgencyKeys uses a bundle's own .pass file before the default password") {
  const std::string dir = one_key_dir("own-pass", "000.01.21.H57", "000.01.21.H57");
  write_file(dir + "/000.01.21.H57/desk.pass", read_file(demo_dir() + "/keys.pass"));
  auto keys = AgencyKeys::load({dir, ""});
  REQUIRE_MESSAGE(keys.has_value(), (keys ? "" : keys.error().message));
  CHECK((*keys)->find("000.01.21.H57", "desk") != nullptr);
}

TEST_CASE("AgencyKeys refuses a misfiled, unreadable or badly named key store") {
  const std::string password = read_file(demo_dir() + "/keys.pass");
  std::string dir;
  std::string password_file = demo_dir() + "/keys.pass";
  engine::ErrorCode expected = engine::ErrorCode::kInvalidInput;
  std::string mentions;
  SUBCASE("a key filed under another agency") {
    dir = one_key_dir("misfiled", "000.01.21.H57", "000.00.21.H57");
    mentions = "does not name agency 000.00.21.H57";
  }
  SUBCASE("a wrong password") {
    dir = one_key_dir("wrong-pass", "000.01.21.H57", "000.01.21.H57");
    password_file = dir + "/wrong.pass";
    write_file(password_file, "not-the-password\n");
    mentions = "desk.p12";
  }
  SUBCASE("no password at all") {
    dir = one_key_dir("no-pass", "000.01.21.H57", "000.01.21.H57");
    password_file.clear();
    mentions = "no .pass file";
  }
  SUBCASE("a missing password file") {
    dir = one_key_dir("missing-pass", "000.01.21.H57", "000.01.21.H57");
    password_file = dir + "/absent.pass";
    expected = engine::ErrorCode::kIo;
    mentions = "absent.pass";
  }
  SUBCASE("a directory that is not an agency id") {
    dir = one_key_dir("bad-agency", "000.01.21.H57", "so-tu-phap");
    mentions = "not a QCVN 102 agency id";
  }
  SUBCASE("a bundle that is not named after a role") {
    dir = one_key_dir("bad-role", "000.01.21.H57", "000.01.21.H57", "Desk Key");
    mentions = "not named after a role";
  }
  SUBCASE("a bundle outside any agency directory") {
    dir = fresh_dir("loose");
    fs::copy_file(demo_dir() + "/keys/000.01.21.H57/desk.p12", dir + "/desk.p12");
    mentions = "not inside an agency directory";
  }
  SUBCASE("a bundle that is not PKCS#12") {
    dir = fresh_dir("garbage");
    fs::create_directories(dir + "/000.01.21.H57");
    write_file(dir + "/000.01.21.H57/desk.p12", "-----BEGIN NONSENSE-----\n");
    mentions = "cannot load the signing key";
  }
  SUBCASE("no such directory") {
    dir = demo_dir() + "/no-such-dir";
    expected = engine::ErrorCode::kIo;
    mentions = "not a directory";
  }
  auto keys = AgencyKeys::load({dir, password_file});
  REQUIRE_FALSE(keys.has_value());
  CHECK(keys.error().code == expected);
  CHECK(keys.error().message.find(mentions) != std::string::npos);
  // The password never leaks into what a log would show.
  std::string trimmed = password;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r')) trimmed.pop_back();
  REQUIRE(trimmed.size() >= 16);
  CHECK(keys.error().message.find(trimmed) == std::string::npos);
  CHECK(keys.error().detail.find(trimmed) == std::string::npos);
}

TEST_CASE("XmlDocumentIssuer::create checks its configuration") {
  SUBCASE("no keys") {
    auto made = XmlDocumentIssuer::create({nullptr, MOTCUA_SOURCE_DIR "/schemas", {}});
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error().code == engine::ErrorCode::kInvalidInput);
  }
  SUBCASE("no schemas") {
    auto made = XmlDocumentIssuer::create({demo_keys(), demo_dir(), {}});
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error().code == engine::ErrorCode::kIo);
  }
  SUBCASE("a malformed agency id in the organisation") {
    auto made = XmlDocumentIssuer::create(
        {demo_keys(), MOTCUA_SOURCE_DIR "/schemas", {{"H57", "x", {"Tên", "Name"}}}});
    REQUIRE_FALSE(made.has_value());
    CHECK(made.error().code == engine::ErrorCode::kInvalidInput);
  }
  SUBCASE("without the organisation, the procedure's agency names are used") {
    auto made = XmlDocumentIssuer::create({demo_keys(), MOTCUA_SOURCE_DIR "/schemas", {}});
    REQUIRE(made.has_value());
    auto doc = (*made)->issue_receipt(procedure("3.000333"), judicial_dossier(),
                                      judicial_receipt_request());
    REQUIRE(doc.has_value());
    CHECK(attribute_value(doc->xml, "name", "vi") == "Công an tỉnh (Phòng Hồ sơ nghiệp vụ)");
    CHECK(schema_errors("receipt.xsd", doc->xml) == "");
  }
}

}  // namespace motcua::documents::test
