#include "signing/internal/dsig_check.hpp"

#include <openssl/ec.h>

#include "signing/internal/c_handles.hpp"
#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/x509_util.hpp"

namespace motcua::signing::internal {
namespace {

void free_ecdsa_sig(ECDSA_SIG* s) noexcept { ECDSA_SIG_free(s); }
void free_md_ctx(EVP_MD_CTX* c) noexcept { EVP_MD_CTX_free(c); }

std::string digest(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1) return {};
  return std::string(reinterpret_cast<char*>(out), len);
}

// The ECDSA signature value r || s as DER, for EVP_DigestVerify; "" when malformed.
std::string ecdsa_raw_to_der(const std::vector<unsigned char>& raw, int order_bytes) {
  if (order_bytes <= 0 || raw.size() != 2 * static_cast<std::size_t>(order_bytes)) return {};
  CHandle<ECDSA_SIG, free_ecdsa_sig> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), order_bytes, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + order_bytes, order_bytes, nullptr);
  if (!sig || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return {};
  }
  unsigned char* der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

int ec_order_bytes(EVP_PKEY* key) { return (EVP_PKEY_get_bits(key) + 7) / 8; }

}  // namespace

const EVP_MD* digest_for_signature_method(const std::string& uri) {
  const std::string more = "http://www.w3.org/2001/04/xmldsig-more#";
  if (uri == more + "rsa-sha256" || uri == more + "ecdsa-sha256") return EVP_sha256();
  if (uri == more + "rsa-sha384" || uri == more + "ecdsa-sha384") return EVP_sha384();
  if (uri == more + "rsa-sha512" || uri == more + "ecdsa-sha512") return EVP_sha512();
  return nullptr;
}

const EVP_MD* digest_for_digest_method(const std::string& uri) {
  if (uri == "http://www.w3.org/2001/04/xmlenc#sha256") return EVP_sha256();
  if (uri == "http://www.w3.org/2001/04/xmldsig-more#sha384") return EVP_sha384();
  if (uri == "http://www.w3.org/2001/04/xmlenc#sha512") return EVP_sha512();
  return nullptr;
}

std::string ecdsa_der_to_raw(const unsigned char* der, std::size_t size, int order_bytes) {
  CHandle<ECDSA_SIG, free_ecdsa_sig> sig(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(size)));
  if (!sig || order_bytes <= 0) return {};
  std::string out(2 * static_cast<std::size_t>(order_bytes), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), p, order_bytes) != order_bytes ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), p + order_bytes, order_bytes) != order_bytes) {
    return {};
  }
  return out;
}

namespace {

// SignatureValue over the exclusive c14n of SignedInfo, with the signer's key.
Status check_signature_value(xmlDoc* doc, const SignatureLayout& layout, EVP_PKEY* key) {
  auto signed_info = exclusive_c14n(doc, layout.signed_info, nullptr, layout.signed_info_prefixes);
  if (!signed_info) return tl::unexpected(signed_info.error());
  const EVP_MD* md = digest_for_signature_method(layout.signature_method);
  auto value = base64_decode(layout.signature_value);
  if (md == nullptr || !value) {
    return fail(ErrorCode::kSignatureMismatch, "the signature cannot be verified",
                "SignatureValue is not base64");
  }
  std::string sig(value->begin(), value->end());
  if (!layout.rsa_method) sig = ecdsa_raw_to_der(*value, ec_order_bytes(key));
  clear_library_errors();
  CHandle<EVP_MD_CTX, free_md_ctx> ctx(EVP_MD_CTX_new());
  const bool ok =
      !sig.empty() && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(signed_info->data()),
                       signed_info->size()) == 1;
  clear_library_errors();
  if (!ok) {
    return fail(ErrorCode::kSignatureMismatch,
                "the signature value does not match SignedInfo and the signer's key");
  }
  return {};
}

}  // namespace

Result<std::string> check_signature_crypto(xmlDoc* doc, const SignatureLayout& layout,
                                           EVP_PKEY* key) {
  // The one meaning of each reference in motcua's profile; any other sequence is refused rather
  // than interpreted (an implicit inclusive c14n, a c14n applied twice, ...).
  for (const LayoutReference& ref : layout.references) {
    const bool expected = ref.signed_properties ? (!ref.enveloped && ref.exclusive_c14n == 1)
                                                : (ref.enveloped && !ref.enveloped_after_c14n &&
                                                   ref.exclusive_c14n == 1);
    if (!expected) {
      return fail(ErrorCode::kTransformNotAllowed,
                  ref.signed_properties
                      ? "the SignedProperties reference must use exactly one exclusive c14n"
                      : "the signed element's reference must use enveloped-signature then "
                        "exclusive c14n");
    }
  }
  // SignedInfo is authenticated before any reference is processed (W3C XML Signature Best
  // Practices, 1): canonicalising the referenced content costs time in proportion to what an
  // unauthenticated sender chose, SignedInfo's does not.
  if (auto s = check_signature_value(doc, layout, key); !s) return tl::unexpected(s.error());

  std::string content;
  bool content_found = false;
  for (const LayoutReference& ref : layout.references) {
    const xmlNode* apex = ref.signed_properties ? layout.signed_properties
                          : ref.uri.empty()     ? nullptr
                                                : layout.signed_element;
    auto bytes = exclusive_c14n(doc, apex, ref.enveloped ? layout.signature : nullptr,
                                ref.inclusive_prefixes);
    if (!bytes) return tl::unexpected(bytes.error());
    const EVP_MD* md = digest_for_digest_method(ref.digest_method);
    auto given = base64_decode(ref.digest_value);
    const std::string computed = md != nullptr ? digest(md, *bytes) : std::string();
    if (computed.empty() || !given || std::string(given->begin(), given->end()) != computed) {
      return fail(ErrorCode::kDigestMismatch, "the signed content was altered (digest mismatch)",
                  "reference URI '" + ref.uri + "'");
    }
    if (!ref.signed_properties) {
      content = std::move(*bytes);
      content_found = true;
    }
  }
  if (!content_found) return fail(ErrorCode::kInternal, "the signed content was not recorded");
  return content;
}

}  // namespace motcua::signing::internal
