#include "signing/verifier.hpp"

#include <openssl/evp.h>
#include <openssl/x509v3.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "signing/internal/c_handles.hpp"
#include "signing/internal/dsig_check.hpp"
#include "signing/internal/signature_layout.hpp"
#include "signing/internal/trust_anchors.hpp"
#include "signing/internal/x509_util.hpp"
#include "signing/internal/xades.hpp"
#include "signing/internal/xml_parse.hpp"

namespace motcua::signing {
namespace {

using namespace internal;

constexpr std::size_t kTrimAfterBytes = 1024 * 1024;

// Decodes the document's certificates; `key` receives the SHA-256 of them all (DER,
// length-prefixed, in order), which identifies the list for the chain cache. A digest, not the
// list itself: the cache outlives the request, and KeyInfo is not covered by the signature.
Result<std::vector<X509Ptr>> decode_certificates(const TrustAnchors& trust,
                                                 const std::vector<std::string>& base64,
                                                 std::string& key) {
  std::vector<X509Ptr> certs;
  std::string list;
  for (const std::string& text : base64) {
    auto der = base64_decode(text);
    std::string bytes = der ? std::string(der->begin(), der->end()) : std::string();
    list += std::to_string(bytes.size()) + ':' + bytes;
    if (!der) {
      return fail(ErrorCode::kNoCertificate,
                  "an X509Certificate element does not hold a certificate");
    }
    auto cert = trust.decode_certificate(bytes);
    if (!cert) return tl::unexpected(cert.error());
    certs.push_back(std::move(*cert));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(list.data(), list.size(), md, &len, EVP_sha256(), nullptr) != 1) {
    return fail(ErrorCode::kLibrary, "cannot hash the certificate list", take_library_errors());
  }
  key.assign(reinterpret_cast<const char*>(md), len);
  return certs;
}

// The signer is the certificate that issued none of the others.
X509* pick_leaf(const std::vector<X509Ptr>& certs) {
  for (const auto& c : certs) {
    bool issues = false;
    for (const auto& other : certs) {
      if (other != c && X509_check_issued(c.get(), other.get()) == X509_V_OK) issues = true;
    }
    if (!issues) return c.get();
  }
  return certs.front().get();
}

std::vector<std::string> key_usage_names(X509* cert) {
  std::vector<std::string> out;
  if ((X509_get_extension_flags(cert) & EXFLAG_KUSAGE) == 0) return out;
  const uint32_t ku = X509_get_key_usage(cert);
  const std::pair<uint32_t, const char*> names[] = {{KU_DIGITAL_SIGNATURE, "digitalSignature"},
                                                    {KU_NON_REPUDIATION, "nonRepudiation"},
                                                    {KU_KEY_ENCIPHERMENT, "keyEncipherment"},
                                                    {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
                                                    {KU_KEY_AGREEMENT, "keyAgreement"},
                                                    {KU_KEY_CERT_SIGN, "keyCertSign"},
                                                    {KU_CRL_SIGN, "cRLSign"}};
  for (const auto& [bit, name] : names) {
    if ((ku & bit) != 0) out.emplace_back(name);
  }
  return out;
}

Status verify_into(const TrustAnchors& trust, std::string_view xml, const VerifyOptions& options,
                   VerificationReport& report) {
  const std::time_t at = options.at != 0 ? options.at : std::time(nullptr);
  report.verified_at = format_utc(at);
  clear_library_errors();
  auto doc = parse_untrusted(xml, options.limits);
  if (!doc) return tl::unexpected(doc.error());
  auto layout = check_layout(doc->get(), options);
  if (!layout) return tl::unexpected(layout.error());
  report.signature_method = layout->signature_method;
  report.canonicalization = layout->canonicalization;
  report.digest_methods = layout->digest_methods;
  report.reference_uri = layout->reference_uri;
  const xmlNode* element = layout->signed_element;
  report.signed_element = reinterpret_cast<const char*>(element->name);
  if (element->ns != nullptr)
    report.signed_element_namespace = reinterpret_cast<const char*>(element->ns->href);
  if (!layout->reference_uri.empty()) report.signed_element_id = layout->reference_uri.substr(1);

  std::string cache_key;
  auto certs = decode_certificates(trust, layout->certificates, cache_key);
  if (!certs) return tl::unexpected(certs.error());
  X509* leaf = pick_leaf(*certs);
  auto signer = certificate_info(leaf);
  if (!signer) return tl::unexpected(signer.error());
  report.signer = std::move(*signer);
  report.key_usage = key_usage_names(leaf);
  EVP_PKEY* public_key = X509_get0_pubkey(leaf);  // decoded on first use: may fail
  if (public_key == nullptr) {
    return fail(ErrorCode::kCertificateInvalid, "the signer's certificate holds no usable key",
                take_library_errors());
  }
  bool strong = false, is_rsa = false;
  report.key_algorithm = describe_key(public_key, &strong, &is_rsa);
  if (!strong) {
    return fail(ErrorCode::kWeakKey, "the signer's key is " + report.key_algorithm +
                                         "; RSA >= 2048 bits or EC P-256 or stronger is required");
  }
  if (is_rsa != layout->rsa_method) {
    return fail(ErrorCode::kAlgorithmNotAllowed,
                "the signature method does not match the signer's key type");
  }
  X509BorrowedStack untrusted(sk_X509_new_null());  // borrows the certificates
  if (!untrusted) return fail(ErrorCode::kLibrary, "cannot build a chain", take_library_errors());
  for (const auto& c : *certs) {
    if (c.get() != leaf && sk_X509_push(untrusted.get(), c.get()) <= 0)
      return fail(ErrorCode::kLibrary, "cannot build a chain", take_library_errors());
  }
  Status chain = check_chain(trust, leaf, untrusted.get(), at, cache_key, report);
  if (!chain) return chain;
  const uint32_t ku = X509_get_key_usage(leaf);
  if ((X509_get_extension_flags(leaf) & EXFLAG_KUSAGE) == 0 ||
      (ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
    return fail(ErrorCode::kKeyUsage,
                "the signer's certificate allows neither digitalSignature nor nonRepudiation");
  }
  if (X509_check_ca(leaf) != 0) {
    return fail(ErrorCode::kKeyUsage,
                "the signer's certificate is a CA certificate; CAs certify keys, they do not sign "
                "documents");
  }
  auto content = check_signature_crypto(doc->get(), *layout, public_key);
  if (!content) return tl::unexpected(content.error());
  if (layout->signed_properties != nullptr) {
    std::time_t signing_time = 0;
    if (auto s = check_signed_properties(layout->signed_properties, leaf, &signing_time); !s)
      return s;
    report.signing_time = format_utc(signing_time);
  }
  report.signed_content = std::move(*content);
  return {};
}

}  // namespace

Result<Verifier> Verifier::create(const VerifierConfig& config) {
  auto trust = load_trust_anchors(config);
  if (!trust) return tl::unexpected(trust.error());
  return Verifier(std::move(*trust));
}

VerificationReport Verifier::verify(std::string_view xml, const VerifyOptions& options) const {
  VerificationReport report;
  if (Status s = verify_into(*trust_, xml, options, report); !s) {
    report.error = s.error();
    report.signed_content.clear();
  }
#if defined(__GLIBC__)
  // The tree of a large document is freed by now, but glibc keeps the pages of its many small
  // blocks (~10 bytes of memory per byte of input) in the worker's arena; hand them back.
  if (xml.size() >= kTrimAfterBytes) malloc_trim(0);
#endif
  return report;
}

std::size_t Verifier::certificate_count() const { return trust_->certificates; }
std::size_t Verifier::crl_count() const { return trust_->crls; }

}  // namespace motcua::signing
