#include "signing/signer.hpp"

#include <libxml/parser.h>
#include <openssl/rand.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmltree.h>

#include "signing/internal/c_handles.hpp"
#include "signing/internal/dsig_check.hpp"
#include "signing/internal/exclusive_c14n.hpp"
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

xmlNode* child_named(xmlNode* parent, const char* local) {
  for (xmlNode* n = parent != nullptr ? parent->children : nullptr; n != nullptr; n = n->next) {
    if (is_element(n, kDsigNs, local)) return n;
  }
  return nullptr;
}

// Fills the DigestValue of every reference, then SignatureValue: the same computation the
// verifier repeats (exclusive c14n of each node-set, SHA-256, then the key over SignedInfo).
Status compute_signature(xmlDoc* doc, xmlNode* signature, xmlNode* target, bool whole_document,
                         const KeyMaterial& key) {
  xmlNode* signed_info = child_named(signature, "SignedInfo");
  xmlNode* signature_value = child_named(signature, "SignatureValue");
  if (signed_info == nullptr || signature_value == nullptr)
    return fail(ErrorCode::kInternal, "the signature template is incomplete");
  for (xmlNode* ref = child_named(signed_info, "Reference"); ref != nullptr;
       ref = element_from(ref->next)) {
    std::string type, uri;
    get_attr(ref, "Type", &type);
    get_attr(ref, "URI", &uri);
    const xmlNode* apex = whole_document ? nullptr : target;
    const xmlNode* excluded = signature;
    if (type == kSignedPropertiesType) {
      xmlAttr* id = xmlGetID(doc, X(uri.c_str() + 1));
      if (id == nullptr) return fail(ErrorCode::kInternal, "the SignedProperties Id is missing");
      apex = id->parent;
      excluded = nullptr;
    }
    auto bytes = exclusive_c14n(doc, apex, excluded);
    if (!bytes) return tl::unexpected(bytes.error());
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    xmlNode* value = child_named(ref, "DigestValue");
    if (value == nullptr ||
        EVP_Digest(bytes->data(), bytes->size(), md, &len, EVP_sha256(), nullptr) != 1)
      return fail(ErrorCode::kLibrary, "cannot digest a reference", take_library_errors());
    xmlNodeSetContent(value, X(base64_encode(md, len).c_str()));
  }
  auto canonical = exclusive_c14n(doc, signed_info, nullptr);
  if (!canonical) return tl::unexpected(canonical.error());
  CHandle<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(canonical->data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, data, canonical->size()) != 1) {
    return fail(ErrorCode::kLibrary, "signing failed", take_library_errors());
  }
  std::vector<unsigned char> sig(size);
  if (EVP_DigestSign(ctx.get(), sig.data(), &size, data, canonical->size()) != 1)
    return fail(ErrorCode::kLibrary, "signing failed", take_library_errors());
  sig.resize(size);
  std::string text;
  if (key.is_rsa) {
    text = base64_encode(sig.data(), sig.size());
  } else {
    const std::string raw =
        ecdsa_der_to_raw(sig.data(), sig.size(), (EVP_PKEY_get_bits(key.key.get()) + 7) / 8);
    if (raw.empty()) return fail(ErrorCode::kLibrary, "cannot encode the ECDSA signature");
    text = base64_encode(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  }
  xmlNodeSetContent(signature_value, X(text.c_str()));
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
  xmlNode* props_ref = nullptr;
  if (options.xades) {
    const std::string props_id = *sig_id + "-signedprops";
    const std::time_t when = options.signing_time != 0 ? options.signing_time : std::time(nullptr);
    if (auto s = add_signed_properties(signature, *sig_id, props_id, key, when); !s) {
      return tl::unexpected(s.error());
    }
    props_ref =
        xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, nullptr,
                                        X(("#" + props_id).c_str()), X(kSignedPropertiesType));
    if (props_ref == nullptr ||
        xmlSecTmplReferenceAddTransform(props_ref, xmlSecTransformExclC14NId) == nullptr) {
      return fail(ErrorCode::kLibrary, "cannot create the SignedProperties reference",
                  take_library_errors());
    }
  }

  if (auto s = compute_signature(doc->get(), signature, target, uri.empty(), key); !s)
    return tl::unexpected(s.error());
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc->get(), &out, &size, "UTF-8");
  XmlChars owned(out);
  if (!owned || size <= 0) return fail(ErrorCode::kLibrary, "cannot serialise the signed document");
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size));
}

}  // namespace motcua::signing
