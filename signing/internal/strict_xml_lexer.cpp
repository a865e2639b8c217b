#include "signing/internal/strict_xml_lexer.hpp"

#include <array>

namespace motcua::signing::internal {
namespace {

constexpr std::size_t kMaxName = 1000;

// Bytes that stand for themselves in character data (c14n text) and in an attribute value:
// printable ASCII (and DEL, an XML Char) without the markup characters, plus tab and line feed in
// text. Everything else takes the slow path.
constexpr std::array<bool, 256> plain_table(bool attribute) {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[c] = true;
  t['<'] = t['&'] = false;
  if (attribute) {
    t['"'] = t['\''] = false;
  } else {
    t['>'] = t[']'] = false;
    t['\t'] = t['\n'] = true;
  }
  return t;
}
constexpr std::array<bool, 256> kTextPlain = plain_table(false);
constexpr std::array<bool, 256> kAttributePlain = plain_table(true);

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}
// The end of the run from `p` of bytes that stand for themselves in c14n text: plain ASCII and
// the two- and three-byte UTF-8 sequences of Vietnamese (all XML Chars); a tight loop on locals.
std::size_t skip_plain_text(const char* data, std::size_t p, std::size_t n) {
  const auto* d = reinterpret_cast<const unsigned char*>(data);
  while (p < n) {
    const unsigned c = d[p];
    if (kTextPlain[c]) {
      ++p;
    } else if (c >= 0xC2 && c < 0xE0 && p + 1 < n && (d[p + 1] & 0xC0) == 0x80) {
      p += 2;
    } else if (c >= 0xE1 && c < 0xED && p + 2 < n && (d[p + 1] & 0xC0) == 0x80 &&
               (d[p + 2] & 0xC0) == 0x80) {
      p += 3;
    } else {
      break;
    }
  }
  return p;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// A character of character data as c14n writes it.
void append_text_char(std::string& out, std::uint32_t c) {
  switch (c) {
    case '&':
      out += "&amp;";
      return;
    case '<':
      out += "&lt;";
      return;
    case '>':
      out += "&gt;";
      return;
    case '\r':
      out += "&#xD;";
      return;
    default:
      append_utf8(out, c);
  }
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

}  // namespace

bool is_xml_char(std::uint32_t c) {
  if (c < 0x20) return c == 0x9 || c == 0xA || c == 0xD;
  return c <= 0xD7FF || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

void append_utf8(std::string& out, std::uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool StrictLexer::skip_space() {
  const std::size_t start = pos_;
  while (pos_ < in_.size() && is_space(in_[pos_])) ++pos_;
  return pos_ != start;
}

bool StrictLexer::any_multibyte() {
  const auto byte = [&](std::size_t i) {
    return pos_ + i < in_.size() ? static_cast<unsigned char>(in_[pos_ + i]) : 0u;
  };
  const unsigned lead = byte(0);
  std::size_t length = 0;
  std::uint32_t c = 0;
  std::uint32_t min = 0;
  if (lead >= 0xC2 && lead < 0xE0) {
    length = 2, c = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead < 0xF0) {
    length = 3, c = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead < 0xF5) {
    length = 4, c = lead & 0x07, min = 0x10000;
  } else {
    return false;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const unsigned b = byte(i);
    if ((b & 0xC0) != 0x80) return false;
    c = (c << 6) | (b & 0x3F);
  }
  if (c < min || !is_xml_char(c)) return false;  // overlong, surrogate, U+FFFE/FFFF, > U+10FFFF
  pos_ += length;
  return true;
}

bool StrictLexer::reference(std::uint32_t* code_point) {
  ++pos_;  // '&'
  if (accept('#')) {
    const std::uint32_t base = accept('x') ? 16 : 10;
    std::uint32_t c = 0;
    std::size_t digits = 0;
    for (;; ++pos_, ++digits) {
      const char d = peek();
      std::uint32_t v = 0;
      if (d >= '0' && d <= '9') {
        v = static_cast<std::uint32_t>(d - '0');
      } else if (base == 16 && d >= 'a' && d <= 'f') {
        v = static_cast<std::uint32_t>(d - 'a' + 10);
      } else if (base == 16 && d >= 'A' && d <= 'F') {
        v = static_cast<std::uint32_t>(d - 'A' + 10);
      } else {
        break;
      }
      c = c * base + v;
      if (c > 0x10FFFF) return false;
    }
    if (digits == 0 || !accept(';') || !is_xml_char(c)) return false;
    *code_point = c;
    return true;
  }
  static constexpr std::pair<std::string_view, char> kPredefined[] = {
      {"amp;", '&'}, {"lt;", '<'}, {"gt;", '>'}, {"quot;", '"'}, {"apos;", '\''}};
  for (const auto& [name, c] : kPredefined) {
    if (accept(name)) {
      *code_point = static_cast<unsigned char>(c);
      return true;
    }
  }
  return false;
}

std::string_view StrictLexer::name() {
  const std::size_t start = pos_;
  if (!is_name_start(peek())) return {};
  while (pos_ < in_.size() && is_name_char(in_[pos_])) ++pos_;
  if (pos_ - start > kMaxName) return {};
  return in_.substr(start, pos_ - start);
}

bool StrictLexer::qname(std::string_view* prefix, std::string_view* local,
                        std::string_view* whole) {
  const std::size_t start = pos_;
  const std::string_view first = name();
  if (first.empty()) return false;
  *prefix = {};
  *local = first;
  if (accept(':')) {
    *prefix = first;
    *local = name();
    if (local->empty() || peek() == ':') return false;
  }
  *whole = in_.substr(start, pos_ - start);
  return true;
}

bool StrictLexer::accept_name(std::string_view qname) {
  if (!starts_with(qname)) return false;
  const char next = peek(qname.size());
  if (is_name_char(next) || next == ':') return false;
  pos_ += qname.size();
  return true;
}

bool StrictLexer::attribute_value(std::string* value) {
  const char quote = peek();
  if (quote != '"' && quote != '\'') return false;
  ++pos_;
  value->clear();
  const std::size_t start = pos_;
  std::size_t run = pos_;
  for (;;) {
    if (pos_ >= in_.size()) return false;
    const auto c = static_cast<unsigned char>(in_[pos_]);
    if (kAttributePlain[c]) {
      ++pos_;
      continue;
    }
    if (c >= 0x80) {
      if (!multibyte()) return false;
      continue;
    }
    if (c == static_cast<unsigned char>(quote)) break;
    if (c == '"' || c == '\'') {
      ++pos_;
      continue;
    }
    value->append(in_.data() + run, pos_ - run);
    if (c == '\t' || c == '\n' || c == '\r') {
      *value += ' ';
      ++pos_;
      if (c == '\r' && peek() == '\n') ++pos_;
    } else if (c == '&') {
      std::uint32_t code_point = 0;
      if (!reference(&code_point)) return false;
      append_utf8(*value, code_point);
    } else {
      return false;  // '<' or a control character
    }
    run = pos_;
  }
  value->append(in_.data() + run, pos_ - run);
  ++pos_;  // closing quote
  return pos_ - start <= kMaxToken;
}

bool StrictLexer::text(std::string* out) {
  const std::size_t start = pos_;
  std::size_t run = pos_;
  while (pos_ < in_.size()) {
    pos_ = skip_plain_text(in_.data(), pos_, in_.size());
    if (pos_ >= in_.size()) break;
    const auto c = static_cast<unsigned char>(in_[pos_]);
    if (c >= 0x80) {
      if (!multibyte()) return false;
      continue;
    }
    if (c == '<') break;
    if (c == ']') {
      if (peek(1) == ']' && peek(2) == '>') return false;  // "]]>" outside a CDATA section
      ++pos_;
      continue;
    }
    if (out != nullptr) out->append(in_.data() + run, pos_ - run);
    if (c == '>') {
      if (out != nullptr) *out += "&gt;";
      ++pos_;
    } else if (c == '\r') {
      if (out != nullptr) *out += '\n';
      ++pos_;
      if (peek() == '\n') ++pos_;
    } else if (c == '&') {
      std::uint32_t code_point = 0;
      if (!reference(&code_point)) return false;
      if (out != nullptr) append_text_char(*out, code_point);
    } else {
      return false;  // a control character
    }
    run = pos_;
  }
  if (out != nullptr) out->append(in_.data() + run, pos_ - run);
  return pos_ - start <= kMaxToken;
}

bool StrictLexer::delimited(std::string_view end, std::string* out, bool escape) {
  const std::size_t start = pos_;
  std::size_t run = pos_;
  const auto flush = [&] {
    if (out != nullptr) out->append(in_.data() + run, pos_ - run);
  };
  for (;;) {
    if (pos_ >= in_.size()) return false;
    const auto c = static_cast<unsigned char>(in_[pos_]);
    if (c == static_cast<unsigned char>(end[0]) && starts_with(end)) break;
    if (c >= 0x80) {
      if (!multibyte()) return false;
      continue;
    }
    if (c == '\r') {
      flush();
      if (out != nullptr) *out += '\n';
      ++pos_;
      if (peek() == '\n') ++pos_;
      run = pos_;
    } else if (c < 0x20 && c != '\t' && c != '\n') {
      return false;
    } else if (escape && (c == '&' || c == '<' || c == '>')) {
      flush();
      if (out != nullptr) append_text_char(*out, c);
      ++pos_;
      run = pos_;
    } else {
      ++pos_;
    }
  }
  flush();
  pos_ += end.size();
  return pos_ - start <= kMaxToken;
}

bool StrictLexer::cdata(std::string* out) { return delimited("]]>", out, true); }

bool StrictLexer::comment() {
  // "--" may only appear as the start of "-->".
  return delimited("--", nullptr, false) && accept('>');
}

bool StrictLexer::processing_instruction(std::string* out) {
  const std::string_view target = name();
  // Reserved ("xml" in any case) and prefixed targets are libxml2's to judge.
  if (target.empty() || equals_ignoring_case(target, "xml") || peek() == ':') return false;
  if (out != nullptr) {
    *out += "<?";
    *out += target;
  }
  if (accept("?>")) {
    if (out != nullptr) *out += "?>";
    return true;
  }
  if (!skip_space()) return false;
  std::size_t data_at = 0;
  if (out != nullptr) {
    *out += ' ';
    data_at = out->size();
  }
  if (!delimited("?>", out, false)) return false;
  if (out != nullptr) {
    if (out->size() == data_at) out->pop_back();  // only white space after the target
    *out += "?>";
  }
  return true;
}

bool StrictLexer::xml_declaration() {
  if (!starts_with("<?xml") || !is_space(peek(5))) return true;  // none ("<?xml-..." is a PI)
  pos_ += 5;
  const auto literal = [&](std::string_view* value) {
    skip_space();
    if (!accept('=')) return false;
    skip_space();
    const char quote = peek();
    if (quote != '"' && quote != '\'') return false;
    const std::size_t start = ++pos_;
    while (pos_ < in_.size() && in_[pos_] != quote && pos_ - start < 64) ++pos_;
    if (peek() != quote) return false;
    *value = in_.substr(start, pos_ - start);
    ++pos_;
    return true;
  };
  std::string_view value;
  skip_space();
  if (!accept("version") || !literal(&value) || value != "1.0") return false;
  bool encoding_allowed = true;
  for (;;) {
    const bool space = skip_space();
    if (accept("?>")) return true;
    if (!space) return false;
    if (encoding_allowed && accept("encoding")) {
      if (!literal(&value) ||
          !(equals_ignoring_case(value, "utf-8") || equals_ignoring_case(value, "utf8"))) {
        return false;
      }
      encoding_allowed = false;
    } else if (accept("standalone")) {
      if (!literal(&value) || (value != "yes" && value != "no")) return false;
      skip_space();
      return accept("?>");
    } else {
      return false;
    }
  }
}

}  // namespace motcua::signing::internal
