// Exclusive c14n written over the libxml2 tree (signing/internal/exclusive_c14n) against libxml2's
// own xmlC14NExecute as the oracle: byte for byte, on hand-picked edge cases and on a few hundred
// generated documents (namespaces declared, redeclared, undeclared and unused, xml:* attributes,
// attributes to sort across namespaces, characters to escape, CDATA, PIs, comments, whitespace,
// Vietnamese text), each canonicalised whole, as an apex subtree, with an excluded subtree and
// with InclusiveNamespaces prefix lists.
#include <doctest/doctest.h>
#include <libxml/c14n.h>
#include <libxml/xmlIO.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/xml_parse.hpp"
#include "tests/signing/fixture.hpp"
#include "tests/signing/xml_generator.hpp"

namespace motcua::signing::test {
namespace {

using internal::exclusive_c14n;

struct NodeSet {
  const xmlNode* apex;
  const xmlNode* excluded;
};

// The visibility test motcua used with libxml2's c14n before: inside the apex, outside the
// excluded subtree (one ancestor walk per node; fine for an oracle).
int oracle_visible(void* user, xmlNodePtr node, xmlNodePtr parent) {
  const auto* set = static_cast<const NodeSet*>(user);
  const xmlNode* n = node;
  if (node == nullptr || node->type == XML_NAMESPACE_DECL || node->type == XML_ATTRIBUTE_NODE)
    n = parent;
  bool inside = set->apex == nullptr;
  for (; n != nullptr; n = n->parent) {
    if (n == set->excluded) return 0;
    if (n == set->apex) inside = true;
  }
  return inside ? 1 : 0;
}

int append_out(void* context, const char* buffer, int len) {
  static_cast<std::string*>(context)->append(buffer, static_cast<std::size_t>(len));
  return len;
}

// libxml2's answer, or "<failed>".
std::string oracle(xmlDoc* doc, const xmlNode* apex, const xmlNode* excluded,
                   const std::string& prefixes) {
  std::vector<std::string> words;
  std::istringstream in(prefixes);
  for (std::string w; in >> w;) words.push_back(w);
  std::vector<xmlChar*> list;
  for (auto& w : words) list.push_back(reinterpret_cast<xmlChar*>(w.data()));
  list.push_back(nullptr);
  std::string out;
  xmlOutputBuffer* buffer = xmlOutputBufferCreateIO(append_out, nullptr, &out, nullptr);
  REQUIRE(buffer != nullptr);
  NodeSet set{apex, excluded};
  const int rc = xmlC14NExecute(doc, oracle_visible, &set, XML_C14N_EXCLUSIVE_1_0,
                                words.empty() ? nullptr : list.data(), 0, buffer);
  xmlOutputBufferClose(buffer);
  return rc < 0 ? "<failed>" : out;
}

std::string ours(xmlDoc* doc, const xmlNode* apex, const xmlNode* excluded,
                 const std::string& prefixes) {
  auto out = exclusive_c14n(doc, apex, excluded, prefixes);
  return out ? *out : "<failed>";
}

void quiet(void*, const char*, ...) {}

internal::XmlDoc parse(const std::string& xml) {
  auto doc = internal::parse_untrusted(xml, Limits{});
  REQUIRE_MESSAGE(doc.has_value(), xml << "\n" << (doc ? "" : doc.error().message));
  return std::move(*doc);
}

void elements_of(xmlNode* node, std::vector<xmlNode*>& out) {
  for (; node != nullptr; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    out.push_back(node);
    elements_of(node->children, out);
  }
}

xmlNode* element_named(xmlDoc* doc, const char* name) {
  std::vector<xmlNode*> all;
  elements_of(xmlDocGetRootElement(doc), all);
  for (xmlNode* e : all) {
    if (xmlStrEqual(e->name, reinterpret_cast<const xmlChar*>(name))) return e;
  }
  FAIL("no element " << name);
  return nullptr;
}

void check_same(xmlDoc* doc, const xmlNode* apex, const xmlNode* excluded,
                const std::string& prefixes, const std::string& source) {
  const std::string expected = oracle(doc, apex, excluded, prefixes);
  INFO("document: " << source);
  INFO("apex: " << (apex ? reinterpret_cast<const char*>(apex->name) : "(document)")
                << ", excluded: "
                << (excluded ? reinterpret_cast<const char*>(excluded->name) : "(none)")
                << ", prefixes: '" << prefixes << "'");
  CHECK(ours(doc, apex, excluded, prefixes) == expected);
}

}  // namespace

TEST_CASE("Exclusive c14n matches libxml2 on namespace edge cases") {
  const std::vector<std::string> docs = {
      // The default namespace undeclared below an element that rendered it, and re-declared.
      "<r xmlns=\"urn:d\"><a xmlns=\"\"><b/><c xmlns=\"urn:d\"/></a></r>",
      // A prefix redeclared with another URI, an unused declaration, attributes to sort.
      "<p:r xmlns:p=\"urn:p\" xmlns:q=\"urn:q\" xmlns:u=\"urn:unused\" q:z=\"1\" a=\"2\" "
      "p:a=\"3\"><p:s xmlns:p=\"urn:other\" q:y=\"4\"/><p:t/></p:r>",
      // xml:* attributes, which exclusive c14n does not inherit, and escaping everywhere.
      "<r xml:lang=\"vi\" xml:space=\"preserve\" v=\"&lt;&amp;&quot;&#9;&#10;&#13;>\">"
      "<s>&lt;&amp;&gt;&#13;<![CDATA[<&>]]></s><?pi a\r\nb?><!--c--></r>",
      // Two prefixes bound to one URI.
      "<a:r xmlns:a=\"urn:x:y\" xmlns:b=\"urn:x:y\" b:k=\"1\" a:j=\"2\"/>",
      // PIs and comments around the document element.
      "<?xml version=\"1.0\"?>\n<?before x?><!--c--><r/><?after?>\n<!--d-->",
      // An element in no namespace under a prefixed parent with a default namespace.
      "<p:r xmlns:p=\"urn:p\" xmlns=\"urn:d\"><e xmlns=\"\"><f/></e><g/></p:r>",
      "<dav xmlns:d=\"DAV:\" xmlns:u=\"urn:uuid:1234\"><d:x u:y=\"\"/></dav>",
  };
  const std::vector<std::string> prefix_lists = {"", "#default", "p q", "a #default b u", "xml"};
  for (const std::string& xml : docs) {
    auto doc = parse(xml);
    std::vector<xmlNode*> all;
    elements_of(xmlDocGetRootElement(doc.get()), all);
    for (const std::string& prefixes : prefix_lists) {
      check_same(doc.get(), nullptr, nullptr, prefixes, xml);
      for (xmlNode* apex : all) {
        check_same(doc.get(), apex, nullptr, prefixes, xml);
        for (xmlNode* excluded : all) check_same(doc.get(), apex, excluded, prefixes, xml);
      }
    }
  }
}

TEST_CASE("Exclusive c14n matches libxml2 on generated documents") {
  Generator generate(20260315);
  std::mt19937 rng(7);
  const char* lists[] = {"", "", "a", "#default", "a b #default", "c zz", "xml b"};
  int compared = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string xml = generate.document();
    auto doc = parse(xml);
    std::vector<xmlNode*> all;
    elements_of(xmlDocGetRootElement(doc.get()), all);
    const auto any = [&] { return all[rng() % all.size()]; };
    const std::string prefixes = lists[rng() % std::size(lists)];
    xmlNode* apex = any();
    std::vector<xmlNode*> below;
    elements_of(apex->children, below);
    xmlNode* inside = below.empty() ? nullptr : below[rng() % below.size()];
    check_same(doc.get(), nullptr, nullptr, prefixes, xml);
    check_same(doc.get(), nullptr, any(), prefixes, xml);
    check_same(doc.get(), apex, nullptr, prefixes, xml);
    check_same(doc.get(), apex, inside, prefixes, xml);
    compared += 4;
  }
  CHECK(compared == 1600);
}

TEST_CASE("Exclusive c14n refuses a relative namespace URI like libxml2") {
  // parse_untrusted refuses the document outright...
  for (const char* uri : {"relative/path", "uuid:1234", "#frag"}) {
    CAPTURE(uri);
    auto refused = internal::parse_untrusted(std::string("<r xmlns:p=\"") + uri + "\"/>", Limits{});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kMalformedXml);
  }
  const std::string xml = "<r><s xmlns:p=\"relative/path\"><p:t/></s></r>";
  // ...and a tree from elsewhere is refused by the canonicalisation itself, as by libxml2.
  internal::XmlDoc doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), nullptr, nullptr, XML_PARSE_NONET));
  REQUIRE(doc);
  xmlSetGenericErrorFunc(nullptr, quiet);  // libxml2 prints its refusal
  CHECK(oracle(doc.get(), nullptr, nullptr, "") == "<failed>");
  xmlSetGenericErrorFunc(nullptr, nullptr);
  auto ours_result = exclusive_c14n(doc.get(), element_named(doc.get(), "s"), nullptr);
  REQUIRE_FALSE(ours_result.has_value());
  CHECK(ours_result.error().code == ErrorCode::kLibrary);
}

}  // namespace motcua::signing::test
