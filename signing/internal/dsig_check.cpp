#include "signing/internal/dsig_check.hpp"

#include <openssl/ec.h>

#include "signing/internal/c_handles.hpp"
#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/x509_util.hpp"

namespace motcua::signing::internal {
namespace {

Result<std::string> digest(const EVP_MD* md, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, md, nullptr) != 1)
    return fail(ErrorCode::kLibrary, "cannot digest a reference", take_library_errors());
  return std::string(reinterpret_cast<char*>(out), len);
}

// The ECDSA signature value r || s as DER, for EVP_DigestVerify. Errors: kSignatureMismatch when
// the value is not two integers as wide as the curve order, kLibrary.
Result<std::string> ecdsa_raw_to_der(const std::vector<unsigned char>& raw, int order_bytes) {
  if (order_bytes <= 0 || raw.size() != 2 * static_cast<std::size_t>(order_bytes)) {
    return fail(ErrorCode::kSignatureMismatch,
                "the signature value does not match SignedInfo and the signer's key",
                "ECDSA SignatureValue of " + std::to_string(raw.size()) + " bytes");
  }
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BignumPtr r(BN_bin2bn(raw.data(), order_bytes, nullptr));
  BignumPtr s(BN_bin2bn(raw.data() + order_bytes, order_bytes, nullptr));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1)
    return fail(ErrorCode::kLibrary, "cannot decode the ECDSA signature", take_library_errors());
  // ECDSA_SIG_set0 took r and s.
  (void)r.release();
  (void)s.release();
  unsigned char* raw_der = nullptr;
  const int len = i2d_ECDSA_SIG(sig.get(), &raw_der);
  OpenSslBytes der(raw_der);
  if (len <= 0 || !der)
    return fail(ErrorCode::kLibrary, "cannot encode the ECDSA signature", take_library_errors());
  return std::string(reinterpret_cast<const char*>(der.get()), static_cast<std::size_t>(len));
}

// EVP_PKEY_get_bits gives 0 when it cannot tell; ecdsa_raw_to_der refuses an order of 0 bytes.
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

Result<std::string> ecdsa_der_to_raw(const unsigned char* der, std::size_t size, int order_bytes) {
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(size)));
  if (!sig || order_bytes <= 0)
    return fail(ErrorCode::kLibrary, "cannot decode the ECDSA signature", take_library_errors());
  std::string out(2 * static_cast<std::size_t>(order_bytes), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), p, order_bytes) != order_bytes ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), p + order_bytes, order_bytes) != order_bytes) {
    return fail(ErrorCode::kLibrary, "cannot encode the ECDSA signature", take_library_errors());
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
  clear_library_errors();
  std::string sig(value->begin(), value->end());
  if (!layout.rsa_method) {
    auto der = ecdsa_raw_to_der(*value, ec_order_bytes(key));
    if (!der) return tl::unexpected(der.error());
    sig = std::move(*der);
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) != 1) {
    return fail(ErrorCode::kLibrary, "cannot start verifying the signature value",
                take_library_errors());
  }
  // 1: valid; 0: another key or content; negative: a value OpenSSL cannot even read (an RSA value
  // of the wrong length, ...). Both refusals keep OpenSSL's reason for the log.
  if (EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                       reinterpret_cast<const unsigned char*>(signed_info->data()),
                       signed_info->size()) != 1) {
    return fail(ErrorCode::kSignatureMismatch,
                "the signature value does not match SignedInfo and the signer's key",
                take_library_errors());
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
    if (md == nullptr) {  // check_layout admits only the digests digest_for_digest_method knows
      return fail(ErrorCode::kInternal, "a reference digest method has no implementation",
                  ref.digest_method);
    }
    auto computed = digest(md, *bytes);
    if (!computed) return tl::unexpected(computed.error());
    auto given = base64_decode(ref.digest_value);
    if (!given || std::string(given->begin(), given->end()) != *computed) {
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
