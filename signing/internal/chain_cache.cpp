#include "signing/internal/chain_cache.hpp"

#include <openssl/asn1.h>

namespace motcua::signing::internal {

std::shared_ptr<const CachedChain> ChainCache::find(const std::string& key, std::time_t at) const {
  std::shared_ptr<const CachedChain> entry;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return nullptr;
    entry = it->second;
  }
  if (at < entry->valid_from || at >= entry->valid_to) return nullptr;
  for (std::size_t i = 0; i < entry->chain.size(); ++i) {
    if (entry->crls[i] == nullptr) continue;
    X509_REVOKED* revoked = nullptr;
    // 0: not listed. 1 (revoked), 2 (removeFromCRL) and any failure all send the verification
    // through the full validation, which decides.
    if (X509_CRL_get0_by_serial(entry->crls[i], &revoked,
                                X509_get0_serialNumber(entry->chain[i].get())) != 0) {
      return nullptr;
    }
  }
  return entry;
}

void ChainCache::insert(const std::string& key, std::shared_ptr<const CachedChain> entry) const {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kLimit) entries_.clear();
  entries_[key] = std::move(entry);
}

bool asn1_to_time_t(const ASN1_TIME* t, std::time_t* out) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return false;
  *out = timegm(&tm);
  return true;
}

}  // namespace motcua::signing::internal
