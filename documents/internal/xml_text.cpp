#include "documents/internal/xml_text.hpp"

#include <cstdint>
#include <string>

namespace motcua::documents {
namespace {

// Decodes one UTF-8 sequence at `i`; returns the code point or -1 when malformed.
std::int32_t decode(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  int extra = 0;
  std::int32_t cp = 0;
  std::int32_t min = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    extra = 1, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, cp = lead & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (i + static_cast<std::size_t>(extra) >= text.size()) return -1;
  for (int k = 1; k <= extra; ++k) {
    const unsigned char next = byte(i + k);
    if ((next & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (next & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
  i += extra + 1;
  return cp;
}

bool xml_char(std::int32_t cp) {
  if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
  if (cp < 0x20) return false;
  if (cp == 0xFFFE || cp == 0xFFFF) return false;
  return true;
}

}  // namespace

engine::Status check_xml_text(std::string_view text, std::string_view what, std::size_t max_bytes,
                              bool required) {
  const std::string name(what);
  if (text.size() > max_bytes)
    return engine::fail(engine::ErrorCode::kInvalidInput,
                        name + " is longer than " + std::to_string(max_bytes) + " bytes");
  if (required && text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return engine::fail(engine::ErrorCode::kInvalidInput, name + " is empty");
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t at = i;
    const std::int32_t cp = decode(text, i);
    if (cp < 0)
      return engine::fail(engine::ErrorCode::kInvalidInput,
                          name + " is not valid UTF-8 (byte " + std::to_string(at) + ")");
    if (!xml_char(cp))
      return engine::fail(
          engine::ErrorCode::kInvalidInput,
          name + " holds a character XML cannot carry (byte " + std::to_string(at) + ")");
  }
  return {};
}

}  // namespace motcua::documents
