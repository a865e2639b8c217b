#include "store/internal/hex_text.hpp"

namespace motcua::store {

std::string to_hex_text(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  }
  return out;
}

engine::Result<std::string> from_hex_text(std::string_view text, std::string_view what) {
  auto not_hex = [what] {
    return engine::fail(engine::ErrorCode::kInternal,
                        "stored " + std::string(what) + " is not hex");
  };
  if (text.size() % 2) return not_hex();
  std::string out(text.size() / 2, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    if (v < 0) return not_hex();
    out[i / 2] = static_cast<char>(static_cast<unsigned char>(out[i / 2]) << 4 | v);
  }
  return out;
}

}  // namespace motcua::store
