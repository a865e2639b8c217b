// Security review of the verification path (own digests, own SignatureValue check, chain cache):
// each test is a hostile variant of a genuine signature, refused for the stated reason, or a
// check that the node whose digest was verified is the one callers receive.
#include <doctest/doctest.h>

#include <string>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

constexpr const char* kExc = "http://www.w3.org/2001/10/xml-exc-c14n#";

std::string sign_doc(const std::string& key, const std::string& id = {}, bool xades = false,
                     const std::string& xml = sample_document()) {
  SignOptions options;
  options.id = id;
  options.xades = xades;
  auto out = signer_for(key).sign(xml, options);
  REQUIRE_MESSAGE(out.has_value(), (out ? "" : out.error().message + " " + out.error().detail));
  return *out;
}

ErrorCode refusal(const std::string& xml, const VerifyOptions& options = {}) {
  auto report = verifier().verify(xml, options);
  INFO(report.to_json(false, true));
  REQUIRE_FALSE(report.valid());
  CHECK(report.signed_content.empty());
  return report.error->code;
}

std::string element_of(const std::string& xml) {
  const auto from = xml.find("<KetQua");
  const auto to = xml.rfind("</KetQua>");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  return xml.substr(from, to + 9 - from);
}

std::string certificates_of(const std::string& xml) {
  return between(xml, "<ds:X509Data>", "</ds:X509Data>");
}

}  // namespace

TEST_CASE("Review: the covered element is the one callers get, whatever the Id games") {
  const std::string good = sign_doc("so-tu-phap", "kq-1");
  SUBCASE("a reference to the Signature's own Id") {
    const auto at = good.find("<ds:Signature ");
    REQUIRE(at != std::string::npos);
    const std::string id = between(good.substr(at), "Id=\"", "\"");
    const std::string sig_id = replace_once(good, "URI=\"#kq-1\"", "URI=\"#" + id + "\"");
    CHECK(refusal(sig_id) == ErrorCode::kSignatureNotEnveloped);
  }
  SUBCASE("a reference to an element inside the Signature") {
    const std::string inner =
        replace_once(replace_once(good, "<ds:SignatureValue>", "<ds:SignatureValue Id=\"sv\">"),
                     "URI=\"#kq-1\"", "URI=\"#sv\"");
    CHECK(refusal(inner) == ErrorCode::kSignatureNotEnveloped);
  }
  SUBCASE("xpointer and odd fragment forms") {
    for (const char* uri : {"#xpointer(id('kq-1'))", "#xpointer(/)", "#kq-1#x", "#kq 1", "#"}) {
      CAPTURE(uri);
      CHECK(refusal(replace_once(good, "URI=\"#kq-1\"", std::string("URI=\"") + uri + "\"")) ==
            ErrorCode::kExternalReference);
    }
  }
  SUBCASE("an evil twin carrying the Id only in a namespaced attribute or xml:id") {
    const std::string wsu =
        "<Envelope xmlns=\"urn:evil\" xmlns:wsu=\"urn:wsu\"><Evil wsu:Id=\"kq-1\"/>" +
        element_of(good) + "</Envelope>";
    // The wsu:Id is no ID: the signed element is still the only one with Id kq-1.
    VerifyOptions options;
    options.expected_id = "kq-1";
    auto report = verifier().verify(wsu + "\n", options);
    INFO(report.to_json(false, true));
    CHECK(report.valid());
    CHECK(report.signed_content.find("Evil") == std::string::npos);
    const std::string xml_id = replace_once(wsu, "wsu:Id=\"kq-1\"", "xml:id=\"kq-1\"");
    CHECK(refusal(xml_id, options) == ErrorCode::kDuplicateId);
  }
  SUBCASE("ID and id spellings of the same value") {
    const std::string twin =
        replace_once(good, "<SoHoSo>", "<SoHoSo><X ID=\"kq-1\"/><Y id=\"kq-1\"/></SoHoSo><SoHoSo>");
    CHECK(refusal(twin) == ErrorCode::kDuplicateId);
  }
}

TEST_CASE("Review: canonicalisation is exclusive c14n without comments, as named") {
  const std::string good = sign_doc("ubnd-tinh");
  SUBCASE("WithComments variants are refused for SignedInfo and for the reference") {
    CHECK(refusal(replace_once(good, std::string("Algorithm=\"") + kExc + "\"",
                               std::string("Algorithm=\"") + kExc + "WithComments\"")) ==
          ErrorCode::kTransformNotAllowed);
    const auto ref = good.find("<ds:Reference");
    std::string ref_c14n = good;
    const auto at = ref_c14n.find(std::string(kExc) + "\"", ref);
    REQUIRE(at != std::string::npos);
    ref_c14n.insert(at + std::string(kExc).size(), "WithComments");
    CHECK(refusal(ref_c14n) == ErrorCode::kTransformNotAllowed);
  }
  SUBCASE("a ds prefix declared only on the document element (SignedInfo inherits it)") {
    // xmlsec1 signs a template whose ds prefix is declared on an ancestor; exclusive c14n of
    // SignedInfo must render the visibly used declaration itself.
    const std::string tmpl = replace_once(
        replace_once(sample_document(), "<KetQua xmlns=\"urn:motcua:ketqua:1\"",
                     "<KetQua xmlns=\"urn:motcua:ketqua:1\" "
                     "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\""),
        "</KetQua>",
        std::string("<ds:Signature><ds:SignedInfo>"
                    "<ds:CanonicalizationMethod Algorithm=\"") +
            kExc +
            "\"/><ds:SignatureMethod "
            "Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
            "<ds:Reference URI=\"\"><ds:Transforms>"
            "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
            "<ds:Transform Algorithm=\"" +
            kExc +
            "\"/></ds:Transforms>"
            "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
            "<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>"
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>"
            "</ds:Signature></KetQua>");
    const std::string signed_xml = xmlsec1_sign(tmpl, "ubnd-tinh");
    auto report = verifier().verify(signed_xml);
    INFO(report.to_json(false, true));
    CHECK(report.valid());
  }
}

TEST_CASE("Review: SignatureValue and key type must agree; ECDSA values are raw r||s") {
  const std::string ec = sign_doc("so-tu-phap");
  SUBCASE("an ECDSA method with the RSA signer's certificate") {
    const std::string rsa = sign_doc("ubnd-tinh");
    CHECK(refusal(replace_once(rsa, "xmldsig-more#rsa-sha256", "xmldsig-more#ecdsa-sha256")) ==
          ErrorCode::kAlgorithmNotAllowed);
  }
  SUBCASE("an RSA method with the EC signer's certificate") {
    CHECK(refusal(replace_once(ec, "xmldsig-more#ecdsa-sha256", "xmldsig-more#rsa-sha256")) ==
          ErrorCode::kAlgorithmNotAllowed);
  }
  SUBCASE("DER-encoded or truncated ECDSA values") {
    const std::string value = between(ec, "<ds:SignatureValue>", "</ds:SignatureValue>");
    CHECK(refusal(replace_once(ec, value, value.substr(0, value.size() - 4))) ==
          ErrorCode::kSignatureMismatch);
    CHECK(refusal(replace_once(ec, value, "MAYCAQECAQE=")) == ErrorCode::kSignatureMismatch);
  }
  SUBCASE("a genuine certificate of another agency placed before the signer's") {
    const std::string other = certificates_of(sign_doc("cong-an"));
    const std::string first_cert = "<ds:X509Certificate>" +
                                   between(other, "<ds:X509Certificate>", "</ds:X509Certificate>") +
                                   "</ds:X509Certificate>";
    const std::string swapped = replace_once(ec, "<ds:X509Data>", "<ds:X509Data>" + first_cert);
    auto report = verifier().verify(swapped);
    INFO(report.to_json(false, true));
    // Whatever certificate is picked as the signer, its key must be the one that verifies.
    if (report.valid()) {
      REQUIRE(report.signer.has_value());
      CHECK(report.signer->subject.find("000.00.14.H20") != std::string::npos);
    } else {
      CHECK(report.error->code == ErrorCode::kSignatureMismatch);
    }
  }
}

TEST_CASE("Review: base64 values are decoded strictly") {
  const std::string good = sign_doc("so-tu-phap");
  const std::string cert = between(good, "<ds:X509Certificate>", "</ds:X509Certificate>");
  REQUIRE(verifier().verify(good).valid());
  SUBCASE("trailing '-' (OpenSSL's end-of-data marker) after a certificate") {
    std::string clean = cert;
    std::erase_if(clean, [](char c) { return c == '\n' || c == '\r' || c == ' '; });
    if (clean.size() % 4 == 0) {
      CHECK(refusal(replace_once(good, cert, cert + "----")) == ErrorCode::kNoCertificate);
    }
  }
  SUBCASE("'=' inside the text") {
    const auto a = cert.find('A', 8);
    REQUIRE(a != std::string::npos);
    std::string bad = cert;
    bad[a] = '=';
    CHECK(refusal(replace_once(good, cert, bad)) == ErrorCode::kNoCertificate);
  }
}

TEST_CASE("Review: KeyInfo size is bounded before any certificate work") {
  const std::string good = sign_doc("so-tu-phap");
  const std::string certs = certificates_of(good);
  SUBCASE("hundreds of copies of the chain (unsigned KeyInfo; fills caches, quadratic leaf pick)") {
    std::string many;
    for (int i = 0; i < 200; ++i) many += certs;
    CHECK(refusal(replace_once(good, certs, many)) == ErrorCode::kKeyInfoNotAllowed);
  }
  SUBCASE("a certificate far larger than any real one") {
    const std::string key = temp_path("huge.key");
    const std::string pem = temp_path("huge.pem");
    REQUIRE(run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out '" + key +
                "'") == 0);
    const std::string blob(2 * 40 * 1024, 'a');
    std::string out;
    REQUIRE_MESSAGE(run("OPENSSL_CONF=/dev/null openssl req -x509 -key '" + key + "' -out '" + pem +
                            "' -subj /CN=huge -days 30 -addext 1.2.3.4=DER:" + blob,
                        &out) == 0,
                    out);
    std::string b64;
    REQUIRE(run("openssl x509 -in '" + pem + "' -outform DER | base64 -w0", &b64) == 0);
    REQUIRE(b64.size() > 40 * 1024);
    const std::string huge = replace_once(
        good, "<ds:X509Data>", "<ds:X509Data><ds:X509Certificate>" + b64 + "</ds:X509Certificate>");
    CHECK(refusal(huge) == ErrorCode::kKeyInfoNotAllowed);
  }
}

TEST_CASE("Review: no reference is processed before SignedInfo is authenticated") {
  const std::string good = sign_doc("so-tu-phap", "kq-1");
  SUBCASE("an InclusiveNamespaces PrefixList of thousands of prefixes") {
    std::string prefixes;
    for (int i = 0; i < 5000; ++i) prefixes += "p" + std::to_string(i) + " ";
    const auto ref = good.find("<ds:Reference");
    const std::string c14n =
        std::string("<ds:Transform Algorithm=\"") + kExc + "\"></ds:Transform>";
    std::string bloated = good;
    const auto at = bloated.find(c14n, ref);
    REQUIRE(at != std::string::npos);
    bloated.replace(at, c14n.size(),
                    std::string("<ds:Transform Algorithm=\"") + kExc +
                        "\"><ec:InclusiveNamespaces xmlns:ec=\"" + kExc + "\" PrefixList=\"" +
                        prefixes + "\"/></ds:Transform>");
    CHECK(refusal(bloated) == ErrorCode::kTransformNotAllowed);
  }
  SUBCASE("an altered DigestValue is a SignedInfo alteration") {
    const std::string digest = between(good, "<ds:DigestValue>", "</ds:DigestValue>");
    std::string other = digest;
    other[0] = other[0] == 'A' ? 'B' : 'A';
    CHECK(refusal(replace_once(good, digest, other)) == ErrorCode::kSignatureMismatch);
  }
}

TEST_CASE("Review: the XAdES SigningCertificateV2 digest is compared with the actual signer") {
  // xmlsec1 re-signs motcua's XAdES layout with cong-an's key; only the certificate digest in the
  // signed properties varies. IssuerSerialV2 is left out so that the digest alone decides.
  std::string tmpl = sign_doc("cong-an", {}, true);
  tmpl = replace_once(tmpl, certificates_of(tmpl), "<ds:X509Certificate/>");
  const std::string issuer_serial =
      "<xades:IssuerSerialV2>" +
      between(tmpl, "<xades:IssuerSerialV2>", "</xades:IssuerSerialV2>") +
      "</xades:IssuerSerialV2>";
  tmpl = replace_once(tmpl, issuer_serial, "");
  const std::string cert_digest =
      between(between(tmpl, "<xades:CertDigest>", "</xades:CertDigest>"), "<ds:DigestValue>",
              "</ds:DigestValue>");
  const std::string id_attr = "--id-attr:Id http://uri.etsi.org/01903/v1.3.2#:SignedProperties";
  VerifyOptions xades;
  xades.require_xades = true;

  const std::string control = xmlsec1_sign(tmpl, "cong-an", id_attr);
  auto report = verifier().verify(control, xades);
  INFO(report.to_json(false, true));
  CHECK(report.valid());

  std::string other;
  REQUIRE(run("openssl x509 -in '" + pki("so-tu-phap.pem") +
                  "' -outform DER | openssl dgst -sha256 -binary | base64 -w0",
              &other) == 0);
  REQUIRE(other.size() == cert_digest.size());
  const std::string wrong =
      xmlsec1_sign(replace_once(tmpl, cert_digest, other), "cong-an", id_attr);
  CHECK(refusal(wrong, xades) == ErrorCode::kXadesInvalid);
}

TEST_CASE("Review: a cached chain does not skip the key usage check") {
  auto made = Verifier::create(VerifierConfig{{pki("trust")}, {}, true});
  REQUIRE(made.has_value());
  const std::string no_usage = sign_doc("no-usage");
  for (int i = 0; i < 3; ++i) {
    auto report = made->verify(no_usage);
    INFO(report.to_json(false, true));
    REQUIRE_FALSE(report.valid());
    CHECK(report.error->code == ErrorCode::kKeyUsage);
  }
  // Same certificate list, another (untrusted) key: the cached chain of the list vouches for the
  // certificate's key only.
  const std::string genuine = sign_doc("so-tu-phap");
  REQUIRE(made->verify(genuine).valid());
  const std::string attacker = sign_doc("unrelated");
  const std::string forged =
      replace_once(attacker, certificates_of(attacker), certificates_of(genuine));
  auto report = made->verify(forged);
  INFO(report.to_json(false, true));
  REQUIRE_FALSE(report.valid());
  CHECK(report.error->code == ErrorCode::kSignatureMismatch);
}

}  // namespace motcua::signing::test
