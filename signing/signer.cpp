#include "signing/signer.hpp"

#include <libxml/parser.h>
#include <openssl/rand.h>
#include <xmlsec/crypto.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include "signing/internal/c_handles.hpp"
#include "signing/internal/key_material.hpp"
#include "signing/internal/x509_util.hpp"
#include "signing/internal/xades.hpp"
#include "signing/internal/xml_parse.hpp"

namespace motcua::signing {
namespace {

using namespace internal;

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

bool has_signature(xmlNode* node) {
  for (; node != nullptr; node = node->next) {
    if (is_element(node, kDsigNs, "Signature")) return true;
    if (node->type == XML_ELEMENT_NODE && has_signature(node->children)) return true;
  }
  return false;
}

Result<std::string> fresh_id(xmlDoc* doc) {
  for (int attempt = 0; attempt < 4; ++attempt) {
    unsigned char random[8];
    if (RAND_bytes(random, sizeof random) != 1) {
      return fail(ErrorCode::kLibrary, "no randomness for the signature Id", take_library_errors());
    }
    std::string id = "sig-";
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned char b : random) {
      id += kHex[b >> 4];
      id += kHex[b & 15];
    }
    if (xmlGetID(doc, X(id.c_str())) == nullptr &&
        xmlGetID(doc, X((id + "-signedprops").c_str())) == nullptr) {
      return id;
    }
  }
  return fail(ErrorCode::kInternal, "cannot find a free signature Id");
}

Status add_key_info(xmlNode* signature, const KeyMaterial& key) {
  xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
  xmlNode* x509 = key_info ? xmlSecTmplKeyInfoAddX509Data(key_info) : nullptr;
  if (x509 == nullptr)
    return fail(ErrorCode::kLibrary, "cannot add KeyInfo", take_library_errors());
  for (const std::string& cert : key.chain_base64) {
    xmlNode* node = xmlNewChild(x509, x509->ns, X("X509Certificate"), nullptr);
    if (node == nullptr) return fail(ErrorCode::kLibrary, "cannot add X509Certificate");
    xmlNodeSetContent(node, X(cert.c_str()));
  }
  return {};
}

}  // namespace

Result<std::string> Signer::sign(std::string_view xml, const SignOptions& options) const {
  const KeyMaterial& key = key_.material();
  auto doc = parse_untrusted(xml, options.limits);
  if (!doc) return tl::unexpected(doc.error());
  clear_library_errors();
  xmlNode* target = xmlDocGetRootElement(doc->get());
  std::string uri;
  if (!options.id.empty()) {
    xmlAttr* attr = xmlGetID(doc->get(), X(options.id.c_str()));
    if (attr == nullptr || attr->parent == nullptr) {
      return fail(ErrorCode::kIdNotFound, "no element has the Id '" + options.id + "'");
    }
    target = attr->parent;
    uri = "#" + options.id;
  }
  if (has_signature(xmlDocGetRootElement(doc->get()))) {
    return fail(ErrorCode::kMultipleSignatures, "the document is already signed");
  }
  auto sig_id = fresh_id(doc->get());
  if (!sig_id) return tl::unexpected(sig_id.error());

  const xmlSecTransformId method =
      key.is_rsa ? xmlSecTransformRsaSha256Id : xmlSecTransformEcdsaSha256Id;
  xmlNode* signature = xmlSecTmplSignatureCreateNsPref(doc->get(), xmlSecTransformExclC14NId,
                                                       method, X(sig_id->c_str()), X("ds"));
  if (signature == nullptr)
    return fail(ErrorCode::kLibrary, "cannot create the signature", take_library_errors());
  xmlAddChild(target, signature);
  xmlNode* ref = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                                 X(uri.c_str()), nullptr);
  if (ref == nullptr ||
      xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) == nullptr ||
      xmlSecTmplReferenceAddTransform(ref, xmlSecTransformExclC14NId) == nullptr) {
    return fail(ErrorCode::kLibrary, "cannot create the reference", take_library_errors());
  }
  if (auto s = add_key_info(signature, key); !s) return tl::unexpected(s.error());
  if (options.xades) {
    const std::string props_id = *sig_id + "-signedprops";
    const std::time_t when = options.signing_time != 0 ? options.signing_time : std::time(nullptr);
    if (auto s = add_signed_properties(signature, *sig_id, props_id, key, when); !s) {
      return tl::unexpected(s.error());
    }
    xmlNode* props_ref =
        xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                        X(("#" + props_id).c_str()), X(kSignedPropertiesType));
    if (props_ref == nullptr ||
        xmlSecTmplReferenceAddTransform(props_ref, xmlSecTransformExclC14NId) == nullptr) {
      return fail(ErrorCode::kLibrary, "cannot create the SignedProperties reference",
                  take_library_errors());
    }
  }

  // The key carries only the private key: KeyInfo already holds the chain, so xmlsec writes nothing
  // else into it, and the EVP_PKEY is shared (reference-counted) instead of copied per signature.
  SecKey sec_key(xmlSecKeyCreate());
  EVP_PKEY_up_ref(key.key.get());
  xmlSecKeyDataPtr value = xmlSecOpenSSLEvpKeyAdopt(key.key.get());
  if (value == nullptr) EVP_PKEY_free(key.key.get());
  if (!sec_key || value == nullptr || xmlSecKeySetValue(sec_key.get(), value) < 0) {
    if (value != nullptr) xmlSecKeyDataDestroy(value);
    return fail(ErrorCode::kLibrary, "cannot prepare the signing key", take_library_errors());
  }
  DSigCtx ctx(xmlSecDSigCtxCreate(nullptr));
  if (!ctx)
    return fail(ErrorCode::kLibrary, "cannot create the signature context", take_library_errors());
  ctx->signKey = sec_key.release();
  if (xmlSecDSigCtxSign(ctx.get(), signature) < 0 || ctx->status != xmlSecDSigStatusSucceeded) {
    return fail(ErrorCode::kLibrary, "signing failed", take_library_errors());
  }
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc->get(), &out, &size, "UTF-8");
  XmlChars owned(out);
  if (!owned || size <= 0) return fail(ErrorCode::kLibrary, "cannot serialise the signed document");
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size));
}

}  // namespace motcua::signing
