#include "signing/internal/exclusive_c14n.hpp"

#include <libxml/c14n.h>
#include <libxml/xmlIO.h>

#include <sstream>
#include <vector>

#include "signing/internal/c_handles.hpp"

namespace motcua::signing::internal {
namespace {

struct NodeSet {
  const xmlNode* apex;
  const xmlNode* excluded;
};

// libxml2 asks about every node, attribute and namespace node; for the latter two `parent` is
// their element. Visible: inside the apex (when there is one) and outside the excluded subtree.
int is_visible(void* user, xmlNodePtr node, xmlNodePtr parent) {
  const auto* set = static_cast<const NodeSet*>(user);
  const xmlNode* n = node;
  if (node == nullptr || node->type == XML_NAMESPACE_DECL || node->type == XML_ATTRIBUTE_NODE)
    n = parent;
  bool inside_apex = set->apex == nullptr;
  for (; n != nullptr; n = n->parent) {
    if (n == set->excluded) return 0;
    if (n == set->apex) inside_apex = true;
  }
  return inside_apex ? 1 : 0;
}

int append(void* context, const char* buffer, int len) {
  static_cast<std::string*>(context)->append(buffer, static_cast<std::size_t>(len));
  return len;
}

void free_output(xmlOutputBuffer* b) noexcept { xmlOutputBufferClose(b); }

}  // namespace

Result<std::string> exclusive_c14n(xmlDoc* doc, const xmlNode* apex, const xmlNode* excluded,
                                   const std::string& inclusive_prefixes) {
  std::vector<std::string> words;
  std::istringstream in(inclusive_prefixes);
  for (std::string w; in >> w;) words.push_back(w);  // libxml2 reads "#default" itself
  std::vector<xmlChar*> prefixes;
  for (auto& w : words) prefixes.push_back(reinterpret_cast<xmlChar*>(w.data()));
  prefixes.push_back(nullptr);

  std::string out;
  out.reserve(16 * 1024);
  CHandle<xmlOutputBuffer, free_output> buffer(
      xmlOutputBufferCreateIO(append, nullptr, &out, nullptr));
  if (!buffer) return fail(ErrorCode::kLibrary, "cannot create a c14n output buffer");
  NodeSet set{apex, excluded};
  const int rc = xmlC14NExecute(doc, is_visible, &set, XML_C14N_EXCLUSIVE_1_0,
                                words.empty() ? nullptr : prefixes.data(), 0, buffer.get());
  if (rc < 0 || xmlOutputBufferFlush(buffer.get()) < 0) {
    return fail(ErrorCode::kLibrary, "exclusive canonicalisation failed", take_library_errors());
  }
  buffer.reset();
  return out;
}

}  // namespace motcua::signing::internal
