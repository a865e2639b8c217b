#include "api/internal/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace motcua::api {

namespace ssl = boost::asio::ssl;

const char* const kTls12Suites =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

namespace {

constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384";

// The OpenSSL error queue as text (and emptied), for the operator.
std::string openssl_errors() {
  std::string text;
  while (const unsigned long e = ERR_get_error()) {
    char line[256];
    ERR_error_string_n(e, line, sizeof line);
    if (!text.empty()) text += "; ";
    text += line;
  }
  return text;
}

}  // namespace

engine::Result<ssl::context> make_server_tls(const std::string& cert_chain_file,
                                             const std::string& key_file) {
  using engine::ErrorCode;
  try {
    ssl::context ctx(ssl::context::tls_server);
    SSL_CTX* native = ctx.native_handle();
    SSL_CTX_set_options(native, SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                                    SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                    SSL_OP_CIPHER_SERVER_PREFERENCE);
    // These fail only on names this OpenSSL does not know: a build defect, told as such.
    if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
        SSL_CTX_set_cipher_list(native, kTls12Suites) != 1 ||
        SSL_CTX_set_ciphersuites(native, kTls13Suites) != 1 ||
        SSL_CTX_set1_groups_list(native, kGroups) != 1)
      return engine::fail(ErrorCode::kInternal, "this OpenSSL lacks the TLS suites or groups",
                          openssl_errors());
    ctx.use_certificate_chain_file(cert_chain_file);
    ctx.use_private_key_file(key_file, ssl::context::pem);
    if (SSL_CTX_check_private_key(native) != 1)
      return engine::fail(ErrorCode::kInvalidInput, "the TLS key does not match the certificate",
                          openssl_errors());
    return ctx;
  } catch (const std::exception& e) {
    return engine::fail(ErrorCode::kInvalidInput, "cannot load the TLS certificate or key",
                        e.what());
  }
}

}  // namespace motcua::api
