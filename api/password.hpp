#pragma once
// Secrets of the API: argon2id password hashes (libargon2; parameters of OWASP's 2023 minimum:
// 19 MiB, 2 passes, 1 lane), random bearer tokens and tracking secrets (32 bytes from OpenSSL's
// DRBG, base64url), their SHA-256 for storage, and constant-time comparison. Thread-safe.
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::api {

// The argon2id encoded string ($argon2id$v=19$m=...$salt$hash). Errors: kInternal.
engine::Result<std::string> hash_password(std::string_view password);
// True when `password` matches `encoded`; false for a wrong password or a malformed encoding.
bool verify_password(std::string_view encoded, std::string_view password);

// 32 random bytes as 43 base64url characters. Errors: kInternal when the DRBG fails.
engine::Result<std::string> random_secret();
// A readable random password for generated accounts (20 characters of an unambiguous alphabet).
engine::Result<std::string> random_password();
// Lowercase hex SHA-256. Errors: kInternal when OpenSSL fails (its error queue in the detail):
// never an empty or partial hash that a caller could store or compare.
engine::Result<std::string> sha256_hex(std::string_view data);
// HMAC-SHA256 of `data` under `key`, as 43 base64url characters. Errors: as sha256_hex.
engine::Result<std::string> hmac_sha256_base64url(std::string_view key, std::string_view data);
// Compares in time independent of where the inputs differ (CRYPTO_memcmp); false on length
// mismatch.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace motcua::api
