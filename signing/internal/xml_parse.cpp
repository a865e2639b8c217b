#include "signing/internal/xml_parse.hpp"

#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include <climits>
#include <unordered_set>

#include "signing/internal/exclusive_c14n.hpp"
#include "signing/xml_structure.hpp"

namespace motcua::signing::internal {
namespace {

struct ParseState {
  bool doctype = false;
  std::string_view input;
  ElementEnds* ends = nullptr;
};

// Called by libxml2 as soon as `<!DOCTYPE name ...` is read, before the internal subset (where
// entities live) is parsed: stop there.
void on_doctype(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  auto* parser = static_cast<xmlParserCtxtPtr>(ctx);
  static_cast<ParseState*>(parser->_private)->doctype = true;
  xmlStopParser(parser);
}

bool is_id_attribute(const xmlAttr* attr) {
  if (attr->ns != nullptr) return false;
  const auto* n = reinterpret_cast<const char*>(attr->name);
  return std::string_view(n) == "Id" || std::string_view(n) == "ID" || std::string_view(n) == "id";
}

bool is_xml_id(const xmlAttr* attr) {
  return attr->ns != nullptr && attr->ns->prefix != nullptr &&
         std::string_view(reinterpret_cast<const char*>(attr->ns->prefix)) == "xml" &&
         std::string_view(reinterpret_cast<const char*>(attr->name)) == "id";
}

bool carries_id(const xmlNode* node) {
  for (const xmlAttr* a = node->properties; a != nullptr; a = a->next) {
    if (is_id_attribute(a) || is_xml_id(a)) return true;
  }
  return false;
}

// Where the end tag that the parser has just consumed starts: the parser stands right after its
// '>', and an end tag holds no other '<'. Checked against the bytes, so a wrong position is never
// recorded.
bool locate_end(std::string_view in, std::size_t after, ElementEnd* end) {
  if (after < 2 || after > in.size() || in[after - 1] != '>') return false;
  if (in[after - 2] == '/') {
    *end = ElementEnd{after - 2, true};
    return true;
  }
  const std::size_t lt = in.rfind('<', after - 1);
  if (lt == std::string_view::npos || lt + 1 >= after || in[lt + 1] != '/') return false;
  *end = ElementEnd{lt, false};
  return true;
}

void on_end_element(void* ctx, const xmlChar* local, const xmlChar* prefix, const xmlChar* uri) {
  auto* parser = static_cast<xmlParserCtxtPtr>(ctx);
  auto* state = static_cast<ParseState*>(parser->_private);
  const xmlNode* node = parser->node;
  if (node != nullptr && node->parent != nullptr &&
      (node->parent->type == XML_DOCUMENT_NODE || carries_id(node))) {
    const bool transcoded = parser->input == nullptr || parser->input->buf == nullptr ||
                            parser->input->buf->encoder != nullptr;
    ElementEnd end;
    if (transcoded) {
      state->ends->transcoded = true;
    } else if (const long after = xmlByteConsumed(parser);
               after > 0 && locate_end(state->input, static_cast<std::size_t>(after), &end)) {
      state->ends->by_node[node] = end;
    }
  }
  xmlSAX2EndElementNs(ctx, local, prefix, uri);
}

}  // namespace

Result<XmlDoc> parse_untrusted(std::string_view xml, const Limits& limits, ElementEnds* ends) {
  if (xml.size() > limits.max_bytes || xml.size() > static_cast<std::size_t>(INT_MAX)) {
    return fail(ErrorCode::kTooLarge, "the document is larger than the limit of " +
                                          std::to_string(limits.max_bytes) + " bytes");
  }
  // Before libxml2 sees a byte: its costs grow faster than the input (see signing/limits.hpp).
  if (Status structure = check_xml_structure(xml, limits); !structure) {
    return tl::unexpected(structure.error());
  }
  XmlParserCtxt parser(xmlNewParserCtxt());
  if (!parser) return fail(ErrorCode::kLibrary, "cannot create an XML parser");
  ParseState state{false, xml, ends};
  parser->_private = &state;
  parser->sax->internalSubset = on_doctype;
  parser->sax->externalSubset = on_doctype;
  if (ends != nullptr) parser->sax->endElementNs = on_end_element;
  // Never XML_PARSE_HUGE: libxml2 2.9.14's own limits (256 levels, 10,000,000-byte attribute
  // values, 50,000-byte names) stay in force behind ours. It has none for attributes, nodes or a
  // text node read in one piece (xmlCtxtSetMaxAmplification is 2.11+, and moot without entities).
  constexpr int kOptions =
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT;
  XmlDoc doc(xmlCtxtReadMemory(parser.get(), xml.data(), static_cast<int>(xml.size()), nullptr,
                               nullptr, kOptions));
  if (state.doctype) {
    return fail(ErrorCode::kDoctypeForbidden,
                "the document contains a DOCTYPE declaration (DTDs and entities are refused)");
  }
  if (!doc || parser->wellFormed == 0 || parser->nsWellFormed == 0) {
    std::string detail;
    if (const xmlError* e = xmlCtxtGetLastError(parser.get()); e != nullptr && e->message) {
      detail = "libxml2: line " + std::to_string(e->line) + ": " + e->message;
      while (!detail.empty() && detail.back() == '\n') detail.pop_back();
    }
    return fail(ErrorCode::kMalformedXml, "the document is not well-formed XML", detail);
  }
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    return fail(ErrorCode::kDoctypeForbidden, "the document contains a DOCTYPE declaration");
  }
  xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return fail(ErrorCode::kMalformedXml, "the document has no root element");

  // One iterative walk: depth limit, namespace URIs, ID registration and uniqueness.
  std::unordered_set<std::string> ids;
  int depth = 1;
  xmlNode* node = root;
  while (node != nullptr) {
    if (node->type == XML_ELEMENT_NODE) {
      if (depth > limits.max_depth) {
        return fail(ErrorCode::kTooDeep, "the document nests elements deeper than " +
                                             std::to_string(limits.max_depth) + " levels");
      }
      for (const xmlNs* ns = node->nsDef; ns != nullptr; ns = ns->next) {
        if (!is_absolute_namespace(ns->href)) {
          return fail(ErrorCode::kMalformedXml,
                      "the document declares the namespace URI '" +
                          std::string(reinterpret_cast<const char*>(ns->href)) +
                          "', which is relative or holds '&', '<' or '\"' (XML canonicalisation "
                          "refuses the first; implementations render the others differently)");
        }
      }
      for (xmlAttr* attr = node->properties; attr != nullptr; attr = attr->next) {
        const bool xml_id = is_xml_id(attr);
        if (!xml_id && !is_id_attribute(attr)) continue;
        XmlChars value(xmlNodeListGetString(doc.get(), attr->children, 1));
        std::string v = value ? reinterpret_cast<const char*>(value.get()) : "";
        if (!ids.insert(v).second) {
          return fail(ErrorCode::kDuplicateId, "two elements carry the same Id '" + v + "'");
        }
        if (!xml_id && xmlAddID(nullptr, doc.get(), reinterpret_cast<const xmlChar*>(v.c_str()),
                                attr) == nullptr) {
          return fail(ErrorCode::kDuplicateId, "the Id '" + v + "' cannot be registered");
        }
      }
      if (node->children != nullptr) {
        node = node->children;
        ++depth;
        continue;
      }
    }
    while (node != nullptr && node->next == nullptr) {
      node = node->parent;
      --depth;
      if (node == root || node == nullptr || node->type == XML_DOCUMENT_NODE) {
        node = nullptr;
      }
    }
    if (node != nullptr) node = node->next;
  }
  return doc;
}

bool is_element(const xmlNode* node, const char* ns, const char* local) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr &&
         xmlStrEqual(node->ns->href, reinterpret_cast<const xmlChar*>(ns)) &&
         xmlStrEqual(node->name, reinterpret_cast<const xmlChar*>(local));
}

xmlNode* element_from(xmlNode* node, bool* text_seen) {
  for (; node != nullptr; node = node->next) {
    if (node->type == XML_ELEMENT_NODE) return node;
    if (text_seen != nullptr &&
        (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) &&
        xmlIsBlankNode(node) == 0) {
      *text_seen = true;
    }
  }
  return nullptr;
}

bool get_attr(const xmlNode* node, const char* name, std::string* out) {
  xmlAttr* attr = xmlHasNsProp(node, reinterpret_cast<const xmlChar*>(name), nullptr);
  if (attr == nullptr) return false;
  XmlChars value(xmlNodeListGetString(node->doc, attr->children, 1));
  *out = value ? reinterpret_cast<const char*>(value.get()) : "";
  return true;
}

std::string text_of(const xmlNode* node) {
  XmlChars value(xmlNodeGetContent(node));
  return value ? reinterpret_cast<const char*>(value.get()) : "";
}

}  // namespace motcua::signing::internal
