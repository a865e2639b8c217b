// The structural pre-scan (signing/xml_structure.hpp): every limit of signing/limits.hpp accepts
// a document at the limit and refuses one just over it with its code; the attacks of issue 12
// are refused by the Verifier and the Signer before libxml2 builds a tree (their timing is
// bench/signing/xml_bounds_bench's); markup hidden in CDATA, comments, PIs and attribute values
// is not counted, and input a parser could read differently from the scan is refused.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "signing/xml_structure.hpp"
#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

// <e a0="" a1="" ... /> with `n` attributes named `prefix`N.
std::string element(std::size_t n, const std::string& prefix = "a", const std::string& name = "e") {
  std::string xml = "<" + name;
  for (std::size_t i = 0; i < n; ++i) xml += " " + prefix + std::to_string(i) + "=\"v\"";
  return xml + "/>";
}

// xmlns:pN="urn:pN" declarations, numbered from `from`.
std::string declarations(std::size_t n, std::size_t from = 0) {
  std::string xml;
  for (std::size_t i = from; i < from + n; ++i) {
    xml += " xmlns:p" + std::to_string(i) + "=\"urn:p" + std::to_string(i) + "\"";
  }
  return xml;
}

// The refusal's code, or nullopt when the document is within the limits.
std::optional<ErrorCode> scan(const std::string& xml, const Limits& limits = {}) {
  const Status s = check_xml_structure(xml, limits);
  if (s) return std::nullopt;
  INFO(s.error().message << " / " << s.error().detail);
  return s.error().code;
}

std::string message_of(const std::string& xml, const Limits& limits = {}) {
  const Status s = check_xml_structure(xml, limits);
  return s ? "" : s.error().message;
}

ErrorCode verify_code(const std::string& xml) {
  auto report = verifier().verify(xml);
  INFO(report.to_json(false, true));
  REQUIRE_FALSE(report.valid());
  return report.error->code;
}

}  // namespace

TEST_CASE("Structure scan: each limit accepts a document at it and refuses one over it") {
  const Limits limits;
  SUBCASE("attributes on one element") {
    CHECK(scan(element(limits.max_attributes)) == std::nullopt);
    CHECK(scan(element(limits.max_attributes + 1)) == ErrorCode::kDocumentTooComplex);
    CHECK(message_of(element(65)) == "an element has more than 64 attributes");
    // Namespace declarations are counted apart.
    CHECK(scan("<e" + declarations(8) + element(64).substr(2)) == std::nullopt);
  }
  SUBCASE("namespace declarations on one element") {
    CHECK(scan("<e" + declarations(limits.max_namespace_declarations) + "/>") == std::nullopt);
    CHECK(scan("<e" + declarations(limits.max_namespace_declarations + 1) + "/>") ==
          ErrorCode::kDocumentTooComplex);
    CHECK(scan("<e xmlns=\"urn:d\"" + declarations(32) + "/>") == ErrorCode::kDocumentTooComplex);
    CHECK(message_of("<e" + declarations(33) + "/>") ==
          "an element declares more than 32 namespaces");
  }
  SUBCASE("namespace declarations in scope") {
    const std::string two_levels = "<e" + declarations(32) + "><f" + declarations(32, 32) + ">";
    CHECK(scan(two_levels + "<g/></f><f" + declarations(32, 32) + "/></e>") == std::nullopt);
    CHECK(scan(two_levels + "<g xmlns=\"urn:g\"/></f></e>") == ErrorCode::kDocumentTooComplex);
    CHECK(message_of(two_levels + "<g xmlns=\"urn:g\"/></f></e>") ==
          "an element has more than 64 namespace declarations in scope");
  }
  SUBCASE("depth") {
    std::string at, over;
    for (int i = 0; i < limits.max_depth; ++i) at = "<a>" + at + "</a>";
    over = "<a>" + at + "</a>";
    CHECK(scan(at) == std::nullopt);
    CHECK(scan(over) == ErrorCode::kTooDeep);
  }
  SUBCASE("nodes") {
    // The root, then elements and text runs: one node each.
    std::string at = "<r>";
    at.reserve(4 * limits.max_nodes + 8);
    for (std::size_t i = 1; i + 1 < limits.max_nodes; i += 2) at += "<a/>x";
    at += "<a/></r>";
    CHECK(scan(at) == std::nullopt);
    CHECK(scan(replace_once(at, "<r>", "<r x=\"1\">")) == ErrorCode::kDocumentTooComplex);
    CHECK(scan(replace_once(at, "<r>", "<r><!---->")) == ErrorCode::kDocumentTooComplex);
    CHECK(scan(replace_once(at, "<r>", "<r><?p?>")) == ErrorCode::kDocumentTooComplex);
    CHECK(scan(replace_once(at, "<r>", "<r><![CDATA[]]>")) == ErrorCode::kDocumentTooComplex);
    CHECK(message_of(replace_once(at, "<r>", "<r xmlns=\"urn:r\">"))
              .find("more than 1000000 nodes") != std::string::npos);
    // White space around the document element, and the XML declaration, are no nodes.
    CHECK(scan("<?xml version=\"1.0\"?>\n" + at + "\n") == std::nullopt);
  }
  SUBCASE("one text run, CDATA section, comment, PI or attribute value") {
    const std::string at(limits.max_text_bytes, 'x');
    const std::string over(limits.max_text_bytes + 1, 'x');
    CHECK(scan("<a>" + at + "</a>") == std::nullopt);
    CHECK(scan("<a>" + over + "</a>") == ErrorCode::kTooLarge);
    CHECK(scan("<a v=\"" + at + "\"/>") == std::nullopt);
    CHECK(scan("<a v=\"" + over + "\"/>") == ErrorCode::kTooLarge);
    CHECK(scan("<a><![CDATA[" + over + "]]></a>") == ErrorCode::kTooLarge);
    CHECK(scan("<a><!--" + over + "--></a>") == ErrorCode::kTooLarge);
    CHECK(scan("<a><?p " + over + "?></a>") == ErrorCode::kTooLarge);
    CHECK(message_of("<a>" + over + "</a>") == "a text node is larger than 8388608 bytes");
    // Two runs split by markup are two nodes, each within the limit.
    Limits small;
    small.max_text_bytes = 100;
    const std::string run(100, 'x');
    CHECK(scan("<a>" + run + "<b/>" + run + "</a>", small) == std::nullopt);
    CHECK(scan("<a>" + run + "<b/>x" + run + "</a>", small) == ErrorCode::kTooLarge);
  }
  SUBCASE("the whole document") {
    const std::string at = "<a>" + std::string(limits.max_bytes - 7, ' ') + "</a>";
    CHECK(at.size() == limits.max_bytes);
    Limits wide;
    wide.max_text_bytes = limits.max_bytes;
    CHECK(scan(at, wide) == std::nullopt);
    CHECK(scan(at + " ", wide) == ErrorCode::kTooLarge);
  }
}

TEST_CASE("Structure scan: the attacks of issue 12 are refused before libxml2 parses them") {
  SUBCASE("one element with 100,000 attributes (~1 MB)") {
    CHECK(verify_code(element(100000)) == ErrorCode::kDocumentTooComplex);
  }
  SUBCASE("16 MB of empty elements") {
    std::string xml = "<r>";
    while (xml.size() < 16 * 1024 * 1024 - 8) xml += "<a/>";
    CHECK(verify_code(xml + "</r>") == ErrorCode::kDocumentTooComplex);
  }
  SUBCASE("100,000 nested elements") {
    std::string xml;
    for (int i = 0; i < 100000; ++i) xml += "<a>";
    for (int i = 0; i < 100000; ++i) xml += "</a>";
    CHECK(verify_code(xml) == ErrorCode::kTooDeep);
  }
  SUBCASE("a 15 MB text node and a 15 MB attribute value") {
    CHECK(verify_code("<a>" + std::string(15 << 20, 'x') + "</a>") == ErrorCode::kTooLarge);
    CHECK(verify_code("<a v=\"" + std::string(15 << 20, 'x') + "\"/>") == ErrorCode::kTooLarge);
  }
  SUBCASE("100,000 namespace declarations on one element") {
    CHECK(verify_code("<e" + declarations(100000) + "/>") == ErrorCode::kDocumentTooComplex);
  }
  SUBCASE("the signer refuses them too, on its libxml2 path as on its streaming one") {
    auto over = signer_for("so-tu-phap").sign(element(65));
    REQUIRE_FALSE(over.has_value());
    CHECK(over.error().code == ErrorCode::kDocumentTooComplex);
    CHECK(signer_for("so-tu-phap").sign(element(64)).has_value());
    // Outside the streaming path's subset (an ISO-8859-1 document), same outcome.
    const std::string latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n";
    auto latin_over = signer_for("so-tu-phap").sign(latin1 + element(65));
    REQUIRE_FALSE(latin_over.has_value());
    CHECK(latin_over.error().code == ErrorCode::kDocumentTooComplex);
    CHECK(signer_for("so-tu-phap").sign(latin1 + element(64)).has_value());
  }
}

TEST_CASE("Structure scan: the valid documents motcua exchanges pass, signed or not") {
  CHECK(scan(sample_document()) == std::nullopt);
  auto signed_xml = signer_for("so-tu-phap").sign(sample_document());
  REQUIRE(signed_xml.has_value());
  CHECK(scan(*signed_xml) == std::nullopt);
  CHECK(verifier().verify(*signed_xml).valid());
  // An envelope carrying 6 MB of base64 in one text node.
  std::string envelope = "<Envelope xmlns=\"urn:edxml\"><Attachment>";
  while (envelope.size() < 6 * 1024 * 1024) envelope += std::string(76, 'A') + "\n";
  CHECK(scan(envelope + "</Attachment></Envelope>") == std::nullopt);
}

TEST_CASE(
    "Structure scan: markup inside CDATA, comments, PIs and attribute values is not counted") {
  Limits one;
  one.max_attributes = 1;
  const std::string hidden = "<x " + element(5).substr(3);  // five attributes, if it were a tag
  CHECK(scan("<r><![CDATA[" + hidden + "]]></r>", one) == std::nullopt);
  CHECK(scan("<r><!-- " + hidden + " --></r>", one) == std::nullopt);
  CHECK(scan("<r><?p " + hidden + "?></r>", one) == std::nullopt);
  CHECK(scan("<r a=\"> b='1' c='2'\"/>", one) == std::nullopt);
  CHECK(scan("<r a='\"' b=\"'\"/>", one) == ErrorCode::kDocumentTooComplex);
  CHECK(scan("<r>&lt;a b=\"1\" c=\"2\"&gt;</r>", one) == std::nullopt);
  CHECK(scan("<r>a > b ]] c</r>", one) == std::nullopt);
}

TEST_CASE("Structure scan: what a parser could read differently is refused, never guessed") {
  SUBCASE("malformed markup that libxml2 would parse past") {
    CHECK(scan("<r a=\"<b/>\"/>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r><!-- a -- b --></r>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r><!-- a ---></r>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r a=\"1\"b=\"2\"/>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r a=\"1\" <b/>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r a/>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r a=1/>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r></r x=\">\">") == ErrorCode::kMalformedXml);
    CHECK(scan("<r><a></b></r>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r/></r>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r>< a/></r>") == ErrorCode::kMalformedXml);
    CHECK(scan("<r><!ELEMENT r ANY></r>") == ErrorCode::kMalformedXml);
    CHECK(scan(std::string("<r>\0</r>", 8)) == ErrorCode::kMalformedXml);
    CHECK(scan("<!DOCTYPE r><r/>") == ErrorCode::kDoctypeForbidden);
  }
  SUBCASE("an XML declaration a parser would skip to its next '>'") {
    CHECK(scan("<?xml version=\"1.0\"?><r/>") == std::nullopt);
    CHECK(scan("<?xml version='1.0' encoding='utf-8' standalone='yes'?><r/>") == std::nullopt);
    CHECK(scan("<?xml version=\"1.0\" foo><r " + element(100).substr(3) + " ?>") ==
          ErrorCode::kMalformedXml);
    CHECK(scan("<?xml encoding=\"UTF-8\" version=\"1.0\"?><r/>") == ErrorCode::kMalformedXml);
    CHECK(scan("<?xml version=\"1.0\" encoding=\"?>\"?><r/>") == ErrorCode::kMalformedXml);
  }
  SUBCASE("encodings whose markup is not ASCII's bytes") {
    CHECK(scan("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\xE9</r>") == std::nullopt);
    CHECK(scan("<?xml version=\"1.0\" encoding=\"windows-1258\"?><r/>") == std::nullopt);
    CHECK(scan("<?xml version=\"1.0\" encoding=\"IBM037\"?><r/>") == ErrorCode::kMalformedXml);
    CHECK(scan("<?xml version=\"1.0\" encoding=\"UTF-16\"?><r/>") == ErrorCode::kMalformedXml);
    CHECK(scan(std::string("\x4C\x6F\xA7\x94", 4)) == ErrorCode::kMalformedXml);
    CHECK(scan(std::string("\x00\x00\x00\x3C", 4)) == ErrorCode::kMalformedXml);
  }
  SUBCASE("UTF-16 is scanned as 16-bit units") {
    const auto utf16le = [](const std::string& ascii) {
      std::string out = "\xFF\xFE";
      for (char c : ascii) out += std::string{c, '\0'};
      return out;
    };
    const auto utf16be = [](const std::string& ascii) {
      std::string out;
      for (char c : ascii) out += std::string{'\0', c};
      return out;
    };
    CHECK(scan(utf16le(element(64))) == std::nullopt);
    CHECK(scan(utf16le(element(65))) == ErrorCode::kDocumentTooComplex);
    const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>";
    CHECK(scan(utf16be(decl + element(64))) == std::nullopt);
    CHECK(scan(utf16be(decl + element(65))) == ErrorCode::kDocumentTooComplex);
    CHECK(verify_code(utf16be(decl + element(65))) == ErrorCode::kDocumentTooComplex);
    // A declared byte order other than the detected one would make the parser switch decoders.
    CHECK(scan(utf16le("<?xml version=\"1.0\" encoding=\"UTF-16BE\"?><r/>")) ==
          ErrorCode::kMalformedXml);
    CHECK(scan(utf16le("<r/>") + "x") == ErrorCode::kMalformedXml);
  }
  SUBCASE("input that ends inside a construct is left to the parser") {
    CHECK(scan("<r a=\"") == std::nullopt);
    CHECK(scan("<r><!-- ") == std::nullopt);
    CHECK(scan("<r") == std::nullopt);
    CHECK(verify_code("<r a=\"") == ErrorCode::kMalformedXml);
    CHECK(verify_code("") == ErrorCode::kMalformedXml);
  }
}

}  // namespace motcua::signing::test
