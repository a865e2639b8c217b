// libFuzzer target: the Signer's streaming canonicaliser and its strict XML lexer
// (signing/internal/streaming_c14n.hpp), differentially: whatever it accepts must be
// canonicalised byte for byte as the libxml2 path it stands in for (parse_untrusted +
// exclusive_c14n), with the same end offset and name of the element, else the target aborts.
//
// Input: the document, optionally preceded by a line "#ID\n" naming the Id of the element to
// canonicalise (no line: the whole document).
#include <libxml/tree.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/streaming_c14n.hpp"
#include "signing/internal/xml_parse.hpp"
#include "signing/library.hpp"

namespace {

using namespace motcua::signing;

bool has_signature(const xmlNode* node) {
  for (; node != nullptr; node = node->next) {
    if (internal::is_element(node, internal::kDsigNs, "Signature")) return true;
    if (node->type == XML_ELEMENT_NODE && has_signature(node->children)) return true;
  }
  return false;
}

// The libxml2 path's view of an input the streaming path accepted.
void compare_with_tree(std::string_view xml, const std::string& id,
                       const internal::StreamedElement& streamed) {
  internal::ElementEnds ends;
  auto doc = internal::parse_untrusted(xml, Limits{}, &ends);
  if (!doc || ends.transcoded) std::abort();  // the streaming path accepted what libxml2 refuses
  xmlNode* target = xmlDocGetRootElement(doc->get());
  if (!id.empty()) {
    xmlAttr* attr = xmlGetID(doc->get(), reinterpret_cast<const xmlChar*>(id.c_str()));
    if (attr == nullptr) std::abort();
    target = attr->parent;
  }
  if (has_signature(xmlDocGetRootElement(doc->get()))) std::abort();
  auto canonical = internal::exclusive_c14n(doc->get(), id.empty() ? nullptr : target, nullptr);
  const auto end = ends.by_node.find(target);
  if (!canonical || end == ends.by_node.end()) std::abort();
  if (*canonical != streamed.canonical) std::abort();
  if (end->second.tag != streamed.end.tag || end->second.empty_tag != streamed.end.empty_tag)
    std::abort();
  std::string qname;
  if (target->ns != nullptr && target->ns->prefix != nullptr)
    qname = reinterpret_cast<const char*>(target->ns->prefix) + std::string(":");
  qname += reinterpret_cast<const char*>(target->name);
  if (qname != streamed.qname) std::abort();
  for (const std::string& value : streamed.ids) {
    if (xmlGetID(doc->get(), reinterpret_cast<const xmlChar*>(value.c_str())) == nullptr)
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static Library* library = new Library();  // lives until exit, as main's
  if (!library->ok()) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  std::string id;
  if (!xml.empty() && xml.front() == '#') {
    const std::size_t line_end = xml.find('\n');
    if (line_end == std::string_view::npos) return 0;
    id = std::string(xml.substr(1, line_end - 1));
    xml.remove_prefix(line_end + 1);
  }
  const auto streamed = internal::streaming_exclusive_c14n(xml, id, Limits{});
  if (streamed) compare_with_tree(xml, id, *streamed);
  return 0;
}
