#pragma once
// Internal to signing/: what a SigningKey holds, precomputed once so that signing only reads it.
#include <string>
#include <vector>

#include "signing/internal/c_handles.hpp"

namespace motcua::signing::internal {

struct KeyMaterial {
  EvpPkeyPtr key;
  std::vector<X509Ptr> chain;             // leaf first
  std::vector<std::string> chain_base64;  // DER of each certificate, base64
  std::string leaf_sha256_base64;         // XAdES CertDigest
  std::string issuer_serial_v2_base64;    // XAdES IssuerSerialV2 (DER of IssuerSerial)
  bool is_rsa = false;
  std::string subject;
  std::string algorithm;
};

}  // namespace motcua::signing::internal
