#pragma once
// The TLS policy of the server's listeners, in one place (see make_server_tls). Thread-safe (a
// pure function; the context it returns is shared read-only by the connections).
#include <boost/asio/ssl/context.hpp>
#include <string>

#include "engine/error.hpp"

namespace motcua::api {

// A server context for a PEM certificate chain and key: TLS 1.3 preferred (its three AEAD suites),
// TLS 1.2 only with forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305), TLS 1.1
// and older refused; ECDHE groups X25519, P-256, P-384; the server's order of suites; no
// compression, no renegotiation (a client that asks for one gets a no_renegotiation alert).
// Errors: kInvalidInput when a file is unreadable or the key does not match the certificate.
engine::Result<boost::asio::ssl::context> make_server_tls(const std::string& cert_chain_file,
                                                          const std::string& key_file);

// The TLS 1.2 suites make_server_tls accepts, in the OpenSSL names and its order of preference.
extern const char* const kTls12Suites;

}  // namespace motcua::api
