#include "signing/signing_key.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "signing/internal/key_material.hpp"
#include "signing/internal/x509_util.hpp"

namespace motcua::signing {
namespace {

using internal::EvpPkeyPtr;
using internal::KeyMaterial;
using internal::X509Ptr;

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read " + path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Never prompts on a terminal: no password given means an encrypted key fails to load.
int password_callback(char* buf, int size, int /*rwflag*/, void* user) {
  const auto* pass = static_cast<const std::string*>(user);
  if (pass == nullptr || pass->empty() || pass->size() > static_cast<std::size_t>(size)) return 0;
  pass->copy(buf, pass->size());
  return static_cast<int>(pass->size());
}

// Orders `certs` leaf first: the certificate matching the key, then each issuer in turn; the
// certificates that do not belong to the leaf's path are dropped.
Result<std::vector<X509Ptr>> order_chain(EVP_PKEY* key, std::vector<X509Ptr> certs) {
  std::vector<X509Ptr> chain;
  for (auto it = certs.begin(); it != certs.end(); ++it) {
    if (X509_check_private_key(it->get(), key) == 1) {
      chain.push_back(std::move(*it));
      certs.erase(it);
      break;
    }
  }
  ERR_clear_error();  // X509_check_private_key reports each mismatch as an error
  if (chain.empty()) {
    return fail(ErrorCode::kKeyMismatch, "no certificate in the chain matches the private key");
  }
  for (bool found = true; found;) {
    found = false;
    X509* last = chain.back().get();
    if (X509_check_issued(last, last) == X509_V_OK) break;  // self-signed: the root
    for (auto it = certs.begin(); it != certs.end(); ++it) {
      if (X509_check_issued(it->get(), last) == X509_V_OK) {
        chain.push_back(std::move(*it));
        certs.erase(it);
        found = true;
        break;
      }
    }
  }
  return chain;
}

Result<SigningKey> finish(EvpPkeyPtr key, std::vector<X509Ptr> certs,
                          SigningKey (*make)(std::shared_ptr<const KeyMaterial>)) {
  auto chain = order_chain(key.get(), std::move(certs));
  if (!chain) return tl::unexpected(chain.error());
  auto m = std::make_shared<KeyMaterial>();
  bool strong = false;
  m->algorithm = internal::describe_key(key.get(), &strong, &m->is_rsa);
  if (!strong) {
    return fail(ErrorCode::kUnsupportedKey,
                "signing keys must be RSA >= 2048 bits or EC P-256 or "
                "stronger; this one is " +
                    m->algorithm);
  }
  m->key = std::move(key);
  m->chain = std::move(*chain);
  for (const auto& cert : m->chain) {
    auto der = internal::der_base64(cert.get());
    if (!der) return tl::unexpected(der.error());
    m->chain_base64.push_back(std::move(*der));
  }
  const X509* leaf = m->chain.front().get();
  auto digest = internal::digest_base64(leaf, EVP_sha256());
  if (!digest) return tl::unexpected(digest.error());
  m->leaf_sha256_base64 = std::move(*digest);
  auto issuer_serial = internal::issuer_serial_v2_base64(leaf);
  if (!issuer_serial) return tl::unexpected(issuer_serial.error());
  m->issuer_serial_v2_base64 = std::move(*issuer_serial);
  auto subject = internal::name_to_string(X509_get_subject_name(leaf));
  if (!subject) return tl::unexpected(subject.error());
  m->subject = std::move(*subject);
  return make(std::move(m));
}

}  // namespace

Result<SigningKey> SigningKey::from_pkcs12(const std::string& path, std::string_view password) {
  auto bytes = read_file(path);
  if (!bytes) return tl::unexpected(bytes.error());
  internal::clear_library_errors();
  auto bio = internal::memory_bio(*bytes);
  if (!bio) return tl::unexpected(bio.error());
  internal::Pkcs12Ptr p12(d2i_PKCS12_bio(bio->get(), nullptr));
  if (!p12) {
    return fail(ErrorCode::kKeyLoad, path + " is not a PKCS#12 bundle",
                internal::take_library_errors());
  }
  std::string pass(password);
  EVP_PKEY* raw_key = nullptr;
  X509* raw_cert = nullptr;
  STACK_OF(X509)* raw_ca = nullptr;
  const int ok = PKCS12_parse(p12.get(), pass.c_str(), &raw_key, &raw_cert, &raw_ca);
  OPENSSL_cleanse(pass.data(), pass.size());
  EvpPkeyPtr key(raw_key);
  X509Ptr cert(raw_cert);
  internal::X509StackPtr ca(raw_ca);
  if (ok != 1 || !key || !cert) {
    return fail(ErrorCode::kKeyLoad,
                "cannot open " + path + " (wrong password or no key/certificate)",
                internal::take_library_errors());
  }
  std::vector<X509Ptr> certs;
  certs.push_back(std::move(cert));
  while (ca && sk_X509_num(ca.get()) > 0) certs.emplace_back(sk_X509_shift(ca.get()));
  return finish(std::move(key), std::move(certs),
                [](std::shared_ptr<const KeyMaterial> m) { return SigningKey(std::move(m)); });
}

Result<SigningKey> SigningKey::from_pem(const std::string& key_path, const std::string& chain_path,
                                        std::string_view password) {
  auto key_bytes = read_file(key_path);
  if (!key_bytes) return tl::unexpected(key_bytes.error());
  auto chain_bytes = read_file(chain_path);
  if (!chain_bytes) return tl::unexpected(chain_bytes.error());
  internal::clear_library_errors();
  auto key_bio = internal::memory_bio(*key_bytes);
  if (!key_bio) {
    OPENSSL_cleanse(key_bytes->data(), key_bytes->size());
    return tl::unexpected(key_bio.error());
  }
  std::string pass(password);
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(key_bio->get(), nullptr, password_callback, &pass));
  OPENSSL_cleanse(pass.data(), pass.size());
  OPENSSL_cleanse(key_bytes->data(), key_bytes->size());
  if (!key) {
    return fail(ErrorCode::kKeyLoad, "cannot read the private key " + key_path,
                internal::take_library_errors());
  }
  auto chain_bio = internal::memory_bio(*chain_bytes);
  if (!chain_bio) return tl::unexpected(chain_bio.error());
  internal::clear_library_errors();  // only the chain's errors below
  std::vector<X509Ptr> certs;
  while (X509* c = PEM_read_bio_X509(chain_bio->get(), nullptr, password_callback, nullptr))
    certs.emplace_back(c);
  // The loop ends at the first PEM block that is not a certificate. Running out of blocks is
  // reported as PEM_R_NO_START_LINE; anything else (a damaged block, a truncated file) would
  // otherwise drop the rest of the chain unnoticed.
  const unsigned long end = ERR_peek_last_error();
  if (end != 0 &&
      !(ERR_GET_LIB(end) == ERR_LIB_PEM && ERR_GET_REASON(end) == PEM_R_NO_START_LINE)) {
    return fail(ErrorCode::kKeyLoad, "a certificate in " + chain_path + " cannot be read",
                internal::take_library_errors());
  }
  ERR_clear_error();
  if (certs.empty()) return fail(ErrorCode::kKeyLoad, "no certificate in " + chain_path);
  return finish(std::move(key), std::move(certs),
                [](std::shared_ptr<const KeyMaterial> m) { return SigningKey(std::move(m)); });
}

std::string SigningKey::subject() const { return material_->subject; }
std::string SigningKey::algorithm() const { return material_->algorithm; }

}  // namespace motcua::signing
