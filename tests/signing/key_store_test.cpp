// Key stores: PKCS#12 with a password from a file or the environment, PEM key + chain.
#include <doctest/doctest.h>

#include <cstdlib>

#include "signing/password.hpp"
#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {

TEST_CASE("SigningKey loads PKCS#12 with a password from a file or an environment variable") {
  auto password = read_password_file(pki("p12.pass"));
  REQUIRE(password.has_value());
  CHECK(password->size() == 32);
  auto key = SigningKey::from_pkcs12(pki("cong-an.p12"), *password);
  REQUIRE_MESSAGE(key.has_value(), (key ? "" : key.error().message + key.error().detail));
  CHECK(key->algorithm() == "EC-P-256");
  CHECK(key->subject().find("Công an tỉnh H20") != std::string::npos);
  auto signed_xml = Signer(*key).sign(sample_document());
  REQUIRE(signed_xml.has_value());
  CHECK(verifier().verify(*signed_xml).valid());

  REQUIRE(setenv("MOTCUA_TEST_P12_PASSWORD", password->c_str(), 1) == 0);
  auto from_env = read_password_env("MOTCUA_TEST_P12_PASSWORD");
  REQUIRE(from_env.has_value());
  auto rsa = SigningKey::from_pkcs12(pki("ubnd-tinh.p12"), *from_env);
  REQUIRE(rsa.has_value());
  CHECK(rsa->algorithm() == "RSA-2048");
  wipe(*from_env);
  CHECK(from_env->empty());
  unsetenv("MOTCUA_TEST_P12_PASSWORD");
  CHECK(read_password_env("MOTCUA_TEST_P12_PASSWORD").error().code == ErrorCode::kIo);
}

TEST_CASE("SigningKey refuses wrong passwords, foreign certificates, weak keys and missing files") {
  auto wrong = SigningKey::from_pkcs12(pki("cong-an.p12"), "wrong password");
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().code == ErrorCode::kKeyLoad);
  CHECK_FALSE(wrong.error().detail.empty());

  auto mismatch = SigningKey::from_pem(pki("cong-an.key"), pki("so-tu-phap-chain.pem"));
  REQUIRE_FALSE(mismatch.has_value());
  CHECK(mismatch.error().code == ErrorCode::kKeyMismatch);

  auto weak = SigningKey::from_pem(pki("weak-rsa1024.key"), pki("weak-rsa1024-chain.pem"));
  REQUIRE_FALSE(weak.has_value());
  CHECK(weak.error().code == ErrorCode::kUnsupportedKey);

  auto missing = SigningKey::from_pem(pki("nope.key"), pki("so-tu-phap-chain.pem"));
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kIo);

  auto not_a_key = SigningKey::from_pem(pki("so-tu-phap.pem"), pki("so-tu-phap-chain.pem"));
  REQUIRE_FALSE(not_a_key.has_value());
  CHECK(not_a_key.error().code == ErrorCode::kKeyLoad);

  auto not_p12 = SigningKey::from_pkcs12(pki("so-tu-phap.pem"), "x");
  REQUIRE_FALSE(not_p12.has_value());
  CHECK(not_p12.error().code == ErrorCode::kKeyLoad);

  const std::string empty = temp_path("empty.pass");
  write_file(empty, "\n");
  CHECK(read_password_file(empty).error().code == ErrorCode::kInvalidArgument);
  CHECK(read_password_file(pki("nope.pass")).error().code == ErrorCode::kIo);
}

TEST_CASE("Signer signs an element by Id, refuses unknown Ids and already-signed documents") {
  Signer signer = signer_for("ubnd-xa");
  SignOptions options;
  options.id = "kq-1";
  auto signed_xml = signer.sign(sample_document(), options);
  REQUIRE(signed_xml.has_value());
  VerifyOptions expect;
  expect.expected_id = "kq-1";
  expect.expected_element = "KetQua";
  auto report = verifier().verify(*signed_xml, expect);
  INFO(report.to_json(false, true));
  CHECK(report.valid());
  CHECK(report.reference_uri == "#kq-1");
  CHECK(report.signed_element_namespace == "urn:motcua:ketqua:1");
  expect.expected_namespace = "urn:motcua:ketqua:1";
  CHECK(verifier().verify(*signed_xml, expect).valid());
  expect.expected_namespace = "urn:other:schema";  // same local name, another document type
  CHECK(verifier().verify(*signed_xml, expect).error->code == ErrorCode::kWrongSignedElement);
  expect.expected_namespace.clear();
  expect.expected_element = "Other";
  CHECK(verifier().verify(*signed_xml, expect).error->code == ErrorCode::kWrongSignedElement);

  options.id = "missing";
  auto unknown = signer.sign(sample_document(), options);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error().code == ErrorCode::kIdNotFound);
  auto twice = signer.sign(*signed_xml);
  REQUIRE_FALSE(twice.has_value());
  CHECK(twice.error().code == ErrorCode::kMultipleSignatures);
}

}  // namespace motcua::signing::test
