#include "api/password.hpp"

#include <argon2.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>
#include <vector>

namespace motcua::api {
namespace {

constexpr std::uint32_t kTimeCost = 2;
constexpr std::uint32_t kMemoryKiB = 19 * 1024;
constexpr std::uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;

std::string base64url(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t bits = 0;
  int count = 0;
  for (std::size_t i = 0; i < size; ++i) {
    bits = (bits << 8) | data[i];
    count += 8;
    while (count >= 6) {
      out += kAlphabet[(bits >> (count - 6)) & 0x3F];
      count -= 6;
    }
  }
  if (count > 0) out += kAlphabet[(bits << (6 - count)) & 0x3F];
  return out;
}

}  // namespace

engine::Result<std::string> hash_password(std::string_view password) {
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    return engine::fail(engine::ErrorCode::kInternal, "random generator failed");
  const std::size_t length =
      argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(length);
  const int rc =
      argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(), password.size(),
                            salt.data(), salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK)
    return engine::fail(engine::ErrorCode::kInternal, "argon2id failed", argon2_error_message(rc));
  return std::string(encoded.data());
}

bool verify_password(std::string_view encoded, std::string_view password) {
  if (encoded.substr(0, 10) != "$argon2id$") return false;
  const std::string e(encoded);
  return argon2id_verify(e.c_str(), password.data(), password.size()) == ARGON2_OK;
}

engine::Result<std::string> random_secret() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return engine::fail(engine::ErrorCode::kInternal, "random generator failed");
  return base64url(bytes.data(), bytes.size());
}

engine::Result<std::string> random_password() {
  static constexpr char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  constexpr std::size_t kSize = sizeof kAlphabet - 1;  // 56
  std::string out;
  while (out.size() < 20) {
    unsigned char byte = 0;
    if (RAND_bytes(&byte, 1) != 1)
      return engine::fail(engine::ErrorCode::kInternal, "random generator failed");
    if (byte >= 256 / kSize * kSize) continue;  // rejection sampling: no modulo bias
    out += kAlphabet[byte % kSize];
  }
  return out;
}

// kInternal for a failed OpenSSL call, with (and emptying) its error queue as the detail.
tl::unexpected<engine::Error> openssl_failure(const char* what) {
  std::string detail;
  for (unsigned long e = ERR_get_error(); e != 0; e = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(e, text, sizeof text);
    if (!detail.empty()) detail += "; ";
    detail += text;
  }
  return engine::fail(engine::ErrorCode::kInternal, what, detail);
}

engine::Result<std::string> sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1 ||
      size != kHashBytes)
    return openssl_failure("computing a SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  return out;
}

engine::Result<std::string> hmac_sha256_base64url(std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
           &size) == nullptr ||
      size != kHashBytes)
    return openssl_failure("computing an HMAC-SHA256 failed");
  return base64url(mac, size);
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace motcua::api
