// The signer's certificate: trust, validity at a given time, revocation, key usage, key strength.
#include <doctest/doctest.h>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

std::string signed_with(const std::string& key) {
  auto out = signer_for(key).sign(sample_document());
  REQUIRE_MESSAGE(out.has_value(), (out ? "" : out.error().message));
  return *out;
}

VerificationReport verify_with(const std::string& key, const VerifyOptions& options = {}) {
  return verifier().verify(signed_with(key), options);
}

ErrorCode code(const VerificationReport& report) {
  INFO(report.to_json(false, true));
  REQUIRE_FALSE(report.valid());
  return report.error->code;
}

}  // namespace

TEST_CASE(
    "Verifier reports the signer, chain, usage, revocation and algorithms of a valid signature") {
  auto report = verify_with("ubnd-tinh");
  INFO(report.to_json(false, true));
  REQUIRE(report.valid());
  REQUIRE(report.signer.has_value());
  CHECK(report.signer->subject.find("CN=Ủy ban nhân dân tỉnh H20") != std::string::npos);
  CHECK(report.signer->subject.find("OU=000.00.00.H20") != std::string::npos);
  CHECK(report.signer->issuer.find("CN=motcua Dev CA tỉnh H20") != std::string::npos);
  CHECK_FALSE(report.signer->serial.empty());
  CHECK(report.chain.size() == 3);
  CHECK(report.chain.back().subject.find("Root CA") != std::string::npos);
  CHECK(report.key_algorithm == "RSA-2048");
  CHECK(report.key_usage == std::vector<std::string>{"digitalSignature", "nonRepudiation"});
  CHECK(report.revocation == "good");
  CHECK(report.signature_method == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
  CHECK(report.canonicalization == "http://www.w3.org/2001/10/xml-exc-c14n#");
  CHECK(report.digest_methods ==
        std::vector<std::string>{"http://www.w3.org/2001/04/xmlenc#sha256"});
  CHECK_FALSE(report.signing_time.has_value());
  const std::string json = report.to_json();
  CHECK(json.find("\"valid\":true") != std::string::npos);
  CHECK(json.find("\"revocation\":\"good\"") != std::string::npos);

  SignOptions xades;
  xades.xades = true;
  xades.signing_time = 1798761600;
  auto signed_xml = signer_for("so-tu-phap").sign(sample_document(), xades);
  REQUIRE(signed_xml.has_value());
  VerifyOptions require;
  require.require_xades = true;
  auto with_time = verifier().verify(*signed_xml, require);
  REQUIRE(with_time.valid());
  CHECK(with_time.signing_time == std::optional<std::string>("2027-01-01T00:00:00Z"));
  CHECK(code(verifier().verify(signed_with("so-tu-phap"), require)) == ErrorCode::kXadesInvalid);
}

TEST_CASE(
    "Verifier refuses untrusted, self-signed, expired, revoked and wrong-usage certificates") {
  CHECK(code(verify_with("unrelated")) == ErrorCode::kUntrustedCertificate);
  CHECK(code(verify_with("self-signed")) == ErrorCode::kSelfSignedCertificate);
  auto expired = verify_with("expired");
  CHECK(code(expired) == ErrorCode::kCertificateExpired);
  CHECK(expired.signer->subject.find("hết hạn") != std::string::npos);
  auto revoked = verify_with("revoked");
  CHECK(code(revoked) == ErrorCode::kCertificateRevoked);
  CHECK(revoked.revocation == "revoked");
  CHECK(code(verify_with("no-usage")) == ErrorCode::kKeyUsage);
  auto ca_signer = verify_with("ca-signer");  // a CA certificate that also claims digitalSignature
  CHECK(code(ca_signer) == ErrorCode::kKeyUsage);
  CHECK(ca_signer.error->message.find("CA certificate") != std::string::npos);
}

TEST_CASE("Verifier checks the chain at the given time") {
  VerifyOptions long_ago;
  long_ago.at =
      1590969600;  // 2020-06-01: the expired certificate was valid, the CRLs did not exist
  CHECK(code(verify_with("expired", long_ago)) == ErrorCode::kRevocationUnknown);
  auto lenient = Verifier::create(VerifierConfig{{pki("trust")}, {}, false});
  REQUIRE(lenient.has_value());
  auto report = lenient->verify(signed_with("expired"), long_ago);
  INFO(report.to_json(false, true));
  CHECK(report.valid());
  CHECK(report.revocation == "not_checked");
  VerifyOptions before_issue;
  before_issue.at = 1577836800 - 86400;  // 2019-12-31
  CHECK(code(lenient->verify(signed_with("expired"), before_issue)) ==
        ErrorCode::kCertificateNotYetValid);
  VerifyOptions far_future;
  far_future.at = 4102444800;  // 2100: the CRLs have long expired
  CHECK(code(verify_with("so-tu-phap", far_future)) == ErrorCode::kRevocationUnknown);
}

TEST_CASE("Verifier without CRLs cannot vouch for revocation") {
  auto no_crls = Verifier::create(VerifierConfig{
      {pki("trust/root-ca.pem"), pki("trust/ca-tinh-h20.pem"), pki("trust/ca-bo-tu-phap.pem")},
      {},
      true});
  REQUIRE(no_crls.has_value());
  CHECK(no_crls->crl_count() == 0);
  CHECK(code(no_crls->verify(signed_with("so-tu-phap"))) == ErrorCode::kRevocationUnknown);
  auto with_crls = Verifier::create(VerifierConfig{
      {pki("trust/root-ca.pem"), pki("trust/ca-tinh-h20.pem")}, {pki("trust/crls.pem")}, true});
  REQUIRE(with_crls.has_value());
  CHECK(with_crls->crl_count() == 3);
  CHECK(with_crls->verify(signed_with("so-tu-phap")).valid());
  CHECK(code(with_crls->verify(signed_with("revoked"))) == ErrorCode::kCertificateRevoked);
  // Intermediates may come from the document: the ministry's chains to the trusted root.
  CHECK(with_crls->verify(signed_with("bo-tu-phap")).valid());
  auto other_root = Verifier::create(VerifierConfig{{pki("unrelated-ca.pem")}, {}, false});
  REQUIRE(other_root.has_value());
  CHECK(code(other_root->verify(signed_with("so-tu-phap"))) == ErrorCode::kUntrustedCertificate);
  CHECK(other_root->verify(signed_with("unrelated")).valid());
}

TEST_CASE("Verifier configuration errors") {
  auto missing = Verifier::create(VerifierConfig{{pki("nope")}, {}, true});
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ErrorCode::kIo);
  auto leaf = Verifier::create(VerifierConfig{{pki("so-tu-phap.pem")}, {}, true});
  REQUIRE_FALSE(leaf.has_value());
  CHECK(leaf.error().code == ErrorCode::kTrustStore);
  auto no_root = Verifier::create(VerifierConfig{{pki("trust/ca-tinh-h20.pem")}, {}, true});
  REQUIRE_FALSE(no_root.has_value());
  CHECK(no_root.error().code == ErrorCode::kTrustStore);
  auto not_pem = Verifier::create(VerifierConfig{{pki("p12.pass")}, {}, true});
  REQUIRE_FALSE(not_pem.has_value());
  CHECK(not_pem.error().code == ErrorCode::kTrustStore);
  auto empty = Verifier::create(VerifierConfig{});
  REQUIRE_FALSE(empty.has_value());
  CHECK(empty.error().code == ErrorCode::kTrustStore);
}

}  // namespace motcua::signing::test
