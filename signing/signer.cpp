#include "signing/signer.hpp"

#include <libxml/parser.h>
#include <openssl/rand.h>

#include "signing/internal/c_handles.hpp"
#include "signing/internal/dsig_check.hpp"
#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/key_material.hpp"
#include "signing/internal/signature_text.hpp"
#include "signing/internal/streaming_c14n.hpp"
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

// `taken(id)`: whether an element of the document already carries the Id.
template <class Taken>
Result<std::string> fresh_id(const Taken& taken) {
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
    if (!taken(id) && !taken(id + "-signedprops")) return id;
  }
  return fail(ErrorCode::kInternal, "cannot find a free signature Id");
}

Result<std::string> sha256_base64(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    return fail(ErrorCode::kLibrary, "cannot digest a reference", take_library_errors());
  return base64_encode(md, len);
}

// The SignatureValue text: the key over `signed_info` (canonical), ECDSA as r || s.
Result<std::string> signature_value(const KeyMaterial& key, const std::string& signed_info) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(signed_info.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, data, signed_info.size()) != 1) {
    return fail(ErrorCode::kLibrary, "signing failed", take_library_errors());
  }
  std::vector<unsigned char> sig(size);
  if (EVP_DigestSign(ctx.get(), sig.data(), &size, data, signed_info.size()) != 1)
    return fail(ErrorCode::kLibrary, "signing failed", take_library_errors());
  sig.resize(size);
  if (key.is_rsa) return base64_encode(sig.data(), sig.size());
  // The key passed describe_key as a named curve, so its size is known (0 would fail below).
  auto raw = ecdsa_der_to_raw(sig.data(), sig.size(), (EVP_PKEY_get_bits(key.key.get()) + 7) / 8);
  if (!raw) return tl::unexpected(raw.error());
  return base64_encode(reinterpret_cast<const unsigned char*>(raw->data()), raw->size());
}

// The input bytes with `signature` as the last child of the element `qname` that ends at `end`.
std::string splice(std::string_view xml, std::string_view qname, const ElementEnd& end,
                   const std::string& signature) {
  std::string out;
  out.reserve(xml.size() + signature.size() + 64);
  out.append(xml.substr(0, end.tag));
  if (!end.empty_tag) {
    out += signature;
    out.append(xml.substr(end.tag));
    return out;
  }
  out += '>';  // <name .../> becomes <name ...>signature</name>
  out += signature;
  out += "</";
  out += qname;
  out += '>';
  out.append(xml.substr(end.tag + 2));
  return out;
}

// A document read through a character encoding other than UTF-8 has no byte offsets to splice
// at: its UTF-8 serialisation is signed instead.
Result<std::string> utf8_serialisation(xmlDoc* doc) {
  xmlChar* out = nullptr;
  int size = 0;
  xmlDocDumpMemoryEnc(doc, &out, &size, "UTF-8");
  XmlChars owned(out);
  if (!owned || size <= 0) return fail(ErrorCode::kLibrary, "cannot re-encode the document");
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(size));
}

std::string qname_of(const xmlNode* element) {
  std::string name;
  if (element->ns != nullptr && element->ns->prefix != nullptr) {
    name = reinterpret_cast<const char*>(element->ns->prefix);
    name += ':';
  }
  return name + reinterpret_cast<const char*>(element->name);
}

// What signing needs from the document, whichever path read it.
struct Signable {
  std::string_view xml;        // the bytes to splice into (UTF-8)
  std::string_view canonical;  // exclusive c14n of what the Reference covers
  std::string_view qname;      // the signed element's name as written
  ElementEnd end;              // where it ends in `xml`
};

template <class Taken>
Result<std::string> sign_signable(const KeyMaterial& key, const SignOptions& options,
                                  const Signable& doc, const Taken& taken) {
  auto sig_id = fresh_id(taken);
  if (!sig_id) return tl::unexpected(sig_id.error());
  // The signature is not in the document yet, so the enveloped-signature transform has nothing
  // to remove.
  const std::string uri = options.id.empty() ? "" : "#" + options.id;
  auto content_digest = sha256_base64(doc.canonical);
  if (!content_digest) return tl::unexpected(content_digest.error());
  std::vector<SignedReference> references{{uri, "", true, std::move(*content_digest)}};
  std::string object;
  if (options.xades) {
    const std::string props_id = *sig_id + "-signedprops";
    const std::time_t when = options.signing_time != 0 ? options.signing_time : std::time(nullptr);
    auto props_digest = sha256_base64(signed_properties_xml(props_id, key, when, true));
    if (!props_digest) return tl::unexpected(props_digest.error());
    references.push_back({"#" + props_id, kSignedPropertiesType, false, std::move(*props_digest)});
    object =
        qualifying_properties_object(*sig_id, signed_properties_xml(props_id, key, when, false));
  }
  const char* method = key.is_rsa ? kRsaSha256Uri : kEcdsaSha256Uri;
  auto value = signature_value(key, signed_info_xml(method, references, true));
  if (!value) return tl::unexpected(value.error());
  const std::string signature = signature_xml(*sig_id, signed_info_xml(method, references, false),
                                              *value, key.chain_base64, object);
  return splice(doc.xml, doc.qname, doc.end, signature);
}

}  // namespace

Result<std::string> Signer::sign(std::string_view xml, const SignOptions& options) const {
  const KeyMaterial& key = key_.material();
  // The common case: a strict, plain UTF-8 document read in one pass without a tree. Anything
  // outside that subset goes through libxml2 below, which accepts or refuses it as before.
  if (auto streamed = streaming_exclusive_c14n(xml, options.id, options.limits)) {
    clear_library_errors();
    const auto taken = [&](const std::string& id) { return streamed->ids.count(id) != 0; };
    return sign_signable(key, options, {xml, streamed->canonical, streamed->qname, streamed->end},
                         taken);
  }
  ElementEnds ends;
  auto doc = parse_untrusted(xml, options.limits, &ends);
  if (!doc) return tl::unexpected(doc.error());
  std::string utf8;
  if (ends.transcoded) {
    auto text = utf8_serialisation(doc->get());
    if (!text) return tl::unexpected(text.error());
    utf8 = std::move(*text);
    xml = utf8;
    ends = {};
    doc = parse_untrusted(xml, options.limits, &ends);
    if (!doc) return tl::unexpected(doc.error());
  }
  clear_library_errors();
  xmlNode* target = xmlDocGetRootElement(doc->get());
  if (!options.id.empty()) {
    xmlAttr* attr = xmlGetID(doc->get(), X(options.id.c_str()));
    if (attr == nullptr || attr->parent == nullptr) {
      return fail(ErrorCode::kIdNotFound, "no element has the Id '" + options.id + "'");
    }
    target = attr->parent;
  }
  if (has_signature(xmlDocGetRootElement(doc->get()))) {
    return fail(ErrorCode::kMultipleSignatures, "the document is already signed");
  }
  const auto end = ends.by_node.find(target);
  if (end == ends.by_node.end()) {
    return fail(ErrorCode::kInternal, "cannot locate the end of the element to sign");
  }
  auto content = exclusive_c14n(doc->get(), options.id.empty() ? nullptr : target, nullptr);
  if (!content) return tl::unexpected(content.error());
  const std::string qname = qname_of(target);
  const auto taken = [&](const std::string& id) {
    return xmlGetID(doc->get(), X(id.c_str())) != nullptr;
  };
  return sign_signable(key, options, {xml, *content, qname, end->second}, taken);
}

}  // namespace motcua::signing
