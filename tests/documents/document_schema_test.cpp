// DocumentSchema runs the structural pre-scan of signing/ (signing/xml_structure.hpp) before
// libxml2 parses a document: over a limit, the refusal names it; under it, the schema decides.
#include "documents/internal/document_schema.hpp"

#include <doctest/doctest.h>

#include <string>

#include "tests/documents/fixture.hpp"

namespace motcua::documents::test {
namespace {

std::string receipt_with(int attributes) {
  std::string xml = "<receipt xmlns=\"urn:motcua:receipt:1\"";
  for (int i = 0; i < attributes; ++i) xml += " a" + std::to_string(i) + "=\"v\"";
  return xml + "/>";
}

}  // namespace

TEST_CASE("DocumentSchema refuses a document over a structural limit before parsing it") {
  (void)issuer();  // the fixture's library guards initialise libxml2
  auto schema = DocumentSchema::load(std::string(MOTCUA_SOURCE_DIR) + "/schemas/receipt.xsd");
  REQUIRE(schema);
  auto over = schema->validate(receipt_with(65));
  REQUIRE_FALSE(over);
  CHECK(over.error().code == engine::ErrorCode::kInvalidInput);
  CHECK(over.error().message == "document: an element has more than 64 attributes");
  CHECK(over.error().detail == "document_too_complex");
  // At the limit the document reaches the schema, which has its own objections.
  auto at = schema->validate(receipt_with(64));
  REQUIRE_FALSE(at);
  CHECK(at.error().message.find("does not match the schema") != std::string::npos);
  std::string deep;
  for (int i = 0; i < 65; ++i) deep = "<a>" + deep + "</a>";
  auto too_deep = schema->validate(deep);
  REQUIRE_FALSE(too_deep);
  CHECK(too_deep.error().detail == "too_deep");
}

}  // namespace motcua::documents::test
