#include "signing/internal/x509_util.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <climits>
#include <cstdint>
#include <cstdio>

#include "signing/internal/c_handles.hpp"

namespace motcua::signing::internal {

// EVP_EncodeBlock has no failure: it writes 4 characters per 3 bytes and returns the count; the
// precondition keeps that count inside an int.
std::string base64_encode(const unsigned char* data, std::size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

namespace {

constexpr unsigned char kSkip = 64, kPad = 65, kBad = 255;

struct Base64Table {
  unsigned char value[256];
  constexpr Base64Table() : value() {
    for (auto& v : value) v = kBad;
    const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (unsigned char i = 0; i < 64; ++i) value[static_cast<unsigned char>(alphabet[i])] = i;
    for (char c : {' ', '\t', '\r', '\n'}) value[static_cast<unsigned char>(c)] = kSkip;
    value[static_cast<unsigned char>('=')] = kPad;
  }
};
constexpr Base64Table kBase64;

}  // namespace

// Strict, in one pass: XML whitespace is skipped; anything else must be the base64 alphabet, with
// at most two '=' and only as the final padding, and zero padding bits. EVP_DecodeBlock alone
// would read '=' anywhere as 'A' and drop trailing '-', so different texts would decode to the
// same bytes.
Result<std::vector<unsigned char>> base64_decode(std::string_view text) {
  std::vector<unsigned char> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t bits = 0;
  std::size_t symbols = 0;  // alphabet characters and '='
  int pending = 0, padding = 0;
  for (char c : text) {
    const unsigned char v = kBase64.value[static_cast<unsigned char>(c)];
    if (v == kSkip) continue;
    ++symbols;
    if (v == kPad) {
      ++padding;
      continue;
    }
    if (v == kBad || padding > 0)
      return fail(ErrorCode::kMalformedSignature, "invalid base64 text");
    bits = bits << 6 | v;
    if (++pending == 4) {
      out.push_back(static_cast<unsigned char>(bits >> 16));
      out.push_back(static_cast<unsigned char>(bits >> 8));
      out.push_back(static_cast<unsigned char>(bits));
      bits = 0;
      pending = 0;
    }
  }
  if (symbols == 0 || symbols % 4 != 0 || padding > 2) {
    return fail(ErrorCode::kMalformedSignature, "invalid base64 text");
  }
  if ((padding == 1 && (bits & 0x3) != 0) || (padding == 2 && (bits & 0xf) != 0)) {
    return fail(ErrorCode::kMalformedSignature, "invalid base64 text (non-zero padding bits)");
  }
  if (padding == 1) {  // 3 symbols: 18 bits, 2 bytes
    out.push_back(static_cast<unsigned char>(bits >> 10));
    out.push_back(static_cast<unsigned char>(bits >> 2));
  } else if (padding == 2) {  // 2 symbols: 12 bits, 1 byte
    out.push_back(static_cast<unsigned char>(bits >> 4));
  }
  return out;
}

Result<BioPtr> memory_bio(std::string_view bytes) {
  // BIO_new_mem_buf reads a negative length as "up to the first NUL".
  if (bytes.size() > static_cast<std::size_t>(INT_MAX))
    return fail(ErrorCode::kTooLarge, "the file is larger than 2 GiB");
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) return fail(ErrorCode::kLibrary, "cannot create a memory BIO", take_library_errors());
  return bio;
}

Result<std::string> name_to_string(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio) return fail(ErrorCode::kLibrary, "cannot create a memory BIO", take_library_errors());
  if (X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return fail(ErrorCode::kCertificateInvalid, "a certificate name cannot be read",
                take_library_errors());
  }
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  if (n < 0) return fail(ErrorCode::kLibrary, "cannot read a memory BIO", take_library_errors());
  if (n == 0) return std::string();  // an empty name
  return std::string(data, static_cast<std::size_t>(n));
}

Result<std::string> serial_hex(const X509* cert) {
  BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
  if (!bn) {
    return fail(ErrorCode::kCertificateInvalid, "a certificate serial number cannot be read",
                take_library_errors());
  }
  OpenSslString hex(BN_bn2hex(bn.get()));
  if (!hex)
    return fail(ErrorCode::kLibrary, "cannot format a serial number", take_library_errors());
  return std::string(hex.get());
}

Result<std::string> asn1_time_iso(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return fail(ErrorCode::kCertificateInvalid, "a certificate validity time cannot be read",
                take_library_errors());
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return std::string(buf);
}

Result<std::string> der_base64(const X509* cert) {
  unsigned char* raw = nullptr;
  const int n = i2d_X509(cert, &raw);
  OpenSslBytes der(raw);
  if (n <= 0 || !der) {
    return fail(ErrorCode::kLibrary, "cannot encode a certificate", take_library_errors());
  }
  return base64_encode(der.get(), static_cast<std::size_t>(n));
}

Result<std::string> digest_base64(const X509* cert, const EVP_MD* md) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (X509_digest(cert, md, out, &len) != 1) {
    return fail(ErrorCode::kLibrary, "cannot digest a certificate", take_library_errors());
  }
  return base64_encode(out, len);
}

namespace {
void der_length(std::string& out, std::size_t n) {
  if (n < 0x80) {
    out.push_back(static_cast<char>(n));
    return;
  }
  std::string bytes;
  for (; n > 0; n >>= 8) bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
  out.push_back(static_cast<char>(0x80 | bytes.size()));
  out += bytes;
}
std::string der_wrap(unsigned char tag, const std::string& content) {
  std::string out(1, static_cast<char>(tag));
  der_length(out, content.size());
  return out + content;
}
}  // namespace

Result<std::string> issuer_serial_v2_base64(const X509* cert) {
  // IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber INTEGER } (RFC 5035), with
  // GeneralNames holding one directoryName [4] (explicit, Name is a CHOICE).
  unsigned char* raw = nullptr;
  const int name_len = i2d_X509_NAME(X509_get_issuer_name(cert), &raw);
  OpenSslBytes name(raw);
  raw = nullptr;
  const int serial_len = i2d_ASN1_INTEGER(X509_get0_serialNumber(cert), &raw);
  OpenSslBytes serial(raw);
  if (name_len <= 0 || !name || serial_len <= 0 || !serial) {
    return fail(ErrorCode::kLibrary, "cannot encode the certificate issuer and serial number",
                take_library_errors());
  }
  std::string directory =
      der_wrap(0xA4, std::string(reinterpret_cast<const char*>(name.get()), name_len));
  std::string general_names = der_wrap(0x30, directory);
  std::string seq = der_wrap(
      0x30, general_names + std::string(reinterpret_cast<const char*>(serial.get()), serial_len));
  return base64_encode(reinterpret_cast<const unsigned char*>(seq.data()), seq.size());
}

std::string describe_key(const EVP_PKEY* key, bool* strong, bool* is_rsa) {
  *strong = false;
  *is_rsa = false;
  if (key == nullptr) return "none";
  // 0 when OpenSSL cannot tell: below every minimum, so such a key is never strong.
  const int bits = EVP_PKEY_get_bits(key);
  if (EVP_PKEY_is_a(key, "RSA")) {
    *is_rsa = true;
    *strong = bits >= 2048;
    return "RSA-" + std::to_string(bits);
  }
  if (EVP_PKEY_is_a(key, "EC")) {
    char curve[64] = {0};
    size_t len = 0;
    // No group name: explicit curve parameters (or a name too long for any allowed curve), which
    // the allow-list below refuses as it refuses any other unnamed curve.
    if (EVP_PKEY_get_utf8_string_param(key, "group", curve, sizeof curve, &len) != 1) {
      clear_library_errors();
      return "EC-unnamed-curve";
    }
    std::string_view c(curve);
    *strong = c == "prime256v1" || c == "P-256" || c == "secp384r1" || c == "P-384" ||
              c == "secp521r1" || c == "P-521";
    std::string display(c);
    if (c == "prime256v1") display = "P-256";
    if (c == "secp384r1") display = "P-384";
    if (c == "secp521r1") display = "P-521";
    return "EC-" + display;
  }
  return std::string(EVP_PKEY_get0_type_name(key) ? EVP_PKEY_get0_type_name(key) : "unknown") +
         "-" + std::to_string(bits);
}

std::string format_utc(std::time_t t) {
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool parse_utc(std::string_view text, std::time_t* out) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string str(text);
  int consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) !=
      6) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return false;
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest.front())) != 0)
      rest.remove_prefix(1);
  }
  long offset = 0;
  if (rest == "Z") {
    offset = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    if (std::sscanf(std::string(rest.substr(1)).c_str(), "%2d:%2d", &oh, &om) != 2) return false;
    offset = (oh * 3600L + om * 60L) * (rest[0] == '+' ? 1 : -1);
  } else {
    return false;
  }
  struct tm tm {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  *out = timegm(&tm) - offset;
  return true;
}

}  // namespace motcua::signing::internal
