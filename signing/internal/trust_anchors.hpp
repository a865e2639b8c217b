#pragma once
// Internal to signing/: the parsed trust store and CRLs a Verifier keeps, and chain validation.
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "signing/error.hpp"
#include "signing/internal/c_handles.hpp"
#include "signing/internal/chain_cache.hpp"
#include "signing/verification_report.hpp"
#include "signing/verifier.hpp"

namespace motcua::signing::internal {

struct TrustAnchors {
  X509StorePtr store;  // CA certificates and CRLs; never OpenSSL's default paths
  std::size_t certificates = 0;
  std::size_t crls = 0;
  bool check_revocation = true;
  std::vector<X509Ptr> store_certificates;  // what `store` holds, for the cache's checks
  std::vector<X509CrlPtr> store_crls;
  ChainCache chains;  // chains that passed full validation (see chain_cache.hpp)

  // Parsed signer certificates by their DER bytes: decoding an X509 (its public key above all) is
  // the slowest step of a verification with OpenSSL 3, and agencies sign with few certificates.
  // Returns a new reference. Errors: kNoCertificate when `der` is not exactly one certificate,
  // kLibrary.
  Result<X509Ptr> decode_certificate(const std::string& der) const;

 private:
  static constexpr std::size_t kCacheLimit = 512;
  static constexpr std::size_t kCacheableSize = 16 * 1024;  // larger DER is decoded, not kept
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, X509Ptr> cache_;
};

Result<std::shared_ptr<TrustAnchors>> load_trust_anchors(const VerifierConfig& config);

// Validates `leaf` with `untrusted` intermediates at time `at`; fills report.chain and
// report.revocation. `cache_key` identifies the document's certificate list (all of `untrusted`
// and `leaf`): a chain validated before under that key is reused within its window. Errors:
// kUntrustedCertificate, kSelfSignedCertificate, kCertificateExpired, kCertificateNotYetValid,
// kCertificateRevoked, kRevocationUnknown, kCertificateInvalid, kLibrary.
Status check_chain(const TrustAnchors& trust, X509* leaf, STACK_OF(X509) * untrusted,
                   std::time_t at, const std::string& cache_key, VerificationReport& report);

// Errors: kCertificateInvalid (a name or time that cannot be rendered), kLibrary.
Result<CertificateInfo> certificate_info(const X509* cert);

}  // namespace motcua::signing::internal
