// The Verifier's cache of validated chains: a reused verdict must always be the verdict a full
// validation gives (same time, same trust store and CRLs), and never outlive a certificate or CRL.
#include <doctest/doctest.h>

#include <ctime>
#include <string>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

Verifier fresh_verifier(const VerifierConfig& config = VerifierConfig{{pki("trust")}, {}, true}) {
  auto made = Verifier::create(config);
  REQUIRE_MESSAGE(made.has_value(), (made ? "" : made.error().message));
  return std::move(*made);
}

std::string sign_with(const std::string& key) {
  auto out = signer_for(key).sign(sample_document());
  REQUIRE_MESSAGE(out.has_value(), (out ? "" : out.error().message));
  return *out;
}

// "valid" or the error code's name, to compare two verdicts in one CHECK.
std::string verdict(const VerificationReport& report) {
  return report.valid() ? "valid" : std::string(to_string(report.error->code));
}

VerifyOptions at_time(std::time_t t) {
  VerifyOptions options;
  options.at = t;
  return options;
}

// A date printed by `openssl x509|crl -noout -<field>`, as seconds since the epoch.
std::time_t openssl_date(const std::string& command) {
  std::string out;
  REQUIRE(run(command, &out) == 0);
  const auto eq = out.find('=');
  REQUIRE(eq != std::string::npos);
  std::string date = out.substr(eq + 1);
  while (!date.empty() && (date.back() == '\n' || date.back() == '\r')) date.pop_back();
  std::string seconds;
  REQUIRE(run("date -u -d '" + date + "' +%s", &seconds) == 0);
  return static_cast<std::time_t>(std::stoll(seconds));
}

// Removes the `n`-th (0-based) X509Certificate element of a signed document; KeyInfo is not
// covered by the signature, so the signature itself stays intact.
std::string drop_certificate(std::string xml, int n) {
  std::size_t at = 0;
  for (int i = 0; i <= n; ++i) {
    at = xml.find("<ds:X509Certificate>", i == 0 ? 0 : at + 1);
    REQUIRE(at != std::string::npos);
  }
  const std::string close = "</ds:X509Certificate>";
  const auto end = xml.find(close, at);
  REQUIRE(end != std::string::npos);
  xml.erase(at, end + close.size() - at);
  return xml;
}

}  // namespace

TEST_CASE("Verifier's cached chains agree with a full validation at every window boundary") {
  const std::string signed_xml = sign_with("so-tu-phap");
  const std::time_t crl_last =
      openssl_date("openssl crl -noout -lastupdate -in '" + pki("ca/ca-tinh-h20/crl.pem") + "'");
  const std::time_t crl_next =
      openssl_date("openssl crl -noout -nextupdate -in '" + pki("ca/ca-tinh-h20/crl.pem") + "'");
  const std::time_t cert_from =
      openssl_date("openssl x509 -noout -startdate -in '" + pki("so-tu-phap.pem") + "'");
  const std::time_t cert_to =
      openssl_date("openssl x509 -noout -enddate -in '" + pki("so-tu-phap.pem") + "'");
  REQUIRE(crl_last < crl_next);
  const Verifier warm = fresh_verifier();
  REQUIRE(warm.verify(signed_xml).valid());  // fills the cache
  for (std::time_t base : {crl_last, crl_next, cert_from, cert_to}) {
    for (std::time_t delta : {-3600, -2, -1, 0, 1, 2, 3600}) {
      const std::time_t t = base + delta;
      CAPTURE(t);
      REQUIRE(warm.verify(signed_xml).valid());  // the entry is there before each probe
      const std::string cached = verdict(warm.verify(signed_xml, at_time(t)));
      CHECK(cached == verdict(fresh_verifier().verify(signed_xml, at_time(t))));
    }
  }
  // The probes cross both ends: refused after the CRL's nextUpdate, valid inside the window.
  CHECK(verdict(warm.verify(signed_xml, at_time(crl_next + 1))) == "revocation_unknown");
  CHECK(verdict(warm.verify(signed_xml, at_time(crl_last - 1))) == "revocation_unknown");
  CHECK(warm.verify(signed_xml, at_time(crl_next - 3600)).valid());
}

TEST_CASE("A certificate revoked by a CRL issued later is refused by a verifier that loads it") {
  const std::string signed_xml = sign_with("so-tu-phap");
  const Verifier before = fresh_verifier();
  REQUIRE(before.verify(signed_xml).valid());
  REQUIRE(before.verify(signed_xml).valid());

  // A copy of the provincial CA revokes the certificate and issues a new CRL.
  const std::string ca = temp_path("ca-tinh-h20-later");
  REQUIRE(run("rm -rf '" + ca + "' && cp -r '" + pki("ca/ca-tinh-h20") + "' '" + ca + "'") == 0);
  REQUIRE(run("sed -i 's|^dir = .*|dir = " + ca + "|' '" + ca + "/ca.cnf'") == 0);
  const std::string config = "OPENSSL_CONF=/dev/null openssl ca -batch -config '" + ca + "/ca.cnf'";
  std::string out;
  REQUIRE_MESSAGE(run(config + " -revoke '" + pki("so-tu-phap.pem") + "'", &out) == 0, out);
  REQUIRE_MESSAGE(run(config + " -gencrl -out '" + ca + "/later.pem'", &out) == 0, out);

  const Verifier after = fresh_verifier(VerifierConfig{
      {pki("trust/root-ca.pem"), pki("trust/ca-tinh-h20.pem"), pki("trust/ca-bo-tu-phap.pem")},
      {pki("ca/root-ca/crl.pem"), pki("ca/ca-bo-tu-phap/crl.pem"), ca + "/later.pem"},
      true});
  for (int i = 0; i < 2; ++i) {
    auto report = after.verify(signed_xml);
    CHECK(verdict(report) == "certificate_revoked");
    CHECK(report.revocation == "revoked");
  }
  // Other certificates of the same CA are still good under the new CRL, first and cached.
  const std::string other = sign_with("cong-an");
  CHECK(after.verify(other).valid());
  CHECK(after.verify(other).valid());
}

TEST_CASE("A cached chain is not reused for a document that presents other certificates") {
  // The ministry's intermediate is not in this trust store: only the document supplies it.
  const Verifier verifier = fresh_verifier(VerifierConfig{
      {pki("trust/root-ca.pem"), pki("trust/ca-tinh-h20.pem")}, {pki("trust/crls.pem")}, true});
  const std::string complete = sign_with("bo-tu-phap");
  REQUIRE(verifier.verify(complete).valid());
  REQUIRE(verifier.verify(complete).valid());
  const std::string leaf_only = drop_certificate(complete, 1);
  CHECK(verdict(verifier.verify(leaf_only)) == "untrusted_certificate");
  CHECK(verifier.verify(complete).valid());
}

}  // namespace motcua::signing::test
