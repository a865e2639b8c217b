// The Signer's streaming canonicaliser (signing/internal/streaming_c14n) against the libxml2 path
// it replaces in the common case (parse_untrusted + the tree-based internal::exclusive_c14n) as
// the oracle: byte for byte, the same end offset and name of the signed element, on generated
// and hand-picked documents, whole or Id-targeted; refusal of everything outside its subset, with
// the Signer then giving the libxml2 path's outcome; and random mutations, which must never crash
// it and must be either refused or canonicalised exactly as the oracle does.
#include "signing/internal/streaming_c14n.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/xml_parse.hpp"
#include "tests/signing/fixture.hpp"
#include "tests/signing/xml_generator.hpp"

namespace motcua::signing::test {
namespace {

using internal::streaming_exclusive_c14n;

struct Expected {
  std::string canonical;
  internal::ElementEnd end;
  std::string qname;
  std::vector<std::string> missing_ids;  // streamed Id values the tree does not know
};

bool has_signature(const xmlNode* node) {
  for (; node != nullptr; node = node->next) {
    if (internal::is_element(node, internal::kDsigNs, "Signature")) return true;
    if (node->type == XML_ELEMENT_NODE && has_signature(node->children)) return true;
  }
  return false;
}

// What the libxml2 path makes of the document, or nullopt when it would not sign it.
std::optional<Expected> oracle(const std::string& xml, const std::string& id,
                               const internal::StreamedElement* streamed) {
  internal::ElementEnds ends;
  auto doc = internal::parse_untrusted(xml, Limits{}, &ends);
  if (!doc || ends.transcoded) return std::nullopt;
  xmlNode* target = xmlDocGetRootElement(doc->get());
  if (!id.empty()) {
    xmlAttr* attr = xmlGetID(doc->get(), reinterpret_cast<const xmlChar*>(id.c_str()));
    if (attr == nullptr) return std::nullopt;
    target = attr->parent;
  }
  if (has_signature(xmlDocGetRootElement(doc->get()))) return std::nullopt;
  auto canonical = internal::exclusive_c14n(doc->get(), id.empty() ? nullptr : target, nullptr);
  const auto end = ends.by_node.find(target);
  if (!canonical || end == ends.by_node.end()) return std::nullopt;
  Expected e{*canonical, end->second, {}, {}};
  if (target->ns != nullptr && target->ns->prefix != nullptr) {
    e.qname = reinterpret_cast<const char*>(target->ns->prefix) + std::string(":");
  }
  e.qname += reinterpret_cast<const char*>(target->name);
  if (streamed != nullptr) {
    for (const std::string& v : streamed->ids) {
      if (xmlGetID(doc->get(), reinterpret_cast<const xmlChar*>(v.c_str())) == nullptr)
        e.missing_ids.push_back(v);
    }
  }
  return e;
}

// True when the streaming path handled the document; then it must agree with the oracle.
bool agrees(const std::string& xml, const std::string& id = {}) {
  const auto streamed = streaming_exclusive_c14n(xml, id, Limits{});
  if (!streamed) return false;
  INFO("document: " << xml);
  INFO("id: '" << id << "'");
  const auto expected = oracle(xml, id, &*streamed);
  REQUIRE_MESSAGE(expected.has_value(), "the streaming path accepted what libxml2's refuses");
  CHECK(streamed->canonical == expected->canonical);
  CHECK(streamed->end.tag == expected->end.tag);
  CHECK(streamed->end.empty_tag == expected->end.empty_tag);
  CHECK(streamed->qname == expected->qname);
  CHECK(expected->missing_ids.empty());
  return true;
}

}  // namespace

TEST_CASE("Streaming c14n matches the tree-based c14n on generated documents") {
  int handled = 0;
  int targets = 0;
  for (const GeneratorOptions options :
       {GeneratorOptions{}, GeneratorOptions{true, false}, GeneratorOptions{true, true}}) {
    Generator generate(20261127, options);
    for (int i = 0; i < 300; ++i) {
      const std::string xml = generate.document();
      handled += agrees(xml) ? 1 : 0;
      for (const std::string& id : generate.ids()) {
        ++targets;
        handled += agrees(xml, id) ? 1 : 0;
      }
    }
  }
  CHECK(targets > 300);
  CHECK(handled == 900 + targets);  // every generated document is inside the subset
}

TEST_CASE("Streaming c14n matches the tree-based c14n on hand-picked documents") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"<r a=\"x\r\ny\tz\nw\rv\" b='&#9;&#10;&#13;&#x20;'>l1\r\nl2\rl3\n</r>", ""},
      {"<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<!-- c --><?p1 d?>\r\n<r/><?p2?><!--e-->\n",
       ""},
      {"<?xml version='1.0'?><?a   ?><!----><r><?b  x  y ?><![CDATA[<&>\r\n]]]]><![CDATA[]]></r>",
       ""},
      {"<r>&#x1F600;&#233;&#xE9;&lt;&gt;&amp;&quot;&apos;Hồ sơ đăng ký kết hôn</r>", ""},
      {"<d:HoSo xmlns:d=\"urn:d\" xmlns=\"urn:x\"><d:Muc Id=\"m1\" a=\"1\"><Ten>Lê Văn Tám</Ten>"
       "<e xmlns=\"\"/></d:Muc><d:Muc ID=\"m2\"/></d:HoSo>",
       "m1"},
      {"<d:HoSo xmlns:d=\"urn:d\"><d:Muc Id=\"m1\"/><d:Muc ID=\"m2\"/></d:HoSo>", "m2"},
      {"<r xmlns:p=\"urn:p\"><p:s id=\"a\" p:k=\"v\" xml:lang=\"vi\"><p:t xmlns:p=\"urn:q\"/></p:s>"
       "</r>",
       "a"},
      {"<r xmlns=\"urn:d\"><a xmlns=\"\" Id=\"x\"><b/><c xmlns=\"urn:d\"/></a></r>", "x"},
      {"<r xmlns:a=\"urn:a:b\" xmlns:b=\"urn:a:b\" a:k=\"1\" b:j=\"2\" z=\"&lt;\"/>", ""},
      {"<r  \r\n  a = \"1\"\t>t</r\n>", ""},
      {"<?xml version=\"1.0\" standalone=\"yes\"?><r xml:id=\"i1\" Id=\"i2\"/>", "i2"},
      // Character references in namespace URIs are decoded.
      {"<r xmlns=\"urn:a&#x3A;b&apos;c\" xmlns:p=\"urn:p&#58;q\" p:a=\"&#38;\"/>", ""},
      {"<r xmlns:p=\"urn:p\" p:xmlns=\"1\" xmlnsx=\"2\">\r</r>", ""},
      {"<r><s Id=\"a&#9;b c\"/></r>", "a\tb c"},
      {"<r><s Id=\"a\tb\r\nc\"/></r>", "a b c"},
  };
  for (const auto& [xml, id] : cases) CHECK_MESSAGE(agrees(xml, id), xml);
  // The documents the other signing tests and the benchmark sign take the streaming path.
  CHECK(agrees(sample_document()));
  CHECK(agrees(sample_document(), "kq-1"));
}

TEST_CASE("Streaming c14n refuses what it does not handle and the Signer falls back") {
  const std::string deep = [] {
    std::string s;
    for (int i = 0; i < 65; ++i) s += "<e>";
    for (int i = 0; i < 65; ++i) s += "</e>";
    return s;
  }();
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"<!DOCTYPE r><r/>", ""},
      {"<!DOCTYPE r [<!ENTITY e \"x\">]><r>&e;</r>", ""},
      {"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><r>\xE9</r>", ""},
      {"<?xml version=\"1.1\"?><r/>", ""},
      {"<r>\xC3\x28</r>", ""},      // invalid UTF-8
      {"<r>\xED\xA0\x80</r>", ""},  // an encoded surrogate
      {"<r>\xEF\xBF\xBE</r>", ""},  // U+FFFE
      {"<r>&#0;</r>", ""},
      {"<r>&#xFFFF;</r>", ""},
      {"<r>&nbsp;</r>", ""},
      {"<r>\x01</r>", ""},
      {"<p:r/>", ""},  // undeclared prefix
      {"<r p:a=\"1\"/>", ""},
      {"<r a=\"1\" a=\"2\"/>", ""},
      {"<r xmlns:p=\"urn:x\" xmlns:q=\"urn:x\" p:a=\"1\" q:a=\"2\"/>", ""},
      {"<r><s></r>", ""},
      {"<r>]]></r>", ""},
      {"<r><!-- a -- b --></r>", ""},
      {"<r/><s/>", ""},
      {"<r/>text", ""},
      {"", ""},
      {deep, ""},
      {"<r xmlns:p=\"relative\"/>", ""},
      // Namespace URIs XML-DSig implementations render differently: refused on both paths.
      {"<r xmlns:p=\"urn:a&amp;b\"/>", ""},
      {"<r xmlns=\"urn:a&#38;b\"/>", ""},
      {"<r xmlns:p=\"urn:a&quot;b\"><p:s/></r>", ""},
      // Not namespace-well-formed: two attributes with one expanded name.
      {"<r xmlns:p=\"urn:x\" xmlns:q=\"urn:x\"><s p:a=\"1\" q:a=\"2\"/></r>", ""},
      {"<r><s Id=\"a\"/><t id=\"a\"/></r>", "a"},
      {"<r><s Id=\"a\"/><t id=\"a\"/></r>", ""},
      {"<r><s Id=\"a\"/></r>", "b"},
      {"<r xml:id=\"a\"/>", "a"},
      {"<r><e id=\"\"/></r>", ""},  // an empty Id, which libxml2 cannot register (fuzz)
      {"<r><ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/></r>", ""},
      {"<r>\xC3\xA9<\xC3\xA9/></r>", ""},  // a non-ASCII name: libxml2's to judge
      {"\xEF\xBB\xBF<r/>", ""},            // a byte order mark
  };
  const Signer signer = signer_for("so-tu-phap");
  for (const auto& [xml, id] : refused) {
    CAPTURE(xml);
    CAPTURE(id);
    CHECK_FALSE(streaming_exclusive_c14n(xml, id, Limits{}).has_value());
    // The Signer's outcome is the libxml2 path's: its parse error, the refusal of an already
    // signed document or an unknown Id, or a signature that verifies.
    SignOptions options;
    options.id = id;
    const auto signed_xml = signer.sign(xml, options);
    auto parsed = internal::parse_untrusted(xml, Limits{});
    if (!parsed) {
      REQUIRE_FALSE(signed_xml.has_value());
      CHECK(signed_xml.error().code == parsed.error().code);
    } else if (has_signature(xmlDocGetRootElement(parsed->get()))) {
      REQUIRE_FALSE(signed_xml.has_value());
      CHECK(signed_xml.error().code == ErrorCode::kMultipleSignatures);
    } else if (!id.empty() &&
               xmlGetID(parsed->get(), reinterpret_cast<const xmlChar*>(id.c_str())) == nullptr) {
      REQUIRE_FALSE(signed_xml.has_value());
      CHECK(signed_xml.error().code == ErrorCode::kIdNotFound);
    } else {
      REQUIRE_MESSAGE(signed_xml.has_value(), signed_xml.error().message);
      const auto report = verifier().verify(*signed_xml);
      CHECK_MESSAGE(report.valid(), report.to_json());
    }
  }
}

TEST_CASE("Streaming c14n survives mutated documents: refuses them or agrees with libxml2") {
  Generator generate(77, GeneratorOptions{true, true});
  std::mt19937 rng(4242);
  const char interesting[] = "<>&;/=\"'!?[]-:x \r\n\t\x80\xC3\xFF";
  int handled = 0;
  int mutations = 0;
  for (int i = 0; i < 600; ++i) {
    const std::string original = generate.document();
    const std::vector<std::string> ids = generate.ids();
    for (int m = 0; m < 12; ++m) {
      std::string xml = original;
      for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !xml.empty(); --edits) {
        const std::size_t at = rng() % xml.size();
        const char byte = rng() % 2 == 0 ? interesting[rng() % (sizeof interesting - 1)]
                                         : static_cast<char>(rng() % 256);
        switch (rng() % 3) {
          case 0:
            xml[at] = byte;
            break;
          case 1:
            xml.insert(at, 1, byte);
            break;
          default:
            xml.erase(at, 1);
        }
      }
      ++mutations;
      handled += agrees(xml) ? 1 : 0;
      if (!ids.empty()) handled += agrees(xml, ids[rng() % ids.size()]) ? 1 : 0;
    }
  }
  CHECK(mutations == 7200);
  CHECK(handled > 0);  // some mutations (in text, say) stay inside the subset
  MESSAGE("mutations handled by the streaming path: " << handled);
}

}  // namespace motcua::signing::test
