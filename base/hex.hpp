#pragma once
// Shape checks for the lowercase hex SHA-256 digests that name attachments, documents and secrets.
#include <string_view>

namespace motcua::base {

// True for exactly 64 characters of [0-9a-f].
constexpr bool is_sha256_hex(std::string_view text) noexcept {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace motcua::base
