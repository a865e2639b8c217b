#include <doctest/doctest.h>

#include "documents/document_xml.hpp"
#include "engine/audit_chain.hpp"
#include "tests/documents/fixture.hpp"

namespace motcua::documents::test {
namespace {

engine::IssuedDocument issue_receipt(const engine::Dossier& dossier,
                                     const engine::ReceiptRequest& request) {
  auto issued = issuer().issue_receipt(procedure("3.000333"), dossier, request);
  REQUIRE_MESSAGE(issued.has_value(),
                  (issued ? "" : issued.error().message + " " + issued.error().detail));
  return *issued;
}

signing::VerifyOptions receipt_options(const std::string& id) {
  signing::VerifyOptions options;
  options.expected_id = id;
  options.expected_element = "receipt";
  options.expected_namespace = "urn:motcua:receipt:1";
  options.require_xades = true;
  return options;
}

constexpr const char* kReceiptNode = "urn:motcua:receipt:1:receipt";

}  // namespace

TEST_CASE("Receipt (Form 01) validates against receipt.xsd before and after signing") {
  const auto doc = issue_receipt(judicial_dossier(), judicial_receipt_request());
  CHECK(doc.kind == engine::DocumentKind::kReceipt);
  CHECK(doc.id == "receipt-000.01.21.H57-261127-0007");
  CHECK(doc.media_type == "application/xml");
  CHECK(doc.agency_id == "000.00.04.H57");
  CHECK(doc.role == "desk");
  CHECK(schema_errors("receipt.xsd", doc.xml) == "");
  // The signature is the last child of the receipt; without it the document is still valid.
  const auto start = doc.xml.find("<ds:Signature");
  REQUIRE(start != std::string::npos);
  const auto end = doc.xml.find("</ds:Signature>");
  REQUIRE(end != std::string::npos);
  std::string unsigned_xml = doc.xml;
  unsigned_xml.erase(start, end + std::string("</ds:Signature>").size() - start);
  CHECK(schema_errors("receipt.xsd", unsigned_xml) == "");
  // The result schema does not accept a receipt.
  CHECK(schema_errors("result.xsd", doc.xml) != "");
}

TEST_CASE("Receipt carries the dossier code, due date, components and Vietnamese names verbatim") {
  const auto doc = issue_receipt(judicial_dossier(), judicial_receipt_request());
  CHECK(element_text(doc.xml, "title") == "Giấy tiếp nhận hồ sơ và hẹn trả kết quả");
  CHECK(attribute_value(doc.xml, "receipt", "form") == "01");
  CHECK(element_text(doc.xml, "dossier-code") == "000.01.21.H57-261127-0007");
  CHECK(element_text(doc.xml, "received") == "2026-11-27T09:30:00+07:00");
  CHECK(element_text(doc.xml, "due") == "2026-12-11T09:30:00+07:00");
  CHECK(element_text(doc.xml, "channel") == "desk");
  CHECK(element_text(doc.xml, "applicant") == "Nguyễn Thị Hồng Nhung");
  CHECK(element_text(doc.xml, "officer") == "Phan Thị Yến");
  CHECK(attribute_value(doc.xml, "officer", "login") == "police.desk");
  CHECK(attribute_value(doc.xml, "agency", "id") == "000.00.04.H57");
  // The concrete agency's name from the demo organisation, not the procedure's generic one.
  CHECK(attribute_value(doc.xml, "name", "vi") == "Công an tỉnh (demo)");
  CHECK(attribute_value(doc.xml, "procedure", "code") == "3.000333");
  CHECK(attribute_value(doc.xml, "component", "id") == "application");
  CHECK(attribute_value(doc.xml, "component", "originals") == "1");
  CHECK(attribute_value(doc.xml, "component", "digitised") == "false");
  CHECK(doc.xml.find("id=\"identity-document\" originals=\"0\" copies=\"1\" digitised=\"true\"") !=
        std::string::npos);
  CHECK(doc.xml.find(procedure("3.000333").component("identity-document")->name.vi) !=
        std::string::npos);
  auto digest = engine::sha256(doc.xml);
  REQUIRE(digest.has_value());
  CHECK(doc.sha256 == engine::to_hex(*digest));
}

TEST_CASE("Receipt says in Vietnamese and English when its appointment is provisional") {
  const auto firm = issue_receipt(judicial_dossier(), judicial_receipt_request());
  CHECK(firm.xml.find("due-provisional") == std::string::npos);
  engine::ReceiptRequest request = judicial_receipt_request();
  request.due_provisional = {*engine::parse_date("2027-02-09"), *engine::parse_date("2027-02-10")};
  const auto doc = issue_receipt(judicial_dossier(), request);
  CHECK(schema_errors("receipt.xsd", doc.xml) == "");
  CHECK(attribute_value(doc.xml, "note", "vi") == kProvisionalDueVi);
  CHECK(attribute_value(doc.xml, "note", "en") == kProvisionalDueEn);
  const auto first = doc.xml.find("<day>2027-02-09</day>");
  CHECK(first != std::string::npos);
  CHECK(doc.xml.find("<day>2027-02-10</day>", first) != std::string::npos);
  // The note follows the appointment it qualifies, and the signature covers it.
  CHECK(doc.xml.find("</due>") < doc.xml.find("<due-provisional>"));
  CHECK(doc.xml.find("<due-provisional>") < doc.xml.find("<officer"));
  const auto report = verifier().verify(doc.xml, receipt_options(doc.id));
  INFO(report.to_json());
  CHECK(report.valid());
  CHECK(report.signed_content.find(std::string(kProvisionalDueEn)) != std::string::npos);
  // Too many days cannot make a valid receipt.
  request.due_provisional.assign(367, *engine::parse_date("2027-02-09"));
  CHECK(issuer().issue_receipt(procedure("3.000333"), judicial_dossier(), request).error().code ==
        engine::ErrorCode::kInvalidInput);
}

TEST_CASE("Receipt escapes markup in text and stays valid") {
  auto request = judicial_receipt_request();
  request.applicant_name = "Trần <b>&amp;\"Bình\"</b> & 'Ngô' ]]>";
  const auto doc = issue_receipt(judicial_dossier(), request);
  CHECK(schema_errors("receipt.xsd", doc.xml) == "");
  CHECK(element_text(doc.xml, "applicant") == request.applicant_name);
  CHECK(doc.xml.find("<b>") == std::string::npos);
  CHECK(verifier().verify(doc.xml, receipt_options(doc.id)).valid());
}

TEST_CASE("Signed receipt verifies with signing::Verifier against the demo trust store") {
  const auto doc = issue_receipt(judicial_dossier(), judicial_receipt_request());
  const auto report = verifier().verify(doc.xml, receipt_options(doc.id));
  INFO(report.to_json());
  REQUIRE(report.valid());
  CHECK(report.reference_uri == "#receipt-000.01.21.H57-261127-0007");
  CHECK(report.revocation == "good");
  REQUIRE(report.signer.has_value());
  CHECK(report.signer->subject.find("OU=000.00.04.H57") != std::string::npos);
  CHECK(report.signer->subject.find("title=Bộ phận Một cửa") != std::string::npos);
  CHECK(report.chain.size() == 3);
  CHECK(report.signing_time == "2026-11-27T02:30:00Z");
  CHECK(report.signed_content.find("Nguyễn Thị Hồng Nhung") != std::string::npos);
}

TEST_CASE("Signed receipt verifies with the xmlsec1 command-line tool") {
  const auto doc = issue_receipt(judicial_dossier(), judicial_receipt_request());
  CHECK(xmlsec1_verifies(doc.xml, kReceiptNode));
}

TEST_CASE("Receipt with its due date changed after signing is refused (digest mismatch)") {
  const auto doc = issue_receipt(judicial_dossier(), judicial_receipt_request());
  const std::string tampered = replace_once(doc.xml, "<due>2026-12-11T09:30:00+07:00</due>",
                                            "<due>2026-12-25T09:30:00+07:00</due>");
  CHECK(schema_errors("receipt.xsd", tampered) == "");  // still a well-formed, valid receipt
  const auto report = verifier().verify(tampered, receipt_options(doc.id));
  REQUIRE_FALSE(report.valid());
  CHECK(report.error->code == signing::ErrorCode::kDigestMismatch);
  CHECK_FALSE(xmlsec1_verifies(tampered, kReceiptNode));
}

TEST_CASE("Receipt is refused by a verifier that trusts another PKI") {
  const auto doc = issue_receipt(judicial_dossier(), judicial_receipt_request());
  const std::string other = fresh_dir("other-pki");
  REQUIRE(run("'" + std::string(MOTCUA_SOURCE_DIR) + "/samples/pki/make-demo-keys' '" + other +
              "' '" + std::string(MOTCUA_SOURCE_DIR) + "/samples/demo/agencies.tsv' desk") == 0);
  auto foreign = signing::Verifier::create({{other + "/trust"}, {}, true});
  REQUIRE(foreign.has_value());
  const auto report = foreign->verify(doc.xml, receipt_options(doc.id));
  REQUIRE_FALSE(report.valid());
  CHECK(report.error->code == signing::ErrorCode::kUntrustedCertificate);
}

TEST_CASE("Receipt without a key for the receiving agency is kForbidden") {
  auto dossier = judicial_dossier();
  dossier.code = "000.09.21.H57-261127-0001";
  dossier.agency_ids["province-police"] = "000.09.21.H57";  // well-formed, no key configured
  auto issued = issuer().issue_receipt(procedure("3.000333"), dossier, judicial_receipt_request());
  REQUIRE_FALSE(issued.has_value());
  CHECK(issued.error().code == engine::ErrorCode::kForbidden);
  CHECK(issued.error().message.find("000.09.21.H57") != std::string::npos);
}

TEST_CASE("Receipt refuses input that cannot make a valid Form 01") {
  const auto& proc = procedure("3.000333");
  auto dossier = judicial_dossier();
  auto request = judicial_receipt_request();
  SUBCASE("no due date") { dossier.due.reset(); }
  SUBCASE("no reception instant") { request.received_at = {}; }
  SUBCASE("empty applicant") { request.applicant_name = "  "; }
  SUBCASE("applicant not UTF-8") { request.applicant_name = "Nguy\xE1\xBB"; }
  SUBCASE("overlong UTF-8") { request.applicant_name = "A\xC0\xAF"; }
  SUBCASE("control character") { request.applicant_name = std::string("Nguyễn\x01"); }
  SUBCASE("applicant too long") { request.applicant_name = std::string(5000, 'a'); }
  SUBCASE("component the procedure does not list") {
    request.components.push_back({"birth-certificate", false});
  }
  SUBCASE("component listed twice") { request.components.push_back({"application", true}); }
  SUBCASE("malformed dossier code") { dossier.code = "000.01.21.H57-2611-7"; }
  SUBCASE("dossier pinned to another procedure") { dossier.procedure_code = "1.001612"; }
  SUBCASE("no receiving agency id") {
    dossier.agency_ids.erase("province-police");  // the catalogue gives no default code
  }
  SUBCASE("officer without login") { request.officer.user.clear(); }
  auto issued = issuer().issue_receipt(proc, dossier, request);
  REQUIRE_FALSE(issued.has_value());
  CHECK(issued.error().code == engine::ErrorCode::kInvalidInput);
}

}  // namespace motcua::documents::test
