#include <doctest/doctest.h>

#include <thread>

#include "tests/documents/fixture.hpp"

namespace motcua::documents::test {
namespace {

const engine::ResultDocument& certificate_1() {
  const auto& results = procedure("3.000333").results;
  REQUIRE(!results.empty());
  REQUIRE(results.front().id == "certificate-1");
  return results.front();
}

signing::VerifyOptions result_options(const std::string& id) {
  signing::VerifyOptions options;
  options.expected_id = id;
  options.expected_element = "result";
  options.expected_namespace = "urn:motcua:result:1";
  options.require_xades = true;
  return options;
}

engine::Result<engine::IssuedDocument> issue(const engine::Dossier& dossier,
                                             const engine::ResultRequest& request) {
  return issuer().issue_result(procedure("3.000333"), dossier, certificate_1(), request);
}

constexpr const char* kResultNode = "urn:motcua:result:1:result";

}  // namespace

TEST_CASE("Approved result validates against result.xsd and verifies (Verifier and xmlsec1)") {
  auto issued = issue(judicial_dossier(), judicial_result_request());
  REQUIRE_MESSAGE(issued.has_value(),
                  (issued ? "" : issued.error().message + " " + issued.error().detail));
  const auto& doc = *issued;
  CHECK(doc.kind == engine::DocumentKind::kResult);
  CHECK(doc.id == "result-000.01.21.H57-261127-0007-certificate-1");
  CHECK(doc.agency_id == "000.00.04.H57");
  CHECK(doc.role == "leader");
  CHECK(schema_errors("result.xsd", doc.xml) == "");
  CHECK(schema_errors("receipt.xsd", doc.xml) != "");
  CHECK(attribute_value(doc.xml, "document", "code") == "KQ.G01.000200");
  CHECK(doc.xml.find("Phiếu Lý lịch tư pháp số 1") != std::string::npos);
  CHECK(doc.xml.find("<approved/>") != std::string::npos);
  CHECK(element_text(doc.xml, "issued") == "2026-12-08T15:45:00+07:00");
  CHECK(element_text(doc.xml, "signer") == "Mai Văn Đức");
  CHECK(attribute_value(doc.xml, "signer", "role") == "leader");
  CHECK(attribute_value(doc.xml, "name", "vi") == "Công an tỉnh (demo)");

  const auto report = verifier().verify(doc.xml, result_options(doc.id));
  INFO(report.to_json());
  REQUIRE(report.valid());
  REQUIRE(report.signer.has_value());
  CHECK(report.signer->subject.find("OU=000.00.04.H57") != std::string::npos);
  CHECK(report.signer->subject.find("title=Lãnh đạo") != std::string::npos);
  CHECK(xmlsec1_verifies(doc.xml, kResultNode));
}

TEST_CASE("Refused result carries its reason and validates") {
  auto request = judicial_result_request();
  request.decision = engine::ResultDecision::kRefused;
  request.reason = "Người yêu cầu không thuộc đối tượng được cấp Phiếu số 1 theo Điều 7 Luật LLTP";
  auto issued = issue(judicial_dossier(), request);
  REQUIRE(issued.has_value());
  CHECK(schema_errors("result.xsd", issued->xml) == "");
  CHECK(element_text(issued->xml, "reason") == request.reason);
  CHECK(issued->xml.find("<approved/>") == std::string::npos);
  CHECK(verifier().verify(issued->xml, result_options(issued->id)).valid());
}

TEST_CASE("Result with its decision changed after signing is refused") {
  auto request = judicial_result_request();
  request.decision = engine::ResultDecision::kRefused;
  request.reason = "Hồ sơ không hợp lệ";
  auto issued = issue(judicial_dossier(), request);
  REQUIRE(issued.has_value());
  std::string tampered = replace_once(issued->xml, "<refused>", "<approved/><!--");
  tampered = replace_once(tampered, "</refused>", "-->");
  CHECK(schema_errors("result.xsd", tampered) == "");
  const auto report = verifier().verify(tampered, result_options(issued->id));
  REQUIRE_FALSE(report.valid());
  CHECK_FALSE(xmlsec1_verifies(tampered, kResultNode));
}

TEST_CASE("Result authorisation: agency, role and key") {
  auto dossier = judicial_dossier();
  auto request = judicial_result_request();
  SUBCASE("an agency that does not handle the dossier") {
    request.agency_id = "000.00.21.H57";  // has keys, but is not one of this dossier's agencies
    request.signer.agency_id = "000.00.21.H57";
  }
  SUBCASE("a signer of another role") { request.signer.role = "officer"; }
  SUBCASE("a signer of another agency") { request.signer.agency_id = "000.01.21.H57"; }
  SUBCASE("no key for the handling agency") {
    dossier.agency_ids["province-police"] = "000.00.09.H57";
    request.agency_id = "000.00.09.H57";
    request.signer.agency_id = "000.00.09.H57";
  }
  auto issued = issue(dossier, request);
  REQUIRE_FALSE(issued.has_value());
  CHECK(issued.error().code == engine::ErrorCode::kForbidden);
}

TEST_CASE("Result refuses a refusal without reason and results the procedure does not declare") {
  auto request = judicial_result_request();
  SUBCASE("refusal without reason") {
    request.decision = engine::ResultDecision::kRefused;
    request.reason = " \n";
    auto issued = issue(judicial_dossier(), request);
    REQUIRE_FALSE(issued.has_value());
    CHECK(issued.error().code == engine::ErrorCode::kReasonRequired);
  }
  SUBCASE("result of another procedure") {
    const auto& other = procedure("1.001612").results.front();
    auto issued = issuer().issue_result(procedure("3.000333"), judicial_dossier(), other, request);
    REQUIRE_FALSE(issued.has_value());
    CHECK(issued.error().code == engine::ErrorCode::kInvalidInput);
  }
  SUBCASE("declared id with another code") {
    auto forged = certificate_1();
    forged.code = "KQ.G01.999999";
    auto issued = issuer().issue_result(procedure("3.000333"), judicial_dossier(), forged, request);
    REQUIRE_FALSE(issued.has_value());
    CHECK(issued.error().code == engine::ErrorCode::kInvalidInput);
  }
  SUBCASE("no issue instant") {
    request.issued_at = {};
    auto issued = issue(judicial_dossier(), request);
    REQUIRE_FALSE(issued.has_value());
    CHECK(issued.error().code == engine::ErrorCode::kInvalidInput);
  }
}

TEST_CASE("Issuer signs from several threads at once; every document verifies") {
  constexpr int kThreads = 4;
  std::vector<std::string> documents(kThreads);
  std::vector<char> ok(kThreads, 0);
  const auto& proc = procedure("3.000333");
  const auto& result = certificate_1();
  const XmlDocumentIssuer& shared = issuer();
  const auto receipt_request = judicial_receipt_request();
  const auto result_request = judicial_result_request();
  const auto base = judicial_dossier();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto dossier = base;
      dossier.code = "000.01.21.H57-261127-000" + std::to_string(t);
      auto issued = t % 2 == 0 ? shared.issue_receipt(proc, dossier, receipt_request)
                               : shared.issue_result(proc, dossier, result, result_request);
      if (issued) {
        documents[t] = issued->xml;
        ok[t] = 1;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) {
    CAPTURE(t);
    REQUIRE(ok[t]);
    signing::VerifyOptions options;
    options.expected_id = (t % 2 == 0 ? "receipt-" : "result-") +
                          std::string("000.01.21.H57-261127-000") + std::to_string(t) +
                          (t % 2 == 0 ? "" : "-certificate-1");
    CHECK(verifier().verify(documents[t], options).valid());
  }
}

}  // namespace motcua::documents::test
