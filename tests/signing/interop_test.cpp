// Interoperability with an independent implementation: the xmlsec1 command-line tool, restricted to
// X509 key data and the PKI root as its only trust anchor.
#include <doctest/doctest.h>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

std::string must_sign(const Signer& signer, const std::string& xml,
                      const SignOptions& options = {}) {
  auto out = signer.sign(xml, options);
  REQUIRE_MESSAGE(out.has_value(), (out ? "" : out.error().message + " " + out.error().detail));
  return *out;
}

// An enveloped-signature template for xmlsec1 (it fills digests, signature and certificates).
std::string xmlsec1_template(const std::string& method, const std::string& uri) {
  return replace_once(
      sample_document(), "</KetQua>",
      "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
      "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
      "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#" +
          method + "\"/><ds:Reference URI=\"" + uri +
          "\"><ds:Transforms>"
          "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
          "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
          "</ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
          "<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>"
          "<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>"
          "</ds:Signature></KetQua>");
}

// A document that exercises canonicalisation: a processing instruction before the root, default and
// prefixed namespaces declared on ancestors (used and unused), attributes in several namespaces and
// out of order, xml:lang, character and entity references, CDATA, carriage returns and a comment
// outside the signed element.
std::string tricky_document() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<?motcua-pi tham so?>\n"
         "<HoSo xmlns=\"urn:motcua:hoso:1\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" "
         "xmlns:unused=\"urn:unused\" xml:lang=\"vi\">\n"
         "  <!-- ghi chú ngoài phần được ký -->\n"
         "  <a:KetQua Id=\"kq-9\" z=\"1\" b:y=\"2\" a:x=\"3&#13;&#10;\" m=\"&lt;&amp;&quot;\">"
         "<b:Dong>Nguyễn &amp; Trần &#x1EA0; &gt; <![CDATA[<nguyên văn> & ]]>\r\n</b:Dong>"
         "<Trong/><c:Khac xmlns:c=\"urn:c\" c:t=\"x\">   </c:Khac></a:KetQua>\n"
         "</HoSo>\n";
}

}  // namespace

TEST_CASE("Signatures over a namespace-heavy document verify across motcua and xmlsec1") {
  SignOptions by_id;
  by_id.id = "kq-9";
  const std::string id_attr = "urn:a:KetQua";
  for (const char* key : {"ubnd-tinh", "so-tu-phap"}) {
    CAPTURE(key);
    const std::string ours = must_sign(signer_for(key), tricky_document(), by_id);
    CHECK(xmlsec1_verifies(ours, id_attr));
    VerifyOptions options;
    options.expected_id = "kq-9";
    auto report = verifier().verify(ours, options);
    INFO(report.to_json(false, true));
    CHECK(report.valid());
    // Exclusive c14n: only the namespaces the signed element uses, none of the comments outside.
    CHECK(report.signed_content.find("urn:unused") == std::string::npos);
    CHECK(report.signed_content.find("xmlns:b=\"urn:b\"") != std::string::npos);
    CHECK(report.signed_content.find("&lt;nguyên văn&gt; &amp; ") != std::string::npos);
    CHECK(report.signed_content.find("&#xD;") != std::string::npos);
    CHECK_FALSE(xmlsec1_verifies(replace_once(ours, "Trần", "Tran"), id_attr));

    // The whole document, processing instruction included: xmlsec1 agrees on the digest; motcua
    // refuses it only because the signed element holds a comment, and accepts it without one.
    const std::string whole = must_sign(signer_for(key), tricky_document());
    CHECK(xmlsec1_verifies(whole));
    auto commented = verifier().verify(whole);
    REQUIRE_FALSE(commented.valid());
    CHECK(commented.error->code == ErrorCode::kCommentInSignedContent);
    const std::string plain =
        replace_once(tricky_document(), "<!-- ghi chú ngoài phần được ký -->", "");
    const std::string whole_plain = must_sign(signer_for(key), plain);
    CHECK(xmlsec1_verifies(whole_plain));
    auto whole_report = verifier().verify(whole_plain);
    INFO(whole_report.to_json());
    CHECK(whole_report.valid());
    CHECK(whole_report.signed_content.find("motcua-pi") != std::string::npos);
  }
  // xmlsec1 signs, with an InclusiveNamespaces PrefixList that keeps an unused prefix.
  const std::string templ = replace_once(
      tricky_document(), "</a:KetQua>",
      "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
      "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
      "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
      "<ds:Reference URI=\"#kq-9\"><ds:Transforms>"
      "<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>"
      "<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">"
      "<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" "
      "PrefixList=\"unused #default\"/></ds:Transform>"
      "</ds:Transforms><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
      "<ds:DigestValue/></ds:Reference></ds:SignedInfo><ds:SignatureValue/>"
      "<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>"
      "</ds:Signature></a:KetQua>");
  const std::string theirs = xmlsec1_sign(templ, "ubnd-tinh", "--id-attr:Id " + id_attr);
  VerifyOptions options;
  options.expected_id = "kq-9";
  auto report = verifier().verify(theirs, options);
  INFO(report.to_json(false, true));
  CHECK(report.valid());
  CHECK(report.signed_content.find("xmlns:unused=\"urn:unused\"") != std::string::npos);
  CHECK_FALSE(verifier().verify(replace_once(theirs, "Trần", "Tran"), options).valid());
}

TEST_CASE("xmlsec1 verifies every kind of signature motcua makes") {
  struct Case {
    const char* key;
    SignOptions options;
  };
  SignOptions by_id;
  by_id.id = "kq-1";
  SignOptions xades;
  xades.xades = true;
  SignOptions xades_by_id = xades;
  xades_by_id.id = "kq-1";
  for (const Case& c : {Case{"ubnd-tinh", {}}, Case{"so-tu-phap", {}}, Case{"ubnd-tinh", by_id},
                        Case{"cong-an", by_id}, Case{"ubnd-tinh", xades},
                        Case{"ubnd-xa", xades_by_id}, Case{"bo-tu-phap", xades}}) {
    CAPTURE(c.key);
    CAPTURE(c.options.id);
    CAPTURE(c.options.xades);
    const std::string signed_xml = must_sign(signer_for(c.key), sample_document(), c.options);
    CHECK(xmlsec1_verifies(signed_xml, "urn:motcua:ketqua:1:KetQua"));
    VerifyOptions options;
    options.require_xades = c.options.xades;
    CHECK(verifier().verify(signed_xml, options).valid());
  }
}

TEST_CASE(
    "xmlsec1 refuses a motcua signature whose content was altered (the interop check can fail)") {
  const std::string signed_xml = must_sign(signer_for("so-tu-phap"), sample_document());
  CHECK_FALSE(xmlsec1_verifies(replace_once(signed_xml, "200000", "100")));
  SignOptions xades;
  xades.xades = true;
  xades.signing_time = 1798761600;  // 2027-01-01T00:00:00Z
  const std::string with_props = must_sign(signer_for("so-tu-phap"), sample_document(), xades);
  REQUIRE(with_props.find("2027-01-01T00:00:00Z") != std::string::npos);
  CHECK_FALSE(
      xmlsec1_verifies(replace_once(with_props, "2027-01-01T00:00:00Z", "2026-01-01T00:00:00Z")));
}

TEST_CASE("Documents signed by xmlsec1 verify with motcua") {
  for (const char* method : {"rsa-sha256", "ecdsa-sha256"}) {
    CAPTURE(method);
    const std::string key = std::string(method) == "rsa-sha256" ? "ubnd-tinh" : "so-tu-phap";
    const std::string whole = xmlsec1_sign(xmlsec1_template(method, ""), key);
    auto report = verifier().verify(whole);
    INFO(report.to_json(false, true));
    CHECK(report.valid());
    CHECK(report.signer->subject.find("000.00") != std::string::npos);

    const std::string by_id = xmlsec1_sign(xmlsec1_template(method, "#kq-1"), key,
                                           "--id-attr:Id urn:motcua:ketqua:1:KetQua");
    VerifyOptions options;
    options.expected_id = "kq-1";
    auto report_by_id = verifier().verify(by_id, options);
    INFO(report_by_id.to_json());
    CHECK(report_by_id.valid());
    CHECK(report_by_id.signed_element_id == "kq-1");
  }
}

}  // namespace motcua::signing::test
