#pragma once
// SigningKey: a private key and its certificate chain, loaded once (from a PKCS#12 bundle or from a
// PEM key plus a PEM chain) and then reused by every Signer made from it. Copies share the same
// immutable key material; it is safe to use from several threads at once. Requires a live Library.
//
// Accepted keys: RSA of 2048 bits or more (signs with RSA-SHA256) and EC P-256/P-384/P-521 (signs
// with ECDSA-SHA256). The certificate must match the key; the other certificates of the bundle or
// chain file are kept as the chain (leaf first, then issuers in order) and end up in KeyInfo.
// Errors: kIo (unreadable file), kKeyLoad (bad format or password), kKeyMismatch, kUnsupportedKey.
#include <memory>
#include <string>
#include <string_view>

#include "signing/error.hpp"

namespace motcua::signing {

namespace internal {
struct KeyMaterial;
}

class SigningKey {
 public:
  static Result<SigningKey> from_pkcs12(const std::string& path, std::string_view password);
  // `password` decrypts an encrypted PEM key; empty for an unencrypted key.
  static Result<SigningKey> from_pem(const std::string& key_path, const std::string& chain_path,
                                     std::string_view password = {});

  std::string subject() const;    // RFC 2253, UTF-8
  std::string algorithm() const;  // "RSA-2048", "EC-P-256", ...

  const internal::KeyMaterial& material() const { return *material_; }

 private:
  explicit SigningKey(std::shared_ptr<const internal::KeyMaterial> m) : material_(std::move(m)) {}
  std::shared_ptr<const internal::KeyMaterial> material_;
};

}  // namespace motcua::signing
