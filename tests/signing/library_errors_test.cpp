// OpenSSL failures that input can cause: each is refused with a stable code, OpenSSL's own reason
// in the error's detail for the log, and nothing of it in the message or in a client's report.
#include <doctest/doctest.h>

#include <string>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

// A PEM block with the right labels around text that is not base64 of a certificate.
constexpr const char* kDamagedBlock =
    "-----BEGIN CERTIFICATE-----\nMIIBnotacertificate!!\n-----END CERTIFICATE-----\n";

std::string sign_doc(const std::string& key) {
  auto out = signer_for(key).sign(sample_document());
  REQUIRE_MESSAGE(out.has_value(), (out ? "" : out.error().message + " " + out.error().detail));
  return *out;
}

// The refusal of `xml`, after checking that OpenSSL's reason reaches the log and only the log.
Error logged_refusal(const std::string& xml) {
  const VerificationReport report = verifier().verify(xml);
  INFO(report.to_json(false, true));
  REQUIRE_FALSE(report.valid());
  const Error& e = *report.error;
  CHECK(e.detail.find("openssl: ") != std::string::npos);
  CHECK(e.message.find("openssl") == std::string::npos);
  CHECK(report.to_json().find("\"detail\"") == std::string::npos);
  CHECK(report.to_json(false, true).find("\"detail\"") != std::string::npos);
  return e;
}

}  // namespace

TEST_CASE("SigningKey refuses a PEM chain whose certificates cannot all be read") {
  const std::string chain = read_file(pki("so-tu-phap-chain.pem"));
  REQUIRE(SigningKey::from_pem(pki("so-tu-phap.key"), pki("so-tu-phap-chain.pem")).has_value());
  SUBCASE("text around the PEM blocks is not a certificate and is ignored") {
    const std::string path = temp_path("chain-with-text.pem");
    write_file(path, "issued by the dev PKI\n" + chain + "end of chain\n");
    auto key = SigningKey::from_pem(pki("so-tu-phap.key"), path);
    REQUIRE_MESSAGE(key.has_value(), (key ? "" : key.error().message + " " + key.error().detail));
  }
  SUBCASE("a damaged certificate after the good ones") {
    const std::string path = temp_path("chain-damaged.pem");
    write_file(path, chain + kDamagedBlock);
    auto key = SigningKey::from_pem(pki("so-tu-phap.key"), path);
    REQUIRE_FALSE(key.has_value());
    CHECK(key.error().code == ErrorCode::kKeyLoad);
    CHECK(key.error().detail.find("openssl: ") != std::string::npos);
    CHECK(key.error().message.find("openssl") == std::string::npos);
  }
  SUBCASE("a certificate cut off before its end line") {
    const std::string path = temp_path("chain-truncated.pem");
    const auto second = chain.find("-----BEGIN CERTIFICATE-----", 1);
    REQUIRE(second != std::string::npos);
    write_file(path, chain.substr(0, second + (chain.size() - second) / 2));
    auto key = SigningKey::from_pem(pki("so-tu-phap.key"), path);
    REQUIRE_FALSE(key.has_value());
    CHECK(key.error().code == ErrorCode::kKeyLoad);
    CHECK_FALSE(key.error().detail.empty());
  }
}

TEST_CASE("Verifier refuses a trust store file with a damaged certificate, saying why in detail") {
  const std::string path = temp_path("trust-damaged.pem");
  write_file(path, read_file(pki("trust/root-ca.pem")) + kDamagedBlock);
  auto verifier = Verifier::create(VerifierConfig{{path}, {}, false});
  REQUIRE_FALSE(verifier.has_value());
  CHECK(verifier.error().code == ErrorCode::kTrustStore);
  CHECK(verifier.error().detail.find("openssl: ") != std::string::npos);
}

TEST_CASE("Verifier keeps OpenSSL's reason for refused signature values in the log only") {
  SUBCASE("an RSA value one block too short") {
    const std::string rsa = sign_doc("ubnd-tinh");
    const std::string value = between(rsa, "<ds:SignatureValue>", "</ds:SignatureValue>");
    const Error e = logged_refusal(replace_once(rsa, value, value.substr(4)));
    CHECK(e.code == ErrorCode::kSignatureMismatch);
  }
  SUBCASE("bytes that are not a certificate in X509Certificate") {
    const std::string ec = sign_doc("so-tu-phap");
    const std::string cert = between(ec, "<ds:X509Certificate>", "</ds:X509Certificate>");
    const Error e = logged_refusal(replace_once(ec, cert, "MIIBAAAA"));
    CHECK(e.code == ErrorCode::kNoCertificate);
  }
  SUBCASE("an ECDSA value of the wrong width names its size") {
    const std::string ec = sign_doc("so-tu-phap");
    const std::string value = between(ec, "<ds:SignatureValue>", "</ds:SignatureValue>");
    const VerificationReport report = verifier().verify(replace_once(ec, value, value.substr(4)));
    REQUIRE_FALSE(report.valid());
    CHECK(report.error->code == ErrorCode::kSignatureMismatch);
    CHECK(report.error->detail.find("bytes") != std::string::npos);
  }
}

}  // namespace motcua::signing::test
