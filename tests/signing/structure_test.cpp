// The structural pre-scan (signing/xml_structure.hpp): every limit of signing/limits.hpp accepts
// a document at the limit and refuses one just over it with its code; the attacks of issue 12
// are refused by the Verifier and the Signer before libxml2 builds a tree (their timing is
// bench/signing/xml_bounds_bench's); markup hidden in CDATA, comments, PIs and attribute values
// is not counted, and input a parser could read differently from the scan is refused; on
// generated and mutated documents that libxml2 parses, the scan's counts are exactly its tree's.
#include <doctest/doctest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <optional>
#include <random>
#include <string>

#include "signing/xml_structure.hpp"
#include "tests/signing/fixture.hpp"
#include "tests/signing/xml_generator.hpp"

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

// What libxml2's tree holds, counted as the scan counts.
struct TreeCounts {
  std::size_t nodes = 0, attributes = 0, declarations = 0, in_scope = 0;
  int depth = 0;
};

void count(const xmlNode* node, int depth, std::size_t in_scope, TreeCounts& c) {
  for (; node != nullptr; node = node->next) {
    ++c.nodes;
    if (node->type != XML_ELEMENT_NODE) continue;
    std::size_t attributes = 0, declarations = 0;
    for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) ++attributes;
    for (const xmlNs* ns = node->nsDef; ns != nullptr; ns = ns->next) ++declarations;
    c.nodes += attributes + declarations;
    c.attributes = std::max(c.attributes, attributes);
    c.declarations = std::max(c.declarations, declarations);
    c.in_scope = std::max(c.in_scope, in_scope + declarations);
    c.depth = std::max(c.depth, depth);
    count(node->children, depth + 1, in_scope + declarations, c);
  }
}

// The counts of libxml2's tree, when it parses `xml` as well-formed.
std::optional<TreeCounts> tree_counts(const std::string& xml) {
  (void)verifier();  // the fixture's Library initialises libxml2
  xmlParserCtxtPtr parser = xmlNewParserCtxt();
  REQUIRE(parser != nullptr);
  xmlDocPtr doc = xmlCtxtReadMemory(
      parser, xml.data(), static_cast<int>(xml.size()), nullptr, nullptr,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
  const bool well_formed = doc != nullptr && parser->wellFormed != 0 && parser->nsWellFormed != 0;
  xmlFreeParserCtxt(parser);
  if (!well_formed) {
    xmlFreeDoc(doc);
    return std::nullopt;
  }
  TreeCounts c;
  count(doc->children, 1, 0, c);
  xmlFreeDoc(doc);
  return c;
}

// For a document libxml2 parses, the scan counts no less than libxml2's tree holds: each limit set
// one below the tree's figure refuses the document. Set to the tree's figures, the limits accept
// it, but for the node count where libxml2 merges adjacent CDATA sections into one node.
void scan_counts_like_libxml2(const std::string& xml) {
  const auto tree = tree_counts(xml);
  if (!tree) return;
  INFO(xml);
  Limits exact;
  exact.max_nodes = tree->nodes;
  exact.max_attributes = tree->attributes;
  exact.max_namespace_declarations = tree->declarations;
  exact.max_namespaces_in_scope = tree->in_scope;
  exact.max_depth = tree->depth;
  const auto at = scan(xml, exact);
  CHECK((at == std::nullopt ||
         (at == ErrorCode::kDocumentTooComplex && xml.find("]]><![CDATA[") != std::string::npos)));
  Limits fewer = exact;
  --fewer.max_nodes;
  CHECK(scan(xml, fewer) == ErrorCode::kDocumentTooComplex);
  if (tree->attributes > 0) {
    fewer = exact;
    --fewer.max_attributes;
    CHECK(scan(xml, fewer) == ErrorCode::kDocumentTooComplex);
  }
  if (tree->declarations > 0) {
    fewer = exact;
    --fewer.max_namespace_declarations;
    CHECK(scan(xml, fewer) == ErrorCode::kDocumentTooComplex);
    fewer = exact;
    --fewer.max_namespaces_in_scope;
    CHECK(scan(xml, fewer) == ErrorCode::kDocumentTooComplex);
  }
  fewer = exact;
  --fewer.max_depth;
  CHECK(scan(xml, fewer) == ErrorCode::kTooDeep);
}

}  // namespace

TEST_CASE("Structure scan counts what libxml2 builds, on generated and mutated documents") {
  Generator generate(12, GeneratorOptions{true, true});
  std::mt19937 rng(2026);
  const char interesting[] = "<>&;/=\"'!?[]-:x \r\n\t\x80\xC3\xFF";
  for (int i = 0; i < 300; ++i) {
    const std::string original = generate.document();
    REQUIRE(tree_counts(original).has_value());
    scan_counts_like_libxml2(original);
    // Inside another element, after a comment, a PI and CDATA holding markup.
    const std::string body =
        original.rfind("<?xml ", 0) == 0 ? original.substr(original.find("?>") + 2) : original;
    scan_counts_like_libxml2("<r><!-- c --><?p d?><![CDATA[<a b='1'>]]>" + body + "</r>");
    for (int m = 0; m < 8; ++m) {
      std::string xml = original;
      for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !xml.empty(); --edits) {
        const std::size_t at = rng() % xml.size();
        const char byte = interesting[rng() % (sizeof interesting - 1)];
        if (rng() % 2 == 0) {
          xml[at] = byte;
        } else {
          xml.insert(at, 1, byte);
        }
      }
      scan_counts_like_libxml2(xml);  // when libxml2 still parses it
    }
  }
}

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
