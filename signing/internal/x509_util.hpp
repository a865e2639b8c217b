#pragma once
// Internal to signing/: certificate helpers shared by signing and verification.
#include <openssl/x509.h>

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "signing/error.hpp"

namespace motcua::signing::internal {

std::string base64_encode(const unsigned char* data, std::size_t size);
Result<std::vector<unsigned char>> base64_decode(std::string_view text);  // whitespace ignored

std::string name_to_string(const X509_NAME* name);  // RFC 2253, UTF-8
std::string serial_hex(const X509* cert);
std::string asn1_time_iso(const ASN1_TIME* t);  // "2026-11-27T11:09:09Z"
std::string der_base64(const X509* cert);
std::string sha256_base64(const X509* cert);
std::string issuer_serial_v2_base64(const X509* cert);

// "RSA-2048", "EC-P-256", ...; `strong` is set when RSA >= 2048 bits or EC P-256/P-384/P-521.
std::string describe_key(const EVP_PKEY* key, bool* strong, bool* is_rsa);

// Formats a time_t as "YYYY-MM-DDTHH:MM:SSZ"; parses the same (and a ".fff" or "+hh:mm" suffix).
std::string format_utc(std::time_t t);
bool parse_utc(std::string_view text, std::time_t* out);

}  // namespace motcua::signing::internal
