#include "signing/internal/streaming_c14n.hpp"

#include <algorithm>
#include <cstring>
#include <vector>

#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/strict_xml_lexer.hpp"

namespace motcua::signing::internal {
namespace {

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr std::string_view kXmlnsNs = "http://www.w3.org/2000/xmlns/";
constexpr int kLibxml2MaxDepth = 256;  // libxml2's own nesting limit without XML_PARSE_HUGE
constexpr long kNoNamespace = -1;
constexpr long kXmlNamespace = -2;

// string_view's operator== calls memcmp even for the empty prefixes that most names have.
bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

struct Declaration {
  std::string_view prefix;  // empty: the default namespace
  std::string uri;          // empty: xmlns="" (the default undeclared)
};

struct Attribute {
  std::string_view prefix, local, qname;
  std::string value;
  long ns = kNoNamespace;  // index into the scope, kNoNamespace, kXmlNamespace
  bool declaration = false;
};

struct Open {
  std::string_view qname;
  std::size_t scope_mark;
  std::size_t rendered_mark;
};

// The walk of Canonicalizer in exclusive_c14n.cpp, driven by the lexer instead of a tree, for an
// empty InclusiveNamespaces list: `scope_` holds the declarations in scope, `rendered_` those the
// output ancestors and the current element rendered or utilised.
class Streamer {
 public:
  Streamer(std::string_view xml, std::string_view id, const Limits& limits)
      : in_(xml),
        lex_(xml),
        id_(id),
        limits_(limits),
        max_depth_(std::min(limits.max_depth, kLibxml2MaxDepth)) {}

  bool document() {
    out_.reserve(in_.size());
    if (!lex_.xml_declaration() || !misc(false) || lex_.peek() != '<') return false;
    if (!start_tag()) return false;
    while (!open_.empty()) {
      const std::size_t text_at = lex_.pos();
      if (!lex_.text(active_ ? &out_ : nullptr) || lex_.at_end()) return false;
      if (lex_.pos() != text_at && !text_node(lex_.pos() - text_at)) return false;
      std::string* out = active_ ? &out_ : nullptr;
      bool ok = false;
      const std::size_t markup_at = lex_.pos();
      switch (lex_.peek(1)) {
        case '/':
          ok = end_tag();
          break;
        case '?':
          lex_.advance(2);
          ok = lex_.processing_instruction(out) && delimited_node(markup_at);
          break;
        case '!':
          if (lex_.accept("<!--")) {
            ok = lex_.comment() && delimited_node(markup_at);
          } else if (lex_.accept("<![CDATA[")) {
            ok = lex_.cdata(out) && delimited_node(markup_at);
          }
          break;
        default:
          ok = start_tag();
      }
      if (!ok) return false;
    }
    return misc(true) && lex_.at_end() && found_;
  }

  StreamedElement take() { return {std::move(out_), end_, target_qname_, std::move(ids_)}; }

 private:
  // Comments, PIs and white space around the document element; the PIs are rendered in the
  // whole-document case, separated from the document element by a line feed.
  bool misc(bool after_root) {
    for (;;) {
      lex_.skip_space();
      const std::size_t markup_at = lex_.pos();
      if (lex_.accept("<!--")) {
        if (!lex_.comment() || !delimited_node(markup_at)) return false;
      } else if (lex_.accept("<?")) {
        const bool render = id_.empty();
        if (render && after_root) out_ += '\n';
        if (!lex_.processing_instruction(render ? &out_ : nullptr)) return false;
        if (!delimited_node(markup_at)) return false;
        if (render && !after_root) out_ += '\n';
      } else {
        return true;
      }
    }
  }

  // The limits of the structural pre-scan (signing/xml_structure.hpp), which this path replaces:
  // a document over them goes to the libxml2 path, whose pre-scan names the limit.
  bool nodes(std::size_t n) {
    nodes_ += n;
    return nodes_ <= limits_.max_nodes;
  }
  bool text_node(std::size_t bytes) { return bytes <= limits_.max_text_bytes && nodes(1); }
  // A comment, PI or CDATA section that started at `at` (the lexer bounds it by kMaxToken).
  bool delimited_node(std::size_t at) { return text_node(lex_.pos() - at); }

  long lookup(std::string_view prefix) const {
    for (std::size_t i = scope_.size(); i-- > 0;) {
      if (same(scope_[i].prefix, prefix)) return static_cast<long>(i);
    }
    return kNoNamespace;
  }

  std::string_view uri_of(long ns) const {
    if (ns == kXmlNamespace) return kXmlNs;
    return ns == kNoNamespace ? std::string_view() : scope_[ns].uri;
  }

  bool absolute(const std::string& uri) {
    if (uri.empty() || uri == last_absolute_) return true;
    if (!is_absolute_namespace(reinterpret_cast<const xmlChar*>(uri.c_str()))) return false;
    last_absolute_ = uri;
    return true;
  }

  bool declare(const Attribute& a, std::size_t scope_mark) {
    const std::string_view prefix = a.prefix.empty() ? std::string_view() : a.local;
    if (prefix == "xml" || prefix == "xmlns" || a.value == kXmlNs || a.value == kXmlnsNs) {
      return false;
    }
    if (!prefix.empty() && a.value.empty()) return false;  // xmlns:p="" is not XML 1.0
    for (std::size_t i = scope_mark; i < scope_.size(); ++i) {
      if (same(scope_[i].prefix, prefix)) return false;
    }
    // URIs holding '&', '<' or '"' are refused (is_absolute_namespace), as on the libxml2 path.
    std::string uri(a.value);
    if (!absolute(uri)) return false;
    scope_.push_back({prefix, std::move(uri)});
    return true;
  }

  bool start_tag() {
    lex_.advance(1);  // '<'
    std::string_view prefix, local, qname;
    if (!lex_.qname(&prefix, &local, &qname)) return false;
    std::size_t count = 0, attributes = 0, declarations = 0;
    bool empty = false;
    std::size_t slash = 0;
    for (;;) {
      const bool space = lex_.skip_space();
      if (lex_.accept('>')) break;
      if (lex_.starts_with("/>")) {
        slash = lex_.pos();
        lex_.advance(2);
        empty = true;
        break;
      }
      if (!space) return false;
      if (count == attrs_.size()) attrs_.emplace_back();
      Attribute& a = attrs_[count++];
      if (!lex_.qname(&a.prefix, &a.local, &a.qname)) return false;
      lex_.skip_space();
      if (!lex_.accept('=')) return false;
      lex_.skip_space();
      const std::size_t value_at = lex_.pos();
      if (!lex_.attribute_value(&a.value)) return false;
      if (lex_.pos() - value_at - 2 > limits_.max_text_bytes) return false;
      a.declaration = a.prefix == "xmlns" || (a.prefix.empty() && a.local == "xmlns");
      if (++(a.declaration ? declarations : attributes) >
          (a.declaration ? limits_.max_namespace_declarations : limits_.max_attributes)) {
        return false;
      }
    }
    if (!nodes(1 + count)) return false;
    const std::size_t scope_mark = scope_.size();
    for (std::size_t i = 0; i < count; ++i) {
      if (attrs_[i].declaration && !declare(attrs_[i], scope_mark)) return false;
    }
    if (scope_.size() > limits_.max_namespaces_in_scope) return false;
    if (prefix == "xml" || prefix == "xmlns") return false;
    const long own = lookup(prefix);
    if (!prefix.empty() && own == kNoNamespace) return false;
    if (uri_of(own) == kDsigNs && local == "Signature") return false;  // already signed
    bool target = id_.empty() && open_.empty();
    for (std::size_t i = 0; i < count; ++i) {
      Attribute& a = attrs_[i];
      if (a.declaration) continue;
      a.ns = a.prefix.empty() ? kNoNamespace : a.prefix == "xml" ? kXmlNamespace : lookup(a.prefix);
      if (!a.prefix.empty() && a.ns == kNoNamespace) return false;
      for (std::size_t j = 0; j < i; ++j) {
        if (!attrs_[j].declaration && attrs_[j].local == a.local &&
            uri_of(attrs_[j].ns) == uri_of(a.ns)) {
          return false;
        }
      }
      const bool xml_id = a.ns == kXmlNamespace && a.local == "id";
      if (xml_id || (a.prefix.empty() && (a.local == "Id" || a.local == "ID" || a.local == "id"))) {
        if (!ids_.insert(a.value).second) return false;  // libxml2's path: kDuplicateId
        if (!xml_id && a.value.empty()) return false;    // xmlAddID refuses it: kDuplicateId
        if (!id_.empty() && a.value == id_) {
          if (xml_id) return false;
          target = true;
        }
      }
    }
    if (static_cast<int>(open_.size()) >= max_depth_) return false;
    if (target) {
      active_ = found_ = true;
      apex_depth_ = open_.size();
      target_qname_ = qname;
    }
    open_.push_back({qname, scope_mark, rendered_.size()});
    if (active_) render(qname, prefix, own, count);
    if (!empty) return true;
    return close(ElementEnd{slash, true});
  }

  bool end_tag() {
    const std::size_t lt = lex_.pos();
    lex_.advance(2);
    if (!lex_.accept_name(open_.back().qname)) return false;
    lex_.skip_space();
    return lex_.accept('>') && close(ElementEnd{lt, false});
  }

  bool close(const ElementEnd& end) {
    const Open& e = open_.back();
    if (active_) {
      out_ += "</";
      out_ += e.qname;
      out_ += '>';
    }
    scope_.resize(e.scope_mark);
    rendered_.resize(e.rendered_mark);
    open_.pop_back();
    if (active_ && open_.size() == apex_depth_) {
      active_ = false;
      end_ = end;
    }
    return true;
  }

  // Whether the nearest rendered declaration with the prefix of scope_[ns] has its URI; an absent
  // empty default counts as rendered.
  bool rendered(long ns) const {
    const Declaration& d = scope_[ns];
    for (std::size_t i = rendered_.size(); i-- > 0;) {
      if (same(scope_[rendered_[i]].prefix, d.prefix)) return same(scope_[rendered_[i]].uri, d.uri);
    }
    return d.prefix.empty() && d.uri.empty();
  }

  bool default_rendered_empty() const {
    for (std::size_t i = rendered_.size(); i-- > 0;) {
      if (scope_[rendered_[i]].prefix.empty()) return scope_[rendered_[i]].uri.empty();
    }
    return true;
  }

  void use(long ns) {
    if (!rendered(ns)) list_.push_back(ns);
    rendered_.push_back(ns);
  }

  void render(std::string_view qname, std::string_view prefix, long own, std::size_t count) {
    out_ += '<';
    out_ += qname;
    list_.clear();
    if (own != kNoNamespace) use(own);
    sorted_.clear();
    for (std::size_t i = 0; i < count; ++i) {
      if (attrs_[i].declaration) continue;
      sorted_.push_back(&attrs_[i]);
      if (attrs_[i].ns >= 0) use(attrs_[i].ns);
    }
    // An element in no namespace below an output ancestor that rendered a default namespace.
    if (own == kNoNamespace && prefix.empty() && !default_rendered_empty()) out_ += " xmlns=\"\"";
    std::stable_sort(list_.begin(), list_.end(),
                     [&](long a, long b) { return scope_[a].prefix < scope_[b].prefix; });
    for (long ns : list_) {
      out_ += " xmlns";
      if (!scope_[ns].prefix.empty()) {
        out_ += ':';
        out_ += scope_[ns].prefix;
      }
      out_ += "=\"";
      out_ += scope_[ns].uri;  // unescaped, as libxml2 and exclusive_c14n render it
      out_ += '"';
    }
    std::sort(sorted_.begin(), sorted_.end(), [&](const Attribute* a, const Attribute* b) {
      if ((a->ns == kNoNamespace) != (b->ns == kNoNamespace)) return a->ns == kNoNamespace;
      const int order = uri_of(a->ns).compare(uri_of(b->ns));
      return order != 0 ? order < 0 : a->local < b->local;
    });
    for (const Attribute* a : sorted_) {
      out_ += ' ';
      out_ += a->qname;
      out_ += "=\"";
      append_c14n_attribute_value(out_, a->value);
      out_ += '"';
    }
    out_ += '>';
  }

  std::string_view in_;
  StrictLexer lex_;
  std::string_view id_;
  const Limits& limits_;
  int max_depth_;
  std::size_t nodes_ = 0;
  std::vector<Declaration> scope_;
  std::vector<long> rendered_;
  std::vector<long> list_;
  std::vector<Open> open_;
  std::vector<Attribute> attrs_;
  std::vector<const Attribute*> sorted_;
  std::unordered_set<std::string> ids_;
  std::string last_absolute_;
  std::string out_;
  bool active_ = false;
  bool found_ = false;
  std::size_t apex_depth_ = 0;
  ElementEnd end_;
  std::string_view target_qname_;
};

}  // namespace

std::optional<StreamedElement> streaming_exclusive_c14n(std::string_view xml, std::string_view id,
                                                        const Limits& limits) {
  if (xml.empty() || xml.size() > limits.max_bytes) return std::nullopt;
  Streamer streamer(xml, id, limits);
  if (!streamer.document()) return std::nullopt;
  return streamer.take();
}

}  // namespace motcua::signing::internal
