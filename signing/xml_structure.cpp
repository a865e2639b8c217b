#include "signing/xml_structure.hpp"

#include <cstring>
#include <string>
#include <vector>

namespace motcua::signing {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// UTF-8 or an ASCII-compatible 8-bit encoding: markup characters are single bytes.
struct Bytes {
  static constexpr std::size_t kWidth = 1;
  std::string_view s;
  std::size_t size() const { return s.size(); }
  unsigned at(std::size_t i) const { return static_cast<unsigned char>(s[i]); }
  // First `c` in [from, to), kNone when none.
  std::size_t find(unsigned c, std::size_t from, std::size_t to) const {
    if (from >= to) return kNone;
    const void* p = std::memchr(s.data() + from, static_cast<int>(c), to - from);
    return p == nullptr ? kNone : static_cast<std::size_t>(static_cast<const char*>(p) - s.data());
  }
};

// UTF-16 code units: markup characters are units below 0x80.
struct Utf16 {
  static constexpr std::size_t kWidth = 2;
  std::string_view s;  // an even number of bytes
  bool big_endian = false;
  std::size_t size() const { return s.size() / 2; }
  unsigned at(std::size_t i) const {
    const auto a = static_cast<unsigned char>(s[2 * i]);
    const auto b = static_cast<unsigned char>(s[2 * i + 1]);
    return big_endian ? (a << 8 | b) : (b << 8 | a);
  }
  std::size_t find(unsigned c, std::size_t from, std::size_t to) const {
    for (std::size_t i = from; i < to; ++i) {
      if (at(i) == c) return i;
    }
    return kNone;
  }
};

bool is_space(unsigned c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// What may stand in a name for counting purposes: anything but white space and the characters
// that delimit the parts of a tag. Wider than XML's Name on purpose: whatever libxml2 refuses
// inside it, it refuses before any markup that the scan would not see.
bool is_name(unsigned c) {
  return !is_space(c) && c != '=' && c != '>' && c != '/' && c != '<' && c != '"' && c != '\'';
}

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return s;
}

// Declared encodings under which the bytes' ASCII characters are the document's markup.
bool ascii_compatible(const std::string& name) {
  const std::string e = lower(name);
  return e == "utf-8" || e == "utf8" || e == "us-ascii" || e == "ascii" || e == "latin1" ||
         e.rfind("iso-8859-", 0) == 0 || e.rfind("iso8859-", 0) == 0 ||
         e.rfind("windows-125", 0) == 0 || e.rfind("cp125", 0) == 0;
}

template <class Units>
class Scanner {
 public:
  Scanner(Units in, std::size_t offset, const Limits& limits)
      : in_(in), n_(in.size()), offset_(offset), limits_(limits) {}

  Status run() {
    open_.resize(static_cast<std::size_t>(limits_.max_depth > 0 ? limits_.max_depth : 0) + 2);
    if (Status s = declaration(); !s) return s;
    while (pos_ < n_) {
      if (Status s = step(); !s) return s;
    }
    return {};
  }

 private:
  Status step() {
    if (in_.at(pos_) != '<') return text();
    if (starts("<!--")) return comment();
    if (starts("<![CDATA[")) return delimited(9, "]]>");
    if (starts("<?")) return delimited(2, "?>");
    if (starts("<!DOCTYPE")) {
      return fail(ErrorCode::kDoctypeForbidden,
                  "the document contains a DOCTYPE declaration (DTDs and entities are refused)");
    }
    if (starts("<!")) return malformed("'<!' starts no comment or CDATA section");
    if (starts("</")) return end_tag();
    return start_tag();
  }

  struct Open {
    std::size_t name = 0, length = 0;  // the start tag's name, for its end tag
    std::size_t declarations = 0;      // namespace declarations it brought into scope
  };

  bool starts(std::string_view s) const { return starts_at(pos_, s); }
  bool starts_at(std::size_t at, std::string_view s) const {
    if (n_ - at < s.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (in_.at(at + i) != static_cast<unsigned char>(s[i])) return false;
    }
    return true;
  }
  bool skip_space() {
    const std::size_t start = pos_;
    while (pos_ < n_ && is_space(in_.at(pos_))) ++pos_;
    return pos_ != start;
  }
  std::size_t name_run() {
    const std::size_t start = pos_;
    while (pos_ < n_ && is_name(in_.at(pos_))) ++pos_;
    return pos_ - start;
  }
  // The input ends inside a construct: what little is left is libxml2's to report.
  Status end_of_input() {
    pos_ = n_;
    return {};
  }
  tl::unexpected<Error> malformed(const std::string& why) const {
    return fail(
        ErrorCode::kMalformedXml, "the document is not well-formed XML",
        "structure scan: byte " + std::to_string(offset_ + pos_ * Units::kWidth) + ": " + why);
  }
  Status node() {
    if (++nodes_ > limits_.max_nodes) {
      return fail(ErrorCode::kDocumentTooComplex,
                  "the document has more than " + std::to_string(limits_.max_nodes) +
                      " nodes (elements, attributes, namespace declarations, text, comments, "
                      "processing instructions)");
    }
    return {};
  }
  Status sized(std::size_t units, const char* what) const {
    if (units * Units::kWidth > limits_.max_text_bytes) {
      return fail(ErrorCode::kTooLarge, std::string(what) + " is larger than " +
                                            std::to_string(limits_.max_text_bytes) + " bytes");
    }
    return {};
  }

  Status text() {
    std::size_t end = in_.find('<', pos_, n_);
    if (end == kNone) end = n_;
    if (Status s = sized(end - pos_, "a text node"); !s) return s;
    bool blank = depth_ == 0;  // white space around the document element makes no node
    for (std::size_t i = pos_; blank && i < end; ++i) blank = is_space(in_.at(i));
    pos_ = end;
    return blank ? Status{} : node();
  }

  // From "<!--", "<![CDATA[" or "<?" (`open` units) to the first `close`.
  Status delimited(std::size_t open, std::string_view close) {
    const std::size_t from = pos_ + open;
    std::size_t at = from;
    for (;;) {
      at = in_.find(static_cast<unsigned char>(close[0]), at, n_);
      if (at == kNone) return end_of_input();
      if (starts_at(at, close)) break;
      ++at;
    }
    if (Status s = sized(at - from, "a comment, CDATA section or processing instruction"); !s)
      return s;
    pos_ = at + close.size();
    return node();
  }

  // A parser ends a comment at its first "-->" and merely complains about a "--" before it; the
  // scan refuses that "--", so that both agree where the comment ends.
  Status comment() {
    if (Status s = delimited(4, "--"); !s || pos_ >= n_) return s;
    if (in_.at(pos_) != '>') return malformed("'--' inside a comment");
    ++pos_;
    return {};
  }

  Status start_tag() {
    ++pos_;  // '<'
    const std::size_t name = pos_;
    const std::size_t length = name_run();
    if (length == 0)
      return pos_ >= n_ ? end_of_input() : malformed("'<' is not followed by a name");
    if (++depth_ > limits_.max_depth) {
      return fail(ErrorCode::kTooDeep, "the document nests elements deeper than " +
                                           std::to_string(limits_.max_depth) + " levels");
    }
    if (Status s = node(); !s) return s;
    std::size_t attributes = 0, declarations = 0;
    for (;;) {
      const bool space = skip_space();
      if (pos_ >= n_) return end_of_input();
      const unsigned c = in_.at(pos_);
      if (c == '>') {
        ++pos_;
        open_[static_cast<std::size_t>(depth_)] = {name, length, declarations};
        return {};
      }
      if (c == '/') {
        if (pos_ + 1 >= n_) return end_of_input();
        if (in_.at(pos_ + 1) != '>') return malformed("'/' inside a start tag");
        pos_ += 2;
        in_scope_ -= declarations;
        --depth_;
        return {};
      }
      if (!space) return malformed("attributes not separated by white space");
      const std::size_t attribute = pos_;
      const std::size_t attribute_length = name_run();
      if (attribute_length == 0) return malformed("a start tag holds '<', a quote or '='");
      const bool declaration = (attribute_length == 5 && starts_at(attribute, "xmlns")) ||
                               (attribute_length > 6 && starts_at(attribute, "xmlns:"));
      skip_space();
      if (pos_ >= n_) return end_of_input();
      if (in_.at(pos_) != '=') return malformed("an attribute name is not followed by '='");
      ++pos_;
      skip_space();
      if (pos_ >= n_) return end_of_input();
      const unsigned quote = in_.at(pos_);
      if (quote != '"' && quote != '\'') return malformed("an attribute value is not quoted");
      const std::size_t from = pos_ + 1;
      const std::size_t to = in_.find(quote, from, n_);
      if (to == kNone) return end_of_input();
      if (in_.find('<', from, to) != kNone) {
        pos_ = in_.find('<', from, to);
        return malformed("'<' inside an attribute value");
      }
      if (Status s = sized(to - from, "an attribute value"); !s) return s;
      pos_ = to + 1;
      if (declaration) {
        if (++declarations > limits_.max_namespace_declarations) {
          return fail(ErrorCode::kDocumentTooComplex,
                      "an element declares more than " +
                          std::to_string(limits_.max_namespace_declarations) + " namespaces");
        }
        if (++in_scope_ > limits_.max_namespaces_in_scope) {
          return fail(ErrorCode::kDocumentTooComplex,
                      "an element has more than " +
                          std::to_string(limits_.max_namespaces_in_scope) +
                          " namespace declarations in scope");
        }
      } else if (++attributes > limits_.max_attributes) {
        return fail(
            ErrorCode::kDocumentTooComplex,
            "an element has more than " + std::to_string(limits_.max_attributes) + " attributes");
      }
      if (Status s = node(); !s) return s;
    }
  }

  Status end_tag() {
    pos_ += 2;  // "</"
    const std::size_t name = pos_;
    const std::size_t length = name_run();
    skip_space();
    if (pos_ >= n_) return end_of_input();
    if (length == 0 || in_.at(pos_) != '>') return malformed("an end tag holds more than a name");
    if (depth_ == 0) return malformed("an end tag closes no element");
    const Open& open = open_[static_cast<std::size_t>(depth_)];
    bool same = open.length == length;
    for (std::size_t i = 0; same && i < length; ++i) {
      same = in_.at(open.name + i) == in_.at(name + i);
    }
    if (!same) return malformed("an end tag does not match its start tag");
    ++pos_;
    in_scope_ -= open.declarations;
    --depth_;
    return {};
  }

  // "<?xml ...?>" at the start: parsed strictly (a parser that finds an error in it skips to the
  // next '>', wherever that is), its encoding checked against the way the input is scanned.
  Status declaration() {
    if (!starts("<?xml") || pos_ + 5 >= n_ || !is_space(in_.at(pos_ + 5))) return {};
    pos_ += 5;
    static constexpr std::string_view kNames[] = {"version", "encoding", "standalone"};
    std::size_t next = 0;
    std::string encoding;
    for (;;) {
      const bool space = skip_space();
      if (starts("?>")) break;
      if (!space || next == 3) return malformed("a malformed XML declaration");
      std::size_t which = next;
      while (which < 3 && !starts(kNames[which])) ++which;
      if (which == 3 || (next == 0 && which != 0)) return malformed("a malformed XML declaration");
      pos_ += kNames[which].size();
      skip_space();
      if (!starts("=")) return malformed("a malformed XML declaration");
      ++pos_;
      skip_space();
      if (pos_ >= n_) return malformed("a malformed XML declaration");
      const unsigned quote = in_.at(pos_++);
      if (quote != '"' && quote != '\'') return malformed("a malformed XML declaration");
      std::string value;
      for (; pos_ < n_ && in_.at(pos_) != quote && value.size() < 64; ++pos_) {
        const unsigned c = in_.at(pos_);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == ':')) {
          return malformed("a malformed XML declaration");
        }
        value += static_cast<char>(c);
      }
      if (pos_ >= n_ || in_.at(pos_) != quote) return malformed("a malformed XML declaration");
      ++pos_;
      if (which == 1) encoding = value;
      next = which + 1;
    }
    pos_ += 2;
    if (encoding.empty()) return {};
    if (Units::kWidth == 1 ? ascii_compatible(encoding) : utf16_name(encoding)) return {};
    return fail(ErrorCode::kMalformedXml,
                "the document's encoding '" + encoding + "' is not supported",
                "structure scan: UTF-8, US-ASCII, ISO-8859-*, windows-125* and UTF-16 (with its "
                "byte order detected) are");
  }
  bool utf16_name(const std::string& name) const;

  Units in_;
  std::size_t n_;
  std::size_t offset_;  // bytes before the first unit (a byte order mark)
  const Limits& limits_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::size_t nodes_ = 0;
  std::size_t in_scope_ = 0;
  std::vector<Open> open_;
};

template <>
bool Scanner<Bytes>::utf16_name(const std::string&) const {
  return false;
}

template <>
bool Scanner<Utf16>::utf16_name(const std::string& name) const {
  const std::string e = lower(name);
  return e == "utf-16" || e == "utf16" || e == (in_.big_endian ? "utf-16be" : "utf-16le");
}

bool starts_with_bytes(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

Status scan_utf16(std::string_view xml, std::size_t offset, bool big_endian, const Limits& limits) {
  const std::string_view units = xml.substr(offset);
  if (units.size() % 2 != 0) {
    return fail(ErrorCode::kMalformedXml, "the document is not well-formed XML",
                "structure scan: UTF-16 input of an odd number of bytes");
  }
  const Utf16 in{units, big_endian};
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in.at(i) == 0) {
      return fail(ErrorCode::kMalformedXml, "the document is not well-formed XML",
                  "structure scan: a NUL character");
    }
  }
  return Scanner<Utf16>(in, offset, limits).run();
}

}  // namespace

Status check_xml_structure(std::string_view xml, const Limits& limits) {
  if (xml.size() > limits.max_bytes) {
    return fail(ErrorCode::kTooLarge, "the document is larger than the limit of " +
                                          std::to_string(limits.max_bytes) + " bytes");
  }
  // Encoding detection as libxml2 does it, from the first four bytes.
  using namespace std::string_view_literals;
  if (starts_with_bytes(xml, "\x00\x00\x00\x3C"sv) ||
      starts_with_bytes(xml, "\x3C\x00\x00\x00"sv) ||
      starts_with_bytes(xml, "\x00\x00\x3C\x00"sv) ||
      starts_with_bytes(xml, "\x00\x3C\x00\x00"sv) ||
      starts_with_bytes(xml, "\x00\x00\xFE\xFF"sv) ||
      starts_with_bytes(xml, "\xFF\xFE\x00\x00"sv) ||
      starts_with_bytes(xml, "\x4C\x6F\xA7\x94"sv)) {
    return fail(ErrorCode::kMalformedXml,
                "the document's encoding (UCS-4 or EBCDIC) is not "
                "supported");
  }
  if (starts_with_bytes(xml, "\xFE\xFF"sv)) return scan_utf16(xml, 2, true, limits);
  if (starts_with_bytes(xml, "\xFF\xFE"sv)) return scan_utf16(xml, 2, false, limits);
  if (starts_with_bytes(xml, "\x00\x3C\x00\x3F"sv)) return scan_utf16(xml, 0, true, limits);
  if (starts_with_bytes(xml, "\x3C\x00\x3F\x00"sv)) return scan_utf16(xml, 0, false, limits);
  // XML 1.0 has no NUL character, and libxml2 takes one for the end of its input.
  if (std::memchr(xml.data(), 0, xml.size()) != nullptr) {
    return fail(ErrorCode::kMalformedXml, "the document is not well-formed XML",
                "structure scan: a NUL byte");
  }
  const std::size_t bom = starts_with_bytes(xml, "\xEF\xBB\xBF"sv) ? 3 : 0;
  return Scanner<Bytes>(Bytes{xml.substr(bom)}, bom, limits).run();
}

}  // namespace motcua::signing
