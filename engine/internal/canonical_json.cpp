#include "engine/internal/canonical_json.hpp"

namespace motcua::engine::canonical_json {
namespace {

class Parser {
 public:
  Parser(std::string_view s, std::string_view context) : s_(s), context_(context) {}
  Result<Value> document() {
    auto v = value(0);
    if (v && pos_ != s_.size()) return error("trailing bytes");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 8;
  tl::unexpected<Error> error(std::string what) const {
    return fail(ErrorCode::kInvalidInput,
                std::string(context_) + ": " + what + " at byte " + std::to_string(pos_));
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  Result<Value> value(int depth) {
    if (depth > kMaxDepth) return error("nesting too deep");
    if (pos_ >= s_.size()) return error("unexpected end");
    const char c = s_[pos_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      auto s = string();
      if (!s) return tl::unexpected(s.error());
      return Value{std::move(*s)};
    }
    if (literal("null")) return Value{nullptr};
    if (literal("true")) return Value{true};
    if (literal("false")) return Value{false};
    return number();
  }
  Result<Value> number() {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), n);
    if (ec != std::errc() || end == s_.data() + pos_) return error("expected a value");
    pos_ = static_cast<std::size_t>(end - s_.data());
    return Value{n};
  }
  Result<std::string> string() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20) return error("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      c = s_[pos_++];
      switch (c) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          // Canonical encodings escape only control characters, so \u00XX suffices.
          unsigned code = 0;
          auto hex = s_.substr(pos_, 4);
          auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), code, 16);
          if (hex.size() != 4 || ec != std::errc() || end != hex.data() + 4 || code >= 0x20)
            return error("unsupported \\u escape");
          pos_ += 4;
          out += static_cast<char>(code);
          break;
        }
        default:
          return error("bad escape");
      }
    }
    if (!eat('"')) return error("unterminated string");
    if (!valid_utf8(out)) return error("string is not valid UTF-8");
    return out;
  }
  Result<Value> array(int depth) {
    ++pos_;
    auto out = std::make_shared<Array>();
    if (eat(']')) return Value{out};
    do {
      auto v = value(depth + 1);
      if (!v) return v;
      out->push_back(std::move(*v));
    } while (eat(','));
    if (!eat(']')) return error("expected ']'");
    return Value{out};
  }
  Result<Value> object(int depth) {
    ++pos_;
    auto out = std::make_shared<Object>();
    if (eat('}')) return Value{out};
    do {
      if (pos_ >= s_.size() || s_[pos_] != '"') return error("expected a key");
      auto key = string();
      if (!key) return tl::unexpected(key.error());
      if (!eat(':')) return error("expected ':'");
      auto v = value(depth + 1);
      if (!v) return v;
      if (!out->emplace(std::move(*key), std::move(*v)).second) return error("duplicate key");
    } while (eat(','));
    if (!eat('}')) return error("expected '}'");
    return Value{out};
  }

  std::string_view s_;
  std::string_view context_;
  std::size_t pos_ = 0;
};

}  // namespace

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::array<char32_t, 4> kMin{0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

// Escapes only '"', '\\' and control characters; runs of other bytes are appended at once.
void append_json_string(std::string& out_, std::string_view s) {
  out_ += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out_.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out_ += "\\\"";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\b':
        out_ += "\\b";
        break;
      case '\f':
        out_ += "\\f";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\r':
        out_ += "\\r";
        break;
      case '\t':
        out_ += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out_.append(esc, sizeof esc);
      }
    }
  }
  out_.append(s.data() + run, s.size() - run);
  out_ += '"';
}

Result<Value> parse(std::string_view text, std::string_view context) {
  return Parser(text, context).document();
}

}  // namespace motcua::engine::canonical_json
