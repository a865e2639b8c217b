#include <doctest/doctest.h>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {

TEST_CASE("Signer signs the document element and Verifier accepts it (RSA-2048 and ECDSA P-256)") {
  for (const char* name : {"ubnd-tinh", "so-tu-phap"}) {
    CAPTURE(name);
    auto signed_xml = signer_for(name).sign(sample_document());
    REQUIRE_MESSAGE(signed_xml.has_value(),
                    (signed_xml ? "" : signed_xml.error().message + signed_xml.error().detail));
    auto report = verifier().verify(*signed_xml);
    INFO(report.to_json(false, true));
    CHECK(report.valid());
    CHECK(report.reference_uri == "");
    CHECK(report.signed_element == "KetQua");
    CHECK(report.revocation == "good");
    CHECK(report.chain.size() == 3);
    CHECK(report.signed_content.find("Nguyễn Thị Hồng Nhung") != std::string::npos);
    CHECK(report.signed_content.find("Signature") == std::string::npos);
  }
}

}  // namespace motcua::signing::test

namespace motcua::signing::test {
namespace {

std::string must_sign(const std::string& xml, const SignOptions& options = {}) {
  auto out = signer_for("so-tu-phap").sign(xml, options);
  REQUIRE_MESSAGE(out.has_value(), xml << "\n" << (out ? "" : out.error().message));
  return *out;
}

// The signed document without its ds:Signature element.
std::string without_signature(const std::string& xml) {
  const auto from = xml.find("<ds:Signature ");
  const auto to = xml.find("</ds:Signature>");
  REQUIRE(from != std::string::npos);
  REQUIRE(to != std::string::npos);
  return xml.substr(0, from) + xml.substr(to + 15);
}

void check_verifies(const std::string& xml, const std::string& id = {}) {
  VerifyOptions options;
  options.expected_id = id;
  auto report = verifier().verify(xml, options);
  INFO(xml);
  INFO(report.to_json(false, true));
  CHECK(report.valid());
}

}  // namespace

TEST_CASE("Signer keeps the input's bytes and inserts the signature before the end tag") {
  SUBCASE("the document element") {
    const std::string doc = sample_document();
    const std::string out = must_sign(doc);
    CHECK(without_signature(out) == doc);
    CHECK(out.find("</ds:Signature></KetQua>") != std::string::npos);
    check_verifies(out);
  }
  SUBCASE("an element chosen by Id, with odd spacing, quoting and prolog kept as written") {
    const std::string doc =
        "<?xml version='1.0'?>\n<!-- trước -->\n<p:HoSo xmlns:p='urn:p' a = \"1\" >\n"
        "  <p:KetQua Id='k'  >Nội dung &amp; <![CDATA[x<y]]></p:KetQua  >\n  <p:Khac/>\n"
        "</p:HoSo >\n<?pi sau?>\n";
    SignOptions options;
    options.id = "k";
    const std::string out = must_sign(doc, options);
    CHECK(without_signature(out) == doc);
    CHECK(out.find("</ds:Signature></p:KetQua  >") != std::string::npos);
    check_verifies(out, "k");
    options.xades = true;
    check_verifies(must_sign(doc, options), "k");
  }
  SUBCASE("an empty-element tag becomes a start and an end tag") {
    check_verifies(must_sign("<r/>"));
    const std::string out = must_sign("<p:r xmlns:p=\"urn:p\" Id=\"r1\"\n/>");
    CHECK(out.find("Id=\"r1\"\n><ds:Signature") != std::string::npos);
    CHECK(out.find("</ds:Signature></p:r>") != std::string::npos);
    check_verifies(out);
    SignOptions options;
    options.id = "x";
    const std::string inner = must_sign("<a><b Id=\"x\" /><c/></a>", options);
    CHECK(inner.find("<b Id=\"x\" ><ds:Signature") != std::string::npos);
    CHECK(inner.find("</ds:Signature></b><c/></a>") != std::string::npos);
    check_verifies(inner, "x");
  }
  SUBCASE("a document in another encoding is signed as UTF-8") {
    const std::string latin1 =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<KetQua>caf\xE9</KetQua>";
    const std::string out = must_sign(latin1);
    CHECK(out.find("caf\xC3\xA9") != std::string::npos);
    CHECK(out.find("encoding=\"UTF-8\"") != std::string::npos);
    check_verifies(out);
  }
}

}  // namespace motcua::signing::test
