#pragma once
// Internal to signing/: certificate helpers shared by signing and verification.
#include <openssl/x509.h>

#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include "signing/error.hpp"
#include "signing/internal/c_handles.hpp"

namespace motcua::signing::internal {

// Precondition: size <= kMaxBase64Input (digests, signatures and certificates are far below).
inline constexpr std::size_t kMaxBase64Input = 1 << 30;
std::string base64_encode(const unsigned char* data, std::size_t size);
Result<std::vector<unsigned char>> base64_decode(std::string_view text);  // whitespace ignored

// A read-only memory BIO over `bytes` (which must outlive it). Errors: kTooLarge over INT_MAX
// bytes, kLibrary.
Result<BioPtr> memory_bio(std::string_view bytes);

// Certificate fields as text. Errors: kCertificateInvalid when the field cannot be rendered (a
// malformed name or time), kLibrary when OpenSSL fails otherwise; the detail holds its error queue.
Result<std::string> name_to_string(const X509_NAME* name);  // RFC 2253, UTF-8
Result<std::string> serial_hex(const X509* cert);
Result<std::string> asn1_time_iso(const ASN1_TIME* t);  // "2026-11-27T11:09:09Z"

// Encodings and digests of a parsed certificate. Errors: kLibrary with the OpenSSL error queue.
Result<std::string> der_base64(const X509* cert);
Result<std::string> digest_base64(const X509* cert, const EVP_MD* md);
Result<std::string> issuer_serial_v2_base64(const X509* cert);

// "RSA-2048", "EC-P-256", ...; `strong` is set when RSA >= 2048 bits or EC P-256/P-384/P-521.
// Cannot fail: a size or curve OpenSSL cannot tell is described as such and is never strong.
std::string describe_key(const EVP_PKEY* key, bool* strong, bool* is_rsa);

// Formats a time_t as "YYYY-MM-DDTHH:MM:SSZ"; parses the same (and a ".fff" or "+hh:mm" suffix).
std::string format_utc(std::time_t t);
bool parse_utc(std::string_view text, std::time_t* out);

}  // namespace motcua::signing::internal
