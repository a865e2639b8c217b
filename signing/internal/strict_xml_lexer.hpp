#pragma once
// Internal to signing/: the byte-level half of the streaming canonicaliser
// (signing/internal/streaming_c14n): a strict reader of XML 1.0 tokens over UTF-8 input that
// decodes and escapes them as exclusive c14n renders them. It accepts a subset of XML on purpose:
// every method returns false (the caller then hands the document to libxml2) on invalid UTF-8, a
// character that is not an XML Char, an entity reference other than the five predefined ones, a
// name that is not ASCII, a token longer than kMaxToken, or anything not well-formed.
// Line ends are normalised (CR LF and lone CR become LF) as an XML processor does.
// Thread-safety: one lexer per thread; the input must outlive it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace motcua::signing::internal {

class StrictLexer {
 public:
  // Longer text runs, attribute values, comments or PIs are left to libxml2, whose own limits
  // (10 MB per text node) would then decide.
  static constexpr std::size_t kMaxToken = 1'000'000;

  explicit StrictLexer(std::string_view in) : in_(in) {}

  std::size_t pos() const { return pos_; }
  bool at_end() const { return pos_ >= in_.size(); }
  char peek(std::size_t ahead = 0) const {
    return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0';
  }
  bool starts_with(std::string_view s) const {
    return in_.size() - pos_ >= s.size() && in_.compare(pos_, s.size(), s) == 0;
  }
  void advance(std::size_t n) { pos_ += n; }
  // Consumes `s` (or `c`) when the input continues with it.
  bool accept(std::string_view s) {
    if (!starts_with(s)) return false;
    pos_ += s.size();
    return true;
  }
  bool accept(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  // Skips XML white space (space, tab, CR, LF); true when there was some.
  bool skip_space();

  // A QName of ASCII name characters: `prefix` is empty for an unprefixed name; `whole` is the
  // name as written.
  bool qname(std::string_view* prefix, std::string_view* local, std::string_view* whole);
  // Consumes exactly the name `qname` (an end tag's), not followed by another name character.
  bool accept_name(std::string_view qname);
  // A quoted attribute value (at the quote), normalised as a CDATA attribute: references
  // decoded, tab, LF (after line-end normalisation) written as space. Replaces `*value`.
  bool attribute_value(std::string* value);
  // Character data up to the next '<' or the end, appended to `out` escaped as c14n text unless
  // `out` is nullptr.
  bool text(std::string* out);
  // After "<![CDATA[": the section's content up to "]]>", appended to `out` escaped as text.
  bool cdata(std::string* out);
  // After "<!--": up to "-->" (dropped: c14n without comments).
  bool comment();
  // After "<?": a processing instruction, appended to `out` as c14n renders it ("<?target?>" or
  // "<?target data?>") unless `out` is nullptr.
  bool processing_instruction(std::string* out);
  // At the start of the input, "<?xml ...?>" when present: version 1.0, no encoding other than
  // UTF-8, standalone yes or no.
  bool xml_declaration();

 private:
  // Checks the UTF-8 sequence at pos_ (a byte >= 0x80) encodes an XML Char; advances past it.
  // Inline for the two- and three-byte sequences of Vietnamese text (U+0080..U+07FF and
  // U+1000..U+CFFF are all XML Chars).
  bool multibyte() {
    const auto lead = static_cast<unsigned char>(in_[pos_]);
    if (lead >= 0xC2 && lead < 0xE0 && continuation(1)) {
      pos_ += 2;
      return true;
    }
    if (lead >= 0xE1 && lead < 0xED && continuation(1) && continuation(2)) {
      pos_ += 3;
      return true;
    }
    return any_multibyte();
  }
  bool continuation(std::size_t ahead) const {
    return pos_ + ahead < in_.size() &&
           (static_cast<unsigned char>(in_[pos_ + ahead]) & 0xC0) == 0x80;
  }
  bool any_multibyte();
  // At '&': a predefined entity or a character reference naming an XML Char; advances past it.
  bool reference(std::uint32_t* code_point);
  // Content of a comment, PI or CDATA section up to `end`, checked; appended to `out` (if any)
  // with line ends normalised and, when `escape`, escaped as text.
  bool delimited(std::string_view end, std::string* out, bool escape);
  std::string_view name();

  std::string_view in_;
  std::size_t pos_ = 0;
};

// True for the code points XML 1.0 allows in a document (production [2] Char).
bool is_xml_char(std::uint32_t c);

// Appends `c` (an XML Char) encoded in UTF-8.
void append_utf8(std::string& out, std::uint32_t c);

}  // namespace motcua::signing::internal
