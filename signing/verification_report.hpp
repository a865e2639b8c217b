#pragma once
// VerificationReport: what Verifier::verify found. Either valid() or `error` holds the exact reason
// (stable code + message + library detail). The signer, chain and algorithm fields are filled as
// far as verification got, so a refused document still says whose certificate was presented.
//
// Callers read data only from `signed_content`: the exclusive-c14n bytes of the element the
// signature covers, without the signature itself, which are exactly the bytes that were digested.
#include <optional>
#include <string>
#include <vector>

#include "signing/error.hpp"

namespace motcua::signing {

struct CertificateInfo {
  std::string subject;  // RFC 2253, UTF-8
  std::string issuer;
  std::string serial;      // hex
  std::string not_before;  // ISO 8601 UTC
  std::string not_after;
};

struct VerificationReport {
  std::optional<Error> error;
  bool valid() const { return !error.has_value(); }

  std::optional<CertificateInfo> signer;
  std::vector<CertificateInfo> chain;       // signer first, trust anchor last (when it chained)
  std::string key_algorithm;                // "RSA-2048", "EC-P-256"
  std::vector<std::string> key_usage;       // "digitalSignature", "nonRepudiation", ...
  std::string revocation;                   // "good", "revoked", "unknown", "not_checked"
  std::string verified_at;                  // the time the chain was checked at (ISO 8601 UTC)
  std::optional<std::string> signing_time;  // XAdES SigningTime, when present and signed

  std::string signature_method;  // algorithm URIs
  std::string canonicalization;
  std::vector<std::string> digest_methods;

  std::string reference_uri;   // "" or "#id"
  std::string signed_element;  // local name of the covered element
  std::string signed_element_namespace;
  std::string signed_element_id;
  std::string signed_content;  // see above; empty unless valid

  // JSON object of the report; `signed_content` only when include_content. The error's `detail`
  // (OpenSSL / xmlsec / libxml2 text) only when include_detail: it is for logs and the operator's
  // `verify` command, never for a client (POST /api/v1/verify sends the default).
  std::string to_json(bool include_content = false, bool include_detail = false) const;
};

}  // namespace motcua::signing
