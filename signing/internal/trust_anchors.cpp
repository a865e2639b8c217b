#include "signing/internal/trust_anchors.hpp"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "signing/internal/x509_util.hpp"

namespace motcua::signing::internal {
namespace {

namespace fs = std::filesystem;

// For messages and log details only, where a name that cannot be rendered must not hide the
// error being reported.
std::string printable_name(const X509_NAME* name) {
  auto text = name_to_string(name);
  if (text) return std::move(*text);
  return "(unreadable name: " + text.error().detail + ")";
}

// Adds the certificates and CRLs of one PEM or DER file to `trust`.
Status add_file(const fs::path& path, bool certificates_allowed, TrustAnchors& trust) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, "cannot read " + path.string());
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  clear_library_errors();
  std::vector<X509Ptr> certs;
  std::vector<X509CrlPtr> crls;
  auto bio = memory_bio(bytes);
  if (!bio) {
    return fail(ErrorCode::kTrustStore, path.string() + ": " + bio.error().message,
                bio.error().detail);
  }
  // No PEM at all (DER, or not a certificate file) leaves nullptr and the DER attempt below.
  X509InfoStackPtr infos(PEM_X509_INFO_read_bio(bio->get(), nullptr, nullptr, nullptr));
  if (infos) {
    for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i) {
      X509_INFO* info = sk_X509_INFO_value(infos.get(), i);
      if (info->x509 != nullptr) certs.emplace_back(std::exchange(info->x509, nullptr));
      if (info->crl != nullptr) crls.emplace_back(std::exchange(info->crl, nullptr));
    }
  }
  if (certs.empty() && crls.empty()) {  // DER: one certificate or one CRL
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    if (X509* c = d2i_X509(nullptr, &p, static_cast<long>(bytes.size())); c != nullptr) {
      certs.emplace_back(c);
    } else {
      p = reinterpret_cast<const unsigned char*>(bytes.data());
      if (X509_CRL* crl = d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size()));
          crl != nullptr) {
        crls.emplace_back(crl);
      }
    }
  }
  if (certs.empty() && crls.empty()) {
    return fail(ErrorCode::kTrustStore, path.string() + " holds no certificate or CRL",
                take_library_errors());
  }
  clear_library_errors();
  if (!certs.empty() && !certificates_allowed) {
    return fail(ErrorCode::kTrustStore, path.string() + " should hold CRLs only");
  }
  // The store takes its own reference to what it is given; ours moves into `trust`.
  for (auto& c : certs) {
    if (X509_check_ca(c.get()) == 0) {
      return fail(ErrorCode::kTrustStore, path.string() +
                                              " holds a certificate that is not a CA: " +
                                              printable_name(X509_get_subject_name(c.get())));
    }
    if (X509_STORE_add_cert(trust.store.get(), c.get()) != 1) {
      return fail(ErrorCode::kTrustStore, "cannot add a certificate of " + path.string(),
                  take_library_errors());
    }
    trust.store_certificates.push_back(std::move(c));
    ++trust.certificates;
  }
  for (auto& crl : crls) {
    if (X509_STORE_add_crl(trust.store.get(), crl.get()) != 1) {
      return fail(ErrorCode::kTrustStore, "cannot add a CRL of " + path.string(),
                  take_library_errors());
    }
    trust.store_crls.push_back(std::move(crl));
    ++trust.crls;
  }
  return {};
}

Status add_path(const std::string& path, bool certificates_allowed, TrustAnchors& trust) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(path, ec)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() &&
          (ext == ".pem" || ext == ".crt" || ext == ".cer" || ext == ".der" || ext == ".crl")) {
        files.push_back(entry.path());
      }
    }
    if (ec) return fail(ErrorCode::kIo, "cannot list " + path, ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (auto s = add_file(f, certificates_allowed, trust); !s) return s;
    }
    return {};
  }
  if (!fs::exists(path, ec)) return fail(ErrorCode::kIo, path + " does not exist");
  return add_file(path, certificates_allowed, trust);
}

// X509_NAME_cmp gives -2 when a name has no canonical encoding: the names cannot be told apart.
constexpr int kNameCmpError = -2;

// The number of distinct certificates with the subject of `cert` among `cert` itself, the store's
// and `untrusted`; -1 when a subject cannot be compared.
int certificates_named(const TrustAnchors& trust, STACK_OF(X509) * untrusted, X509* cert) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  std::vector<X509*> seen{cert};
  bool comparable = true;
  auto count = [&](X509* c) {
    const int order = X509_NAME_cmp(X509_get_subject_name(c), subject);
    if (order == kNameCmpError) comparable = false;
    if (order != 0) return;
    for (X509* s : seen) {
      if (X509_cmp(s, c) == 0) return;
    }
    seen.push_back(c);
  };
  for (const auto& c : trust.store_certificates) count(c.get());
  for (int i = 0; untrusted != nullptr && i < sk_X509_num(untrusted); ++i)
    count(sk_X509_value(untrusted, i));
  if (!comparable) {
    clear_library_errors();
    return -1;
  }
  return static_cast<int>(seen.size());
}

// After a successful X509_verify_cert: the cache entry for its chain, or nullptr when the verdict
// could change inside the validity window for another reason than time (see chain_cache.hpp).
std::shared_ptr<const CachedChain> cacheable_chain(const TrustAnchors& trust, X509_STORE_CTX* ctx,
                                                   STACK_OF(X509) * untrusted,
                                                   const std::vector<CertificateInfo>& info) {
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx);
  if (chain == nullptr || sk_X509_num(chain) == 0) return nullptr;
  auto entry = std::make_shared<CachedChain>();
  std::time_t from = 0, to = 0;
  entry->valid_from = std::numeric_limits<std::time_t>::min();
  entry->valid_to = std::numeric_limits<std::time_t>::max();
  auto narrow = [&](std::time_t a, std::time_t b) {
    entry->valid_from = std::max(entry->valid_from, a);
    entry->valid_to = std::min(entry->valid_to, b);
  };
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    X509* cert = sk_X509_value(chain, i);
    if (certificates_named(trust, untrusted, cert) != 1) return nullptr;
    if (!asn1_to_time_t(X509_get0_notBefore(cert), &from) ||
        !asn1_to_time_t(X509_get0_notAfter(cert), &to)) {
      return nullptr;
    }
    narrow(from, to);
    X509_CRL* crl = nullptr;
    if (trust.check_revocation) {
      for (const auto& candidate : trust.store_crls) {
        const int order =
            X509_NAME_cmp(X509_CRL_get_issuer(candidate.get()), X509_get_issuer_name(cert));
        if (order == kNameCmpError) {
          clear_library_errors();
          return nullptr;
        }
        if (order != 0) continue;
        if (crl != nullptr) return nullptr;  // several CRLs: OpenSSL picks one by time
        crl = candidate.get();
      }
      if (crl == nullptr || !asn1_to_time_t(X509_CRL_get0_lastUpdate(crl), &from)) return nullptr;
      to = std::numeric_limits<std::time_t>::max();
      if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl);
          next != nullptr && !asn1_to_time_t(next, &to)) {
        return nullptr;
      }
      narrow(from, to);
    }
    // A chain that cannot be referenced is not cached; the verdict just given stands.
    if (X509_up_ref(cert) != 1) {
      clear_library_errors();
      return nullptr;
    }
    entry->chain.emplace_back(cert);
    entry->crls.push_back(crl);
  }
  // A second of margin at each end: the verdict is reused only strictly inside the window.
  if (entry->valid_from != std::numeric_limits<std::time_t>::min()) entry->valid_from += 1;
  if (entry->valid_to != std::numeric_limits<std::time_t>::max()) entry->valid_to -= 1;
  if (entry->valid_from >= entry->valid_to) return nullptr;
  entry->info = info;
  return entry;
}

}  // namespace

Result<std::shared_ptr<TrustAnchors>> load_trust_anchors(const VerifierConfig& config) {
  auto trust = std::make_shared<TrustAnchors>();
  trust->store.reset(X509_STORE_new());
  trust->check_revocation = config.check_revocation;
  if (!trust->store)
    return fail(ErrorCode::kLibrary, "cannot create an X509 store", take_library_errors());
  if (config.trust.empty()) return fail(ErrorCode::kTrustStore, "no trust store given");
  for (const auto& path : config.trust) {
    if (auto s = add_path(path, true, *trust); !s) return tl::unexpected(s.error());
  }
  for (const auto& path : config.crls) {
    if (auto s = add_path(path, false, *trust); !s) return tl::unexpected(s.error());
  }
  bool has_root = false;
  X509StackPtr all(X509_STORE_get1_all_certs(trust->store.get()));
  if (!all) {
    return fail(ErrorCode::kLibrary, "cannot list the trust store's certificates",
                take_library_errors());
  }
  for (int i = 0; i < sk_X509_num(all.get()); ++i) {
    X509* c = sk_X509_value(all.get(), i);
    if (X509_check_issued(c, c) == X509_V_OK) has_root = true;
  }
  if (!has_root)
    return fail(ErrorCode::kTrustStore, "the trust store holds no self-signed root CA");
  return trust;
}

Result<X509Ptr> TrustAnchors::decode_certificate(const std::string& der) const {
  {
    std::lock_guard lock(mutex_);
    if (auto it = cache_.find(der); it != cache_.end()) {
      if (X509_up_ref(it->second.get()) != 1) {
        return fail(ErrorCode::kLibrary, "cannot reference a certificate", take_library_errors());
      }
      return X509Ptr(it->second.get());
    }
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return fail(ErrorCode::kNoCertificate, "an X509Certificate element does not hold a certificate",
                take_library_errors());
  }
  if (der.size() > kCacheableSize) return cert;  // real certificates are a few KB
  // A certificate that cannot be referenced twice is used without being cached.
  if (X509_up_ref(cert.get()) != 1) {
    clear_library_errors();
    return cert;
  }
  X509Ptr cached(cert.get());
  std::lock_guard lock(mutex_);
  if (cache_.size() >= kCacheLimit) cache_.clear();
  cache_.emplace(der, std::move(cached));
  return cert;
}

Result<CertificateInfo> certificate_info(const X509* cert) {
  auto subject = name_to_string(X509_get_subject_name(cert));
  if (!subject) return tl::unexpected(subject.error());
  auto issuer = name_to_string(X509_get_issuer_name(cert));
  if (!issuer) return tl::unexpected(issuer.error());
  auto serial = serial_hex(cert);
  if (!serial) return tl::unexpected(serial.error());
  auto not_before = asn1_time_iso(X509_get0_notBefore(cert));
  if (!not_before) return tl::unexpected(not_before.error());
  auto not_after = asn1_time_iso(X509_get0_notAfter(cert));
  if (!not_after) return tl::unexpected(not_after.error());
  return CertificateInfo{std::move(*subject), std::move(*issuer), std::move(*serial),
                         std::move(*not_before), std::move(*not_after)};
}

Status check_chain(const TrustAnchors& trust, X509* leaf, STACK_OF(X509) * untrusted,
                   std::time_t at, const std::string& cache_key, VerificationReport& report) {
  if (auto hit = trust.chains.find(cache_key, at); hit != nullptr) {
    report.chain = hit->info;
    report.revocation = trust.check_revocation ? "good" : "not_checked";
    return {};
  }
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), trust.store.get(), leaf, untrusted) != 1) {
    return fail(ErrorCode::kLibrary, "cannot start chain validation", take_library_errors());
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, at);  // void: sets a field and the USE_CHECK_TIME flag
  unsigned long flags = X509_V_FLAG_X509_STRICT;
  if (trust.check_revocation) flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
  if (X509_VERIFY_PARAM_set_flags(param, flags) != 1) {
    return fail(ErrorCode::kLibrary, "cannot set the chain validation flags",
                take_library_errors());
  }

  const int ok = X509_verify_cert(ctx.get());
  if (ok < 0) {  // not a verdict: the validation itself could not run
    return fail(ErrorCode::kLibrary, "chain validation failed to run", take_library_errors());
  }
  if (STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get()); chain != nullptr) {
    for (int i = 0; i < sk_X509_num(chain); ++i) {
      auto info = certificate_info(sk_X509_value(chain, i));
      // A refused chain is reported by its refusal below; the report then lists only the
      // certificates that can be rendered.
      if (!info && ok == 1) return tl::unexpected(info.error());
      if (info) report.chain.push_back(std::move(*info));
    }
  }
  report.revocation = trust.check_revocation ? "unknown" : "not_checked";
  if (ok == 1) {
    if (trust.check_revocation) report.revocation = "good";
    if (auto entry = cacheable_chain(trust, ctx.get(), untrusted, report.chain); entry != nullptr)
      trust.chains.insert(cache_key, std::move(entry));
    clear_library_errors();
    return {};
  }
  const int err = X509_STORE_CTX_get_error(ctx.get());
  const int depth = X509_STORE_CTX_get_error_depth(ctx.get());
  X509* bad = X509_STORE_CTX_get_current_cert(ctx.get());
  std::string detail = std::string("openssl: ") + X509_verify_cert_error_string(err) +
                       " at depth " + std::to_string(depth);
  if (bad != nullptr) detail += " (" + printable_name(X509_get_subject_name(bad)) + ")";
  if (std::string queue = take_library_errors(); !queue.empty()) detail += "; " + queue;
  const std::string who = depth == 0 ? "the signer's certificate" : "a CA certificate of the chain";
  switch (err) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
      return fail(ErrorCode::kCertificateExpired, who + " had expired at the verification time",
                  detail);
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return fail(ErrorCode::kCertificateNotYetValid,
                  who + " was not yet valid at the verification time", detail);
    case X509_V_ERR_CERT_REVOKED:
      report.revocation = "revoked";
      return fail(ErrorCode::kCertificateRevoked, who + " is revoked", detail);
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
      return fail(
          ErrorCode::kRevocationUnknown,
          "the revocation status of " + who + " is unknown (no valid CRL at the verification time)",
          detail);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
      return fail(ErrorCode::kSelfSignedCertificate, "the signer's certificate is self-signed",
                  detail);
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      return fail(ErrorCode::kUntrustedCertificate,
                  "the signer's certificate does not chain to the trust store", detail);
    default:
      return fail(ErrorCode::kCertificateInvalid, "the certificate chain is invalid", detail);
  }
}

}  // namespace motcua::signing::internal
