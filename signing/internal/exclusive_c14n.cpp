#include "signing/internal/exclusive_c14n.hpp"

#include <libxml/uri.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "signing/internal/c_handles.hpp"

namespace motcua::signing::internal {
namespace {

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }
const char* C(const xmlChar* s) { return reinterpret_cast<const char*>(s); }

bool empty(const xmlChar* s) { return s == nullptr || *s == 0; }

// libxml2 stores the default namespace's prefix as NULL and an undeclared default as href "".
bool same(const xmlChar* a, const xmlChar* b) {
  if (a == b) return true;
  if (a == nullptr) return *b == 0;
  if (b == nullptr) return *a == 0;
  return xmlStrEqual(a, b) != 0;
}

bool is_xml_namespace(const xmlNs* ns) {
  return xmlStrEqual(ns->prefix, X("xml")) &&
         xmlStrEqual(ns->href, X("http://www.w3.org/XML/1998/namespace"));
}

enum class Escape { kText, kAttribute, kPi };

// The bytes each mode replaces (UTF-8 continuation bytes are never ASCII, so multi-byte characters
// pass through), found with strcspn, which also stops at the terminating NUL.
const char* special(Escape mode) {
  switch (mode) {
    case Escape::kText:
      return "&<>\r";
    case Escape::kAttribute:
      return "&<\"\t\n\r";
    case Escape::kPi:
      break;
  }
  return "\r";
}

const char* replacement(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    case '\t':
      return "&#x9;";
    case '\n':
      return "&#xA;";
    default:
      return "&#xD;";
  }
}

// `text` is NUL-terminated (libxml2 strings, std::string::c_str()).
void append_escaped(std::string& out, const char* text, Escape mode) {
  const char* reject = special(mode);
  for (;;) {
    const std::size_t run = std::strcspn(text, reject);
    out.append(text, run);
    text += run;
    if (*text == 0) return;
    out += replacement(*text++);
  }
}

void append(std::string& out, const xmlChar* s) {
  if (s != nullptr) out += C(s);
}

// The order of xmlC14NAttrsCompare: attributes without namespace first, then by namespace URI,
// then by local name.
bool attribute_before(const xmlAttr* a, const xmlAttr* b) {
  if (a->ns == b->ns) return xmlStrcmp(a->name, b->name) < 0;
  if (a->ns == nullptr || b->ns == nullptr) return a->ns == nullptr;
  if (a->ns->prefix == nullptr || b->ns->prefix == nullptr) return a->ns->prefix == nullptr;
  int order = xmlStrcmp(a->ns->href, b->ns->href);
  if (order == 0) order = xmlStrcmp(a->name, b->name);
  return order < 0;
}

// One canonicalisation. `rendered_` is the list of namespace declarations rendered (or, for
// attribute and element prefixes, utilised) by the output ancestors and the current element, in
// order; `scope_` the namespace declarations in scope. Both grow as the walk goes down an element
// and are cut back when it leaves, so no step looks at ancestors again.
class Canonicalizer {
 public:
  Canonicalizer(const xmlNode* excluded, const std::string& prefix_list) : excluded_(excluded) {
    std::size_t start = std::string::npos;
    for (std::size_t i = 0; i <= prefix_list.size(); ++i) {
      const bool space = i == prefix_list.size() || prefix_list[i] == ' ' ||
                         prefix_list[i] == '\t' || prefix_list[i] == '\r' || prefix_list[i] == '\n';
      if (!space && start == std::string::npos) start = i;
      if (space && start != std::string::npos) {
        words_.push_back(prefix_list.substr(start, i - start));
        start = std::string::npos;
      }
    }
    for (const std::string& w : words_)
      prefixes_.push_back(w == "#default" ? nullptr : X(w.c_str()));
    out_.reserve(4096);
  }

  Status document(const xmlDoc* doc) { return nodes(doc->children, 0, true); }

  Status subtree(const xmlNode* apex) {
    std::vector<const xmlNode*> ancestors;
    for (const xmlNode* n = apex; n != nullptr && n->type == XML_ELEMENT_NODE; n = n->parent) {
      if (n == excluded_) return {};  // the whole node-set is excluded
      if (n != apex) ancestors.push_back(n);
    }
    for (auto a = ancestors.rbegin(); a != ancestors.rend(); ++a) {
      for (const xmlNs* ns = (*a)->nsDef; ns != nullptr; ns = ns->next) scope_.push_back(ns);
    }
    return element(apex, 0);
  }

  std::string take() { return std::move(out_); }

 private:
  Status nodes(const xmlNode* n, std::size_t parent_start, bool top_level) {
    bool after_root = false;
    for (; n != nullptr; n = n->next) {
      switch (n->type) {
        case XML_ELEMENT_NODE:
          if (n == excluded_) break;
          if (auto s = element(n, parent_start); !s) return s;
          after_root = top_level;
          break;
        case XML_TEXT_NODE:
        case XML_CDATA_SECTION_NODE:
          if (n->content != nullptr) append_escaped(out_, C(n->content), Escape::kText);
          break;
        case XML_PI_NODE:  // outside the document element, separated from it by a line feed
          if (top_level && after_root) out_ += '\n';
          out_ += "<?";
          append(out_, n->name);
          if (!empty(n->content)) {
            out_ += ' ';
            append_escaped(out_, C(n->content), Escape::kPi);
          }
          out_ += "?>";
          if (top_level && !after_root) out_ += '\n';
          break;
        case XML_ATTRIBUTE_NODE:
        case XML_NAMESPACE_DECL:
        case XML_ENTITY_REF_NODE:
        case XML_ENTITY_NODE:
          return fail(ErrorCode::kLibrary, "exclusive canonicalisation failed",
                      "a node of type " + std::to_string(n->type) + " cannot be canonicalised");
        default:  // comments (c14n without comments), DTD nodes
          break;
      }
    }
    return {};
  }

  Status element(const xmlNode* e, std::size_t parent_start) {
    for (const xmlNs* ns = e->nsDef; ns != nullptr; ns = ns->next) {
      if (!is_absolute_namespace(ns->href)) {
        return fail(ErrorCode::kLibrary, "exclusive canonicalisation failed",
                    std::string("relative namespace URI '") + C(ns->href) + "'");
      }
    }
    const std::size_t scope_mark = scope_.size();
    const std::size_t mark = rendered_.size();
    for (const xmlNs* ns = e->nsDef; ns != nullptr; ns = ns->next) scope_.push_back(ns);
    out_ += '<';
    qname(e);
    namespaces(e, parent_start);
    attributes(e);
    out_ += '>';
    if (auto s = nodes(e->children, mark, false); !s) return s;
    out_ += "</";
    qname(e);
    out_ += '>';
    rendered_.resize(mark);
    scope_.resize(scope_mark);
    return {};
  }

  void qname(const xmlNode* e) {
    if (e->ns != nullptr && !empty(e->ns->prefix)) {
      append(out_, e->ns->prefix);
      out_ += ':';
    }
    append(out_, e->name);
  }

  // The namespace axis, with libxml2's bookkeeping (xmlExcC14NProcessNamespacesAxis): listed
  // prefixes are looked up among the parent's and this element's entries (inclusive c14n), the
  // prefixes the element and its attributes use among all output ancestors' entries.
  void namespaces(const xmlNode* e, std::size_t parent_start) {
    list_.clear();
    bool has_default = false;
    bool default_listed = false;
    for (const xmlChar* prefix : prefixes_) {
      default_listed = default_listed || prefix == nullptr;
      const xmlNs* ns = in_scope(prefix);
      if (ns == nullptr || is_xml_namespace(ns)) continue;
      use(ns, rendered(ns, parent_start), has_default);
    }
    const xmlNs* own = e->ns != nullptr ? e->ns : in_scope(nullptr);
    if (own != nullptr && !is_xml_namespace(own)) use(own, rendered(own, 0), has_default);
    for (const xmlAttr* a = e->properties; a != nullptr; a = a->next) {
      if (a->ns != nullptr && !is_xml_namespace(a->ns)) use(a->ns, rendered(a->ns, 0), has_default);
    }
    // An element in no namespace below an output ancestor that rendered a default namespace.
    if (!has_default && (e->ns == nullptr || default_listed) && !rendered(nullptr, 0)) {
      out_ += " xmlns=\"\"";
    }
    std::stable_sort(list_.begin(), list_.end(), [](const xmlNs* a, const xmlNs* b) {
      return xmlStrcmp(a->prefix, b->prefix) < 0;
    });
    for (const xmlNs* ns : list_) {
      out_ += " xmlns";
      if (ns->prefix != nullptr) {
        out_ += ':';
        append(out_, ns->prefix);
      }
      out_ += "=\"";
      append(out_, ns->href);  // as libxml2 renders it: unescaped
      out_ += '"';
    }
  }

  void use(const xmlNs* ns, bool already_rendered, bool& has_default) {
    rendered_.push_back(ns);
    if (!already_rendered) list_.push_back(ns);
    if (empty(ns->prefix)) has_default = true;
  }

  // Whether the nearest entry with the prefix of `ns` (nullptr: the empty default) at or above
  // `start` has the same URI; an absent empty default counts as rendered.
  bool rendered(const xmlNs* ns, std::size_t start) const {
    const xmlChar* prefix = ns != nullptr ? ns->prefix : nullptr;
    const xmlChar* href = ns != nullptr ? ns->href : nullptr;
    const bool empty_default = empty(prefix) && empty(href);
    if (empty_default) start = 0;
    for (std::size_t i = rendered_.size(); i-- > start;) {
      if (same(prefix, rendered_[i]->prefix)) return same(href, rendered_[i]->href);
    }
    return empty_default;
  }

  const xmlNs* in_scope(const xmlChar* prefix) const {
    if (prefix != nullptr && xmlStrEqual(prefix, X("xml"))) return nullptr;
    for (std::size_t i = scope_.size(); i-- > 0;) {
      if (same(prefix, scope_[i]->prefix) && (prefix != nullptr || scope_[i]->href != nullptr))
        return scope_[i];
    }
    return nullptr;
  }

  void attributes(const xmlNode* e) {
    attrs_.clear();
    for (const xmlAttr* a = e->properties; a != nullptr; a = a->next) attrs_.push_back(a);
    std::sort(attrs_.begin(), attrs_.end(), attribute_before);
    for (const xmlAttr* a : attrs_) {
      out_ += ' ';
      if (a->ns != nullptr && !empty(a->ns->prefix)) {
        append(out_, a->ns->prefix);
        out_ += ':';
      }
      append(out_, a->name);
      out_ += "=\"";
      const xmlNode* value = a->children;
      if (value != nullptr && value->type == XML_TEXT_NODE && value->next == nullptr) {
        if (value->content != nullptr) append_escaped(out_, C(value->content), Escape::kAttribute);
      } else if (value != nullptr) {
        XmlChars joined(xmlNodeListGetString(e->doc, value, 1));
        if (joined) append_escaped(out_, C(joined.get()), Escape::kAttribute);
      }
      out_ += '"';
    }
  }

  const xmlNode* excluded_;
  std::vector<std::string> words_;
  std::vector<const xmlChar*> prefixes_;  // nullptr: #default
  std::vector<const xmlNs*> rendered_;
  std::vector<const xmlNs*> scope_;
  std::vector<const xmlNs*> list_;     // scratch: this element's declarations to render
  std::vector<const xmlAttr*> attrs_;  // scratch: this element's attributes
  std::string out_;
};

}  // namespace

bool is_absolute_namespace(const xmlChar* href) {
  if (empty(href)) return true;
  // '&', '<' and '"' are rendered differently by XML-DSig implementations (libxml2 keeps an '&'
  // as "&#38;", others decode or escape it): signatures over such URIs do not interoperate.
  if (std::strpbrk(reinterpret_cast<const char*>(href), "&<\"") != nullptr) return false;
  XmlUri uri(xmlParseURI(C(href)));
  if (!uri || uri->scheme == nullptr || *uri->scheme == 0) return false;
  const auto* scheme = X(uri->scheme);
  return xmlStrcasecmp(scheme, X("urn")) == 0 || xmlStrcasecmp(scheme, X("dav")) == 0 ||
         (uri->server != nullptr && *uri->server != 0);
}

void append_c14n_attribute_value(std::string& out, const std::string& text) {
  append_escaped(out, text.c_str(), Escape::kAttribute);
}

Result<std::string> exclusive_c14n(xmlDoc* doc, const xmlNode* apex, const xmlNode* excluded,
                                   const std::string& inclusive_prefixes) {
  Canonicalizer c14n(excluded, inclusive_prefixes);
  Status s = apex == nullptr ? c14n.document(doc) : c14n.subtree(apex);
  if (!s) return tl::unexpected(s.error());
  return c14n.take();
}

}  // namespace motcua::signing::internal
