#include "workflows/xml_document.hpp"

#include <doctest/doctest.h>
#include <libxml/tree.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/workflows/test_support.hpp"

namespace motcua::workflows {
namespace {

// Parsing needs libxml2 initialised; the shared loader's guard does it once for the run.
tl::expected<XmlDocument, Diagnostic> parse(const std::string& text, XmlLimits limits = {}) {
  (void)testing::loader();
  return XmlDocument::parse(text, "test.xml", limits);
}

bool mentions(const Diagnostic& d, const std::string& text) {
  return d.message.find(text) != std::string::npos;
}

TEST_CASE("XmlDocument parses a plain UTF-8 document with its root and lines") {
  auto doc = parse("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a>\n  <b x=\"Đăng ký\"/>\n</a>");
  REQUIRE(doc);
  REQUIRE(doc->root() != nullptr);
  CHECK(std::string(reinterpret_cast<const char*>(doc->root()->name)) == "a");
  xmlNode* b = xmlFirstElementChild(doc->root());
  REQUIRE(b != nullptr);
  CHECK(xmlGetLineNo(b) == 3);
  CHECK(doc->source() == "test.xml");
}

TEST_CASE("XmlDocument refuses any DOCTYPE, even an empty one") {
  auto doc = parse("<?xml version=\"1.0\"?>\n<!DOCTYPE a>\n<a/>");
  REQUIRE_FALSE(doc);
  CHECK(mentions(doc.error(), "DOCTYPE"));
  CHECK(doc.error().line == 2);
  CHECK(doc.error().source == "test.xml");
}

TEST_CASE("XmlDocument refuses the billion laughs before expanding anything") {
  std::string text = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    text += " <!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j)
      text += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    text += "\">\n";
  }
  text += "]>\n<lolz>&lol9;</lolz>";
  auto doc = parse(text);
  REQUIRE_FALSE(doc);
  CHECK(mentions(doc.error(), "DOCTYPE"));
}

TEST_CASE("XmlDocument never reads an external entity such as file:///etc/passwd") {
  auto doc = parse(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE a [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
      "<a>&xxe;</a>");
  REQUIRE_FALSE(doc);
  CHECK(mentions(doc.error(), "DOCTYPE"));
  auto external = parse(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE a SYSTEM \"http://example.invalid/evil.dtd\">\n<a/>");
  REQUIRE_FALSE(external);
  CHECK(mentions(external.error(), "DOCTYPE"));
}

TEST_CASE("XmlDocument refuses an undeclared entity reference") {
  auto doc = parse("<a>&undeclared;</a>");
  REQUIRE_FALSE(doc);
  CHECK(doc.error().line == 1);
  CHECK(mentions(doc.error(), "undeclared"));
}

TEST_CASE("XmlDocument refuses a 50 MB document by its size before parsing") {
  std::string text = "<a>";
  text.append(50u * 1024 * 1024, 'x');
  text += "</a>";
  auto doc = parse(text);
  REQUIRE_FALSE(doc);
  CHECK(mentions(doc.error(), "more than the limit of 4 MiB"));
  CHECK(doc.error().line == 0);
}

TEST_CASE("XmlDocument refuses a file above the limit without reading it") {
  const auto path = std::filesystem::temp_directory_path() / "motcua-xml-document-big.xml";
  {
    std::ofstream out(path, std::ios::binary);
    out << "<a>" << std::string(5u * 1024 * 1024, 'x') << "</a>";
  }
  auto doc = XmlDocument::parse_file(path.string());
  std::filesystem::remove(path);
  REQUIRE_FALSE(doc);
  CHECK(mentions(doc.error(), "more than the limit"));
}

TEST_CASE("XmlDocument refuses 10,000-deep nesting at the depth limit") {
  std::string text;
  for (int i = 0; i < 10000; ++i) text += "<a>\n";
  for (int i = 0; i < 10000; ++i) text += "</a>";
  auto doc = parse(text);
  REQUIRE_FALSE(doc);
  CHECK(mentions(doc.error(), "more than 64 levels"));
  CHECK(doc.error().line == 65);
}

TEST_CASE("XmlDocument accepts nesting up to the depth limit") {
  std::string text;
  for (int i = 0; i < 64; ++i) text += "<a>";
  for (int i = 0; i < 64; ++i) text += "</a>";
  CHECK(parse(text));
  CHECK_FALSE(parse("<a><a><a></a></a></a>", XmlLimits{1024, 2}));
}

TEST_CASE("XmlDocument keeps libxml2's own limits: an attribute value over 10,000,000 bytes") {
  // Without XML_PARSE_HUGE; the limit of 16 MiB lets the document reach the parser.
  const XmlLimits limits{16 * 1024 * 1024, 64};
  CHECK(parse("<a v=\"" + std::string(9'000'000, 'x') + "\"/>", limits));
  auto doc = parse("<a v=\"" + std::string(10'000'001, 'x') + "\"/>", limits);
  REQUIRE_FALSE(doc);
  CHECK(mentions(doc.error(), "AttValue length too long"));
}

TEST_CASE("XmlDocument reports malformed XML with its line") {
  SUBCASE("mismatched tag") {
    auto doc = parse("<a>\n<b>\n</a>");
    REQUIRE_FALSE(doc);
    CHECK(doc.error().line == 3);
    CHECK_FALSE(doc.error().message.empty());
  }
  SUBCASE("unterminated") {
    auto doc = parse("<a>\n<b>");
    REQUIRE_FALSE(doc);
    CHECK(doc.error().line >= 2);
  }
  SUBCASE("text only") { CHECK_FALSE(parse("not xml at all")); }
  SUBCASE("empty") {
    auto doc = parse("");
    REQUIRE_FALSE(doc);
    CHECK(mentions(doc.error(), "empty"));
  }
}

TEST_CASE("XmlDocument refuses text that is not UTF-8") {
  SUBCASE("invalid UTF-8 bytes") {
    auto doc = parse("<a>caf\xE9 \xFF\xFE</a>");
    REQUIRE_FALSE(doc);
    CHECK(doc.error().line == 1);
  }
  SUBCASE("UTF-16 with a byte-order mark") {
    const std::string utf16("\xFF\xFE<\0a\0/\0>\0", 10);
    auto doc = parse(utf16);
    REQUIRE_FALSE(doc);
    CHECK(mentions(doc.error(), "not UTF-8"));
  }
  SUBCASE("another declared encoding") {
    auto doc = parse("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<a>caf\xE9</a>");
    REQUIRE_FALSE(doc);
    CHECK(mentions(doc.error(), "only UTF-8"));
  }
}

TEST_CASE("XmlDocument never processes XInclude") {
  auto doc = parse(
      "<a xmlns:xi=\"http://www.w3.org/2001/XInclude\"><xi:include href=\"file:///etc/passwd\" "
      "parse=\"text\"/></a>");
  REQUIRE(doc);
  xmlNode* include = xmlFirstElementChild(doc->root());
  REQUIRE(include != nullptr);
  CHECK(std::string(reinterpret_cast<const char*>(include->name)) == "include");
  CHECK(include->children == nullptr);
}

}  // namespace
}  // namespace motcua::workflows
