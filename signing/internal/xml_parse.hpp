#pragma once
// Internal to signing/: the hardened parser every document goes through before any other code sees
// it, and small tree helpers.
#include <libxml/tree.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "signing/error.hpp"
#include "signing/internal/c_handles.hpp"
#include "signing/limits.hpp"

namespace motcua::signing::internal {

inline constexpr const char* kDsigNs = "http://www.w3.org/2000/09/xmldsig#";
inline constexpr const char* kXadesNs = "http://uri.etsi.org/01903/v1.3.2#";

// Where an element ends in the parsed bytes, so that text can be spliced into the original document
// instead of serialising the tree again.
struct ElementEnd {
  std::size_t tag = 0;  // offset of its end tag "</name>", or of the "/>" of an empty-element tag
  bool empty_tag = false;  // written as <name .../>
};

// Filled by parse_untrusted() for the document element and every element with an Id / ID / id /
// xml:id attribute. `transcoded`: the input was not UTF-8, so offsets into it are not recorded.
struct ElementEnds {
  bool transcoded = false;
  std::unordered_map<const xmlNode*, ElementEnd> by_node;
};

// Parses `xml` with no DTD (a DOCTYPE stops the parser at once: kDoctypeForbidden), no entities, no
// network, within `limits` checked before libxml2 runs (signing/xml_structure.hpp: kTooLarge,
// kTooDeep, kDocumentTooComplex), well-formed only (kMalformedXml), with namespace
// URIs that XML canonicalisation accepts (kMalformedXml otherwise). Registers the Id / ID / id
// attributes as XML IDs and refuses a value that appears twice (kDuplicateId). Small text nodes are
// stored compactly (XML_PARSE_COMPACT): the tree is for reading, callers do not modify it. With
// `ends`, records where elements end (see ElementEnds).
Result<XmlDoc> parse_untrusted(std::string_view xml, const Limits& limits,
                               ElementEnds* ends = nullptr);

// True when `node` is an element named `local` in namespace `ns`.
bool is_element(const xmlNode* node, const char* ns, const char* local);

// Next element sibling starting at `node` (itself included); nullptr when none. Sets `*text_seen`
// when non-whitespace text is skipped on the way.
xmlNode* element_from(xmlNode* node, bool* text_seen = nullptr);

// Attribute value without namespace, or nullopt-like empty flag.
bool get_attr(const xmlNode* node, const char* name, std::string* out);

// Text content of the node (all descendants).
std::string text_of(const xmlNode* node);

}  // namespace motcua::signing::internal
