// One negative test per attack class: each hostile variant of a validly signed document is refused
// with its own reason. The variants are built from real signatures (motcua's or xmlsec1's).
#include <doctest/doctest.h>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

constexpr const char* kSigOpen = "<ds:Signature";
constexpr const char* kSigClose = "</ds:Signature>";

std::string signed_by_id(const std::string& key = "so-tu-phap", bool xades = false) {
  SignOptions options;
  options.id = "kq-1";
  options.xades = xades;
  auto out = signer_for(key).sign(sample_document(), options);
  REQUIRE_MESSAGE(out.has_value(), (out ? "" : out.error().message + " " + out.error().detail));
  return *out;
}

std::string signature_of(const std::string& xml) {
  const auto from = xml.find(kSigOpen);
  const auto to = xml.find(kSigClose);
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  return xml.substr(from, to + std::string(kSigClose).size() - from);
}

std::string without_signature(const std::string& xml) {
  return replace_once(xml, signature_of(xml), "");
}

// The KetQua element of a signed document (from its start tag to its end tag), and the rest.
std::string element_of(const std::string& xml) {
  const auto from = xml.find("<KetQua");
  const auto to = xml.rfind("</KetQua>");
  REQUIRE(from != std::string::npos);
  return xml.substr(from, to + 9 - from);
}

ErrorCode refusal(const std::string& xml, const VerifyOptions& options = {}) {
  auto report = verifier().verify(xml, options);
  INFO(report.to_json(false, true));
  REQUIRE_FALSE(report.valid());
  CHECK(report.signed_content.empty());
  return report.error->code;
}

VerifyOptions expecting_id() {
  VerifyOptions options;
  options.expected_id = "kq-1";
  return options;
}

std::string evil_copy(const std::string& element, const std::string& id) {
  return replace_once(replace_once(element, "200000", "1"), "Id=\"kq-1\"", "Id=\"" + id + "\"");
}

}  // namespace

TEST_CASE("Verifier baseline: the unmodified documents used below are valid") {
  CHECK(verifier().verify(signed_by_id()).valid());
  CHECK(verifier().verify(signed_by_id(), expecting_id()).valid());
  CHECK(verifier().verify(signed_by_id("ubnd-tinh", true)).valid());
}

TEST_CASE("Verifier refuses signature wrapping") {
  const std::string good = signed_by_id();
  const std::string element = element_of(good);

  SUBCASE("signed element moved under a new document element") {
    const std::string moved =
        "<Envelope xmlns=\"urn:evil\"><Data>1</Data>" + element + "</Envelope>";
    CHECK(refusal(moved) == ErrorCode::kWrongSignedElement);
  }
  SUBCASE("signed element wrapped inside an evil element of the same name") {
    const std::string wrapped =
        replace_once(evil_copy(without_signature(element), "kq-evil"), "</KetQua>",
                     "<Wrapper>" + element + "</Wrapper></KetQua>");
    CHECK(refusal(wrapped) == ErrorCode::kWrongSignedElement);
  }
  SUBCASE("signed element copied into ds:Object, evil element in its place") {
    const std::string sig = signature_of(good);
    const std::string with_copy = replace_once(
        sig, kSigClose, "<ds:Object>" + without_signature(element) + "</ds:Object></ds:Signature>");
    const std::string copied = replace_once(evil_copy(without_signature(element), "kq-evil"),
                                            "</KetQua>", with_copy + "</KetQua>");
    CHECK(refusal(copied) == ErrorCode::kUnexpectedObject);
  }
  SUBCASE("a second, unsigned element with the same Id") {
    const std::string twin = "<Envelope xmlns=\"urn:evil\">" +
                             evil_copy(without_signature(element), "kq-1") + element +
                             "</Envelope>";
    CHECK(refusal(twin, expecting_id()) == ErrorCode::kDuplicateId);
  }
  SUBCASE("signature moved into the evil wrapper, original element nested without it") {
    const std::string sig = signature_of(good);
    const std::string moved_sig =
        replace_once(evil_copy(without_signature(element), "kq-evil"), "</KetQua>",
                     "<Original>" + without_signature(element) + "</Original>" + sig + "</KetQua>");
    CHECK(refusal(moved_sig) == ErrorCode::kSignatureNotEnveloped);
  }
  SUBCASE("the caller expects another element Id") {
    VerifyOptions options;
    options.expected_id = "kq-2";
    CHECK(refusal(good, options) == ErrorCode::kWrongSignedElement);
  }
}

TEST_CASE("Verifier hands callers only the signed element's bytes") {
  const std::string good = signed_by_id();
  const std::string outside =
      "<Envelope xmlns=\"urn:evil\"><Data>TIỀN GIẢ</Data>" + element_of(good) + "</Envelope>";
  auto report = verifier().verify(outside, expecting_id());
  INFO(report.to_json(false, true));
  REQUIRE(report.valid());
  CHECK(report.signed_content.find("TIỀN GIẢ") == std::string::npos);
  CHECK(report.signed_content.find("200000") != std::string::npos);
  CHECK(report.signed_content.rfind("<KetQua", 0) == 0);
}

TEST_CASE("Verifier refuses comments injected inside signed text") {
  const std::string good = signed_by_id();
  const std::string injected = replace_once(good, "Hồng Nhung", "Hồng<!---->.evil Nhung");
  CHECK(refusal(injected) == ErrorCode::kCommentInSignedContent);
}

TEST_CASE("Verifier refuses a KeyValue key (the attacker's own key)") {
  const std::string tmpl = replace_once(
      sample_document(), "</KetQua>",
      "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
      "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
      "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
      "<ds:Reference URI=\"\"><ds:Transforms>"
      "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
      "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>"
      "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue/>"
      "</ds:Reference></ds:SignedInfo><ds:SignatureValue/><ds:KeyInfo><ds:KeyValue/></ds:KeyInfo>"
      "</ds:Signature></KetQua>");
  const std::string attacker_key = temp_path("attacker.key");
  REQUIRE(run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out '" + attacker_key +
              "'") == 0);
  const std::string attacker = xmlsec1_sign(tmpl, "", "--privkey-pem '" + attacker_key + "'");
  REQUIRE(attacker.find("RSAKeyValue") != std::string::npos);
  CHECK(refusal(attacker) == ErrorCode::kKeyInfoNotAllowed);
  // The agency's genuine certificate next to the attacker's KeyValue changes nothing.
  const std::string genuine = signature_of(signed_by_id());
  const auto x509_from = genuine.find("<ds:X509Data>");
  const auto x509_to = genuine.find("</ds:X509Data>") + 14;
  const std::string both = replace_once(
      attacker, "</ds:KeyInfo>", genuine.substr(x509_from, x509_to - x509_from) + "</ds:KeyInfo>");
  CHECK(refusal(both) == ErrorCode::kKeyInfoNotAllowed);
}

TEST_CASE(
    "Verifier refuses weak algorithms, HMAC, extra, external references and foreign transforms") {
  auto tmpl = [](const std::string& method, const std::string& digest,
                 const std::string& key_info) {
    return replace_once(
        sample_document(), "</KetQua>",
        "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
        "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
        "<ds:SignatureMethod Algorithm=\"" +
            method +
            "\"/><ds:Reference URI=\"\"><ds:Transforms>"
            "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
            "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/></ds:Transforms>"
            "<ds:DigestMethod Algorithm=\"" +
            digest + "\"/><ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>" +
            key_info + "</ds:Signature></KetQua>");
  };
  const std::string x509 =
      "<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>";
  const std::string sha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

  SUBCASE("SHA-1") {
    const std::string sha1 = xmlsec1_sign(tmpl("http://www.w3.org/2000/09/xmldsig#rsa-sha1",
                                               "http://www.w3.org/2000/09/xmldsig#sha1", x509),
                                          "ubnd-tinh");
    CHECK(refusal(sha1) == ErrorCode::kWeakDigest);
    const std::string sha1_digest =
        xmlsec1_sign(tmpl("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
                          "http://www.w3.org/2000/09/xmldsig#sha1", x509),
                     "ubnd-tinh");
    CHECK(refusal(sha1_digest) == ErrorCode::kWeakDigest);
  }
  SUBCASE("RSA-1024") {
    const std::string weak = xmlsec1_sign(
        tmpl("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", sha256, x509), "weak-rsa1024");
    CHECK(refusal(weak) == ErrorCode::kWeakKey);
  }
  SUBCASE("HMAC") {
    const std::string key_file = temp_path("hmac.bin");
    write_file(key_file, "secret shared with the attacker");
    const std::string hmac =
        xmlsec1_sign(tmpl("http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", sha256, ""), "",
                     "--hmackey '" + key_file + "'");
    CHECK(refusal(hmac) == ErrorCode::kHmacNotAllowed);
  }
  const std::string good = signed_by_id();
  const std::string ref_end = "</ds:Reference>";
  auto extra_ref = [&](const std::string& uri) {
    return replace_once(
        good, ref_end,
        ref_end + "<ds:Reference URI=\"" + uri +
            "\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
            "<ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>");
  };
  SUBCASE("an extra same-document reference") {
    CHECK(refusal(extra_ref("#kq-1")) == ErrorCode::kReferenceCount);
  }
  SUBCASE("external references") {
    CHECK(refusal(extra_ref("file:///etc/passwd")) == ErrorCode::kExternalReference);
    CHECK(refusal(extra_ref("http://attacker.example/x.xml")) == ErrorCode::kExternalReference);
    CHECK(refusal(replace_once(good, "URI=\"#kq-1\"", "URI=\"http://attacker.example/#kq-1\"")) ==
          ErrorCode::kExternalReference);
  }
  const std::string c14n_transform =
      "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:Transform>";
  SUBCASE("XSLT transform") {
    const std::string xslt = replace_once(
        good, c14n_transform,
        "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"><xsl:stylesheet "
        "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\" version=\"1.0\"/></ds:Transform>");
    CHECK(refusal(xslt) == ErrorCode::kTransformNotAllowed);
  }
  SUBCASE("XPath transforms") {
    const std::string xpath =
        replace_once(good, c14n_transform,
                     "<ds:Transform Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\">"
                     "<ds:XPath>not(ancestor-or-self::ds:Signature)</ds:XPath></ds:Transform>");
    CHECK(refusal(xpath) == ErrorCode::kTransformNotAllowed);
    const std::string filter2 =
        replace_once(good, c14n_transform,
                     "<ds:Transform Algorithm=\"http://www.w3.org/2002/06/xmldsig-filter2\"/>");
    CHECK(refusal(filter2) == ErrorCode::kTransformNotAllowed);
  }
  SUBCASE("transform sequences outside the profile") {
    const std::string enveloped =
        "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\">"
        "</ds:Transform>";
    // Without exclusive c14n the node-set would be serialised with inclusive c14n.
    CHECK(refusal(replace_once(good, c14n_transform, "")) == ErrorCode::kTransformNotAllowed);
    CHECK(refusal(replace_once(good, c14n_transform, c14n_transform + c14n_transform)) ==
          ErrorCode::kTransformNotAllowed);
    const std::string reordered =
        replace_once(replace_once(good, enveloped, ""), c14n_transform, c14n_transform + enveloped);
    CHECK(refusal(reordered) == ErrorCode::kTransformNotAllowed);
  }
}

TEST_CASE("Verifier refuses two signatures, altered SignedInfo and altered content") {
  const std::string good = signed_by_id();
  SUBCASE("two signatures") {
    const std::string two =
        replace_once(good, "</KetQua>", signature_of(signed_by_id("cong-an")) + "</KetQua>");
    CHECK(refusal(two) == ErrorCode::kMultipleSignatures);
  }
  SUBCASE("altered SignedInfo") {
    CHECK(refusal(replace_once(good, "<ds:SignedInfo>", "<ds:SignedInfo Id=\"si\">")) ==
          ErrorCode::kSignatureMismatch);
    // The reference now points at the document element: the digest was computed for another URI.
    CHECK(refusal(replace_once(good, "URI=\"#kq-1\"", "URI=\"\"")) ==
          ErrorCode::kSignatureMismatch);
  }
  SUBCASE("altered content") {
    CHECK(refusal(replace_once(good, "200000", "2000000")) == ErrorCode::kDigestMismatch);
    CHECK(refusal(replace_once(good, "MaDinhDanh=\"000.00.14.H20\"",
                               "MaDinhDanh=\"000.00.15.H20\"")) == ErrorCode::kDigestMismatch);
  }
  SUBCASE("altered XAdES signing time") {
    const std::string xades = signed_by_id("so-tu-phap", true);
    const auto at = xades.find("<xades:SigningTime>") + 19;
    std::string altered = xades;
    altered[at + 3] = altered[at + 3] == '0' ? '1' : '0';
    CHECK(refusal(altered) == ErrorCode::kDigestMismatch);
  }
  SUBCASE("XAdES properties whose reference was removed") {
    const std::string xades = signed_by_id("so-tu-phap", true);
    const auto from = xades.find("<ds:Reference Type=");
    REQUIRE(from != std::string::npos);
    const auto to = xades.find("</ds:Reference>", from) + 15;
    std::string unsigned_props = xades;
    unsigned_props.erase(from, to - from);
    CHECK(refusal(unsigned_props) == ErrorCode::kXadesInvalid);
  }
}

}  // namespace motcua::signing::test
