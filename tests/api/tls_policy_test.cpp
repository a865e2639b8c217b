// End to end: the TLS policy of the real `motcua serve`, probed with OpenSSL's client directly
// (each handshake offers exactly what the test names): TLS 1.0 and 1.1 refused, TLS 1.2 only with
// ECDHE and an AEAD cipher, TLS 1.3 when the client offers it, no client renegotiation.
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <set>

#include "base/c_handle.hpp"
#include "tests/api/e2e_support.hpp"
#include "tests/api/tls_support.hpp"

namespace motcua::api::e2e {
namespace {

using Context = base::CHandle<SSL_CTX, SSL_CTX_free>;
using Session = base::CHandle<SSL, SSL_free>;

struct Offer {
  int min_version = TLS1_VERSION;
  int max_version = TLS1_3_VERSION;
  std::string ciphers = "ALL:COMPLEMENTOFALL:@SECLEVEL=0";  // TLS 1.2 and older
  std::string suites =
      "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:"
      "TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_CCM_SHA256";  // TLS 1.3
};

struct Outcome {
  bool connected = false;
  int version = 0;     // negotiated
  std::string cipher;  // negotiated
  int reason = 0;      // why the handshake (or the renegotiation) failed: ERR_GET_REASON
  std::string why;     // the same, as text
};

void take_error(Outcome& out) {
  const unsigned long e = ERR_peek_last_error();
  out.reason = ERR_GET_REASON(e);
  const char* text = ERR_reason_error_string(e);
  out.why = text ? text : "no OpenSSL error";
  ERR_clear_error();
}

// A client context that can offer everything this OpenSSL knows, old and weak included.
Context client_context(const Offer& offer) {
  Context ctx(SSL_CTX_new(TLS_client_method()));
  REQUIRE(ctx);
  SSL_CTX_set_security_level(ctx.get(), 0);
  REQUIRE(SSL_CTX_set_min_proto_version(ctx.get(), offer.min_version) == 1);
  REQUIRE(SSL_CTX_set_max_proto_version(ctx.get(), offer.max_version) == 1);
  REQUIRE(SSL_CTX_set_cipher_list(ctx.get(), offer.ciphers.c_str()) == 1);
  REQUIRE(SSL_CTX_set_ciphersuites(ctx.get(), offer.suites.c_str()) == 1);
  return ctx;
}

// Connects and shakes hands offering `offer`; with `renegotiate`, then asks for a renegotiation
// (TLS 1.2) and reports its outcome in `connected` and `reason`.
Outcome handshake(unsigned short port, const Offer& offer, bool renegotiate = false) {
  Context ctx = client_context(offer);
  const int fd = connect_loopback(port, std::chrono::seconds(5));
  Outcome out;
  Session ssl(SSL_new(ctx.get()));
  REQUIRE(ssl);
  REQUIRE(SSL_set_fd(ssl.get(), fd) == 1);
  ERR_clear_error();
  if (SSL_connect(ssl.get()) == 1) {
    out.connected = true;
    out.version = SSL_version(ssl.get());
    out.cipher = SSL_get_cipher_name(ssl.get());
    if (renegotiate) {
      REQUIRE(SSL_renegotiate(ssl.get()) == 1);
      out.connected = SSL_do_handshake(ssl.get()) == 1;
      if (!out.connected) take_error(out);
    } else {
      SSL_shutdown(ssl.get());
    }
  } else {
    take_error(out);
  }
  ssl.reset();
  ::close(fd);
  return out;
}

// The TLS 1.2 (and older) suites this OpenSSL can offer, by name.
std::vector<std::string> offerable_tls12_suites() {
  Offer offer;
  offer.max_version = TLS1_2_VERSION;
  Context ctx = client_context(offer);
  std::vector<std::string> names;
  const STACK_OF(SSL_CIPHER)* all = SSL_CTX_get_ciphers(ctx.get());
  for (int i = 0; i < sk_SSL_CIPHER_num(all); ++i) {
    const SSL_CIPHER* c = sk_SSL_CIPHER_value(all, i);
    if (std::string_view(SSL_CIPHER_get_version(c)) != "TLSv1.3")
      names.emplace_back(SSL_CIPHER_get_name(c));
  }
  return names;
}

}  // namespace

TEST_CASE(
    "E2E: TLS: 1.3 preferred, 1.2 only with ECDHE and AEAD suites, older versions and "
    "client renegotiation refused") {
  const auto dir = make_certificate();
  ServeProcess server(fresh_database_url("motcua_api_e2e_tls_policy"),
                      {"--no-demo", "--tls-cert", (dir / "cert.pem").string(), "--tls-key",
                       (dir / "key.pem").string()});
  const unsigned short port = server.port;

  SUBCASE("TLS 1.3 when offered, with its AEAD suites") {
    const Outcome best = handshake(port, Offer{});
    CAPTURE(best.why);
    REQUIRE(best.connected);
    CHECK(best.version == TLS1_3_VERSION);
    for (const char* suite :
         {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
      Offer one;
      one.suites = suite;
      const Outcome o = handshake(port, one);
      CAPTURE(suite);
      CHECK(o.connected);
      CHECK(o.cipher == suite);
    }
  }
  SUBCASE("TLS 1.0 and 1.1 are refused by the server (a protocol_version alert)") {
    for (const int version : {TLS1_VERSION, TLS1_1_VERSION}) {
      Offer old;
      old.min_version = old.max_version = version;
      const Outcome o = handshake(port, old);
      CAPTURE(version);
      CAPTURE(o.why);
      CHECK_FALSE(o.connected);
      CHECK(o.reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION);
    }
  }
  SUBCASE("TLS 1.2 accepts exactly the ECDHE + AES-GCM/ChaCha20 suites of the key") {
    std::set<std::string> accepted;
    const auto offerable = offerable_tls12_suites();
    REQUIRE(offerable.size() > 20);
    for (const std::string& suite : offerable) {
      Offer one;
      one.max_version = TLS1_2_VERSION;
      one.ciphers = suite + ":@SECLEVEL=0";
      if (handshake(port, one).connected) accepted.insert(suite);
    }
    // The certificate is RSA: its ECDHE-RSA suites; no RSA key exchange, no DHE, no CBC.
    const std::set<std::string> expected{"ECDHE-RSA-AES128-GCM-SHA256",
                                         "ECDHE-RSA-AES256-GCM-SHA384",
                                         "ECDHE-RSA-CHACHA20-POLY1305"};
    CHECK(accepted == expected);
    // A refused suite gets the server's handshake_failure alert, not a local error.
    for (const char* weak : {"AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA",
                             "DHE-RSA-AES128-GCM-SHA256"}) {
      Offer one;
      one.max_version = TLS1_2_VERSION;
      one.ciphers = std::string(weak) + ":@SECLEVEL=0";
      const Outcome o = handshake(port, one);
      CAPTURE(weak);
      CAPTURE(o.why);
      CHECK_FALSE(o.connected);
      CHECK(o.reason == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE);
    }
  }
  SUBCASE("a client-initiated renegotiation is refused") {
    Offer tls12;
    tls12.max_version = TLS1_2_VERSION;
    tls12.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
    const Outcome o = handshake(port, tls12, true);
    CAPTURE(o.why);
    CHECK_FALSE(o.connected);
    CHECK(o.reason == SSL_R_NO_RENEGOTIATION);
  }
  CHECK(server.stop() == 0);
}

}  // namespace motcua::api::e2e
