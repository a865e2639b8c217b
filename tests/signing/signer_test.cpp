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
    INFO(report.to_json());
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
