#pragma once
// Internal to signing/: remembers chains that passed full validation, so that repeated
// verifications of documents from the same agency skip X509_verify_cert (which re-checks every
// certificate and CRL signature each time: most of a verification's cost with OpenSSL 3).
//
// Why a cached verdict is the verdict a full validation would give:
//  - The key is the SHA-256 of the document's whole certificate list (DER, length-prefixed, in
//    order; at most 10 certificates, see signature_layout.cpp). The trust store, the CRLs
//    and the flags are fixed for the Verifier that owns the cache, so the only input that still
//    varies between two verifications with the same key is the time `at`.
//  - For a fixed chain, time enters X509_verify_cert only through the validity of each certificate
//    (notBefore <= at < notAfter) and of the CRL used for each certificate (lastUpdate <= at <
//    nextUpdate). The entry records the intersection of those intervals, shrunk by a second at
//    each end, and is used only for an `at` inside it; outside it the full validation runs again.
//  - Revocation given one CRL does not depend on time (OpenSSL does not compare revocationDate):
//    a listed serial is revoked at any time the CRL is valid. A hit still looks every chain
//    certificate up in its issuer's CRL (X509_CRL_get0_by_serial on CRLs whose signatures the full
//    validation checked); a listed one makes the verification start over in full.
//  - Time can also change which chain OpenSSL builds when several certificates share a subject
//    (it prefers an issuer valid at `at`), and which CRL it picks when an issuer has several. Such
//    chains are never cached: every subject in the chain must belong to exactly one certificate of
//    the store and the document, and every issuer must have exactly one CRL.
//  - Only successes are cached; refusals always come from a full validation.
// The cache belongs to one Verifier: a Verifier made later with newer CRLs starts empty.
// Thread-safety: all members may be called concurrently (one mutex, held only for the lookup).
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "signing/internal/c_handles.hpp"
#include "signing/verification_report.hpp"

namespace motcua::signing::internal {

struct CachedChain {
  std::vector<X509Ptr> chain;                // leaf first, trust anchor last
  std::vector<X509_CRL*> crls;               // per chain certificate, its issuer's CRL (borrowed)
  std::vector<CertificateInfo> info;         // the report's chain
  std::time_t valid_from = 0, valid_to = 0;  // the verdict holds for valid_from <= at < valid_to
};

class ChainCache {
 public:
  // The cached chain for `key` when `at` is inside its window and no CRL lists one of its
  // certificates; nullptr otherwise.
  std::shared_ptr<const CachedChain> find(const std::string& key, std::time_t at) const;

  void insert(const std::string& key, std::shared_ptr<const CachedChain> entry) const;

 private:
  static constexpr std::size_t kLimit = 1024;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::shared_ptr<const CachedChain>> entries_;
};

// Seconds since the epoch of an ASN1_TIME; false when it cannot be read.
bool asn1_to_time_t(const ASN1_TIME* t, std::time_t* out);

}  // namespace motcua::signing::internal
