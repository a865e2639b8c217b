#include "signing/internal/signature_layout.hpp"

#include <libxml/parser.h>

#include <algorithm>
#include <string_view>

#include "signing/internal/xades.hpp"
#include "signing/internal/xml_parse.hpp"

namespace motcua::signing::internal {
namespace {

constexpr std::string_view kExcC14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
constexpr std::string_view kEnveloped = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
constexpr std::string_view kMore = "http://www.w3.org/2001/04/xmldsig-more#";

const xmlChar* X(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

// Bounds on the parts of KeyInfo and SignedInfo that are processed before SignatureValue is
// checked (an unauthenticated sender controls them): exclusive c14n compares every
// InclusiveNamespaces prefix at every element it renders, and every certificate is decoded,
// compared with every other one and remembered in the decode and chain caches.
constexpr std::size_t kMaxPrefixes = 32;
constexpr std::size_t kMaxPrefixLength = 64;
constexpr std::size_t kMaxCertificates = 10;
constexpr std::size_t kMaxCertificateText = 32 * 1024;  // base64 of a ~24 KB DER certificate

void find_signatures(xmlNode* node, std::vector<xmlNode*>& out) {
  for (; node != nullptr; node = node->next) {
    if (node->type != XML_ELEMENT_NODE) continue;
    if (is_element(node, kDsigNs, "Signature")) out.push_back(node);
    find_signatures(node->children, out);
  }
}

// Element children of `parent`, refusing non-blank text between them.
Result<std::vector<xmlNode*>> elements_of(xmlNode* parent) {
  std::vector<xmlNode*> out;
  bool text = false;
  for (xmlNode* n = element_from(parent->children, &text); n != nullptr;
       n = element_from(n->next, &text)) {
    out.push_back(n);
  }
  if (text) {
    return fail(ErrorCode::kMalformedSignature, std::string("unexpected text inside ds:") +
                                                    reinterpret_cast<const char*>(parent->name));
  }
  return out;
}

Status malformed(const std::string& what) {
  return fail(ErrorCode::kMalformedSignature, "malformed signature: " + what);
}

std::string algorithm_of(const xmlNode* node) {
  std::string a;
  get_attr(node, "Algorithm", &a);
  return a;
}

Result<bool> check_signature_method(const std::string& m) {
  if (m.find("hmac") != std::string::npos) {
    return fail(ErrorCode::kHmacNotAllowed, "HMAC signatures are not accepted (" + m + ")");
  }
  for (const char* ok : {"rsa-sha256", "rsa-sha384", "rsa-sha512"}) {
    if (m == std::string(kMore) + ok) return true;
  }
  for (const char* ok : {"ecdsa-sha256", "ecdsa-sha384", "ecdsa-sha512"}) {
    if (m == std::string(kMore) + ok) return false;
  }
  if (m.find("sha1") != std::string::npos || m.find("md5") != std::string::npos ||
      m.find("sha224") != std::string::npos) {
    return fail(ErrorCode::kWeakDigest,
                "the signature method " + m + " uses a digest weaker than SHA-256");
  }
  return fail(ErrorCode::kAlgorithmNotAllowed, "the signature method " + m + " is not accepted");
}

Status check_digest_method(const std::string& m) {
  if (m == "http://www.w3.org/2001/04/xmlenc#sha256" || m == std::string(kMore) + "sha384" ||
      m == "http://www.w3.org/2001/04/xmlenc#sha512") {
    return {};
  }
  if (m.find("sha1") != std::string::npos || m.find("md5") != std::string::npos ||
      m.find("sha224") != std::string::npos) {
    return fail(ErrorCode::kWeakDigest, "the digest " + m + " is weaker than SHA-256");
  }
  return fail(ErrorCode::kAlgorithmNotAllowed, "the digest " + m + " is not accepted");
}

Status check_c14n_node(xmlNode* node, const char* what, std::string* prefixes = nullptr) {
  const std::string a = algorithm_of(node);
  if (a != kExcC14n) {
    return fail(ErrorCode::kTransformNotAllowed,
                std::string(what) + " " + a + " is not allowed (only exclusive c14n)");
  }
  int parameters = 0;
  for (xmlNode* c = element_from(node->children); c != nullptr; c = element_from(c->next)) {
    if (!is_element(c, kExcC14n.data(), "InclusiveNamespaces") || ++parameters > 1) {
      return fail(ErrorCode::kTransformNotAllowed,
                  std::string(what) + " has unexpected parameters");
    }
    std::string list;
    get_attr(c, "PrefixList", &list);
    std::size_t words = 0, length = 0;
    for (char ch : list) {
      const bool space = ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
      if (!space && length++ == 0) ++words;
      if (space) length = 0;
      if (words > kMaxPrefixes || length > kMaxPrefixLength) {
        return fail(ErrorCode::kTransformNotAllowed,
                    std::string(what) + " lists more than " + std::to_string(kMaxPrefixes) +
                        " inclusive namespace prefixes (or an overlong one)");
      }
    }
    if (prefixes != nullptr) *prefixes += list;
  }
  return {};
}

struct ReferenceInfo : LayoutReference {
  std::string type;
};

Result<ReferenceInfo> check_reference(xmlNode* ref, SignatureLayout& layout) {
  ReferenceInfo info;
  if (!get_attr(ref, "URI", &info.uri)) {
    return fail(ErrorCode::kExternalReference,
                "a reference without URI points outside the document");
  }
  get_attr(ref, "Type", &info.type);
  if (!info.uri.empty()) {
    const bool same_document = info.uri.size() > 1 && info.uri[0] == '#' &&
                               info.uri.find_first_of("()/:# \t\r\n", 1) == std::string::npos;
    if (!same_document) {
      return fail(ErrorCode::kExternalReference,
                  "the reference URI '" + info.uri + "' is not a same-document Id reference");
    }
  }
  auto children = elements_of(ref);
  if (!children) return tl::unexpected(children.error());
  std::size_t i = 0;
  auto& c = *children;
  if (i < c.size() && is_element(c[i], kDsigNs, "Transforms")) {
    auto transforms = elements_of(c[i]);
    if (!transforms) return tl::unexpected(transforms.error());
    for (xmlNode* t : *transforms) {
      if (!is_element(t, kDsigNs, "Transform"))
        return tl::unexpected(malformed("unexpected element in Transforms").error());
      const std::string a = algorithm_of(t);
      if (a == kEnveloped && !info.enveloped && element_from(t->children) == nullptr) {
        info.enveloped = true;
        info.enveloped_after_c14n = info.exclusive_c14n > 0;
        continue;
      }
      if (info.exclusive_c14n > 0) {
        return fail(ErrorCode::kTransformNotAllowed,
                    "a reference may apply exclusive c14n only once");
      }
      if (auto s = check_c14n_node(t, "the transform", &info.inclusive_prefixes); !s)
        return tl::unexpected(s.error());
      ++info.exclusive_c14n;
    }
    ++i;
  }
  if (i + 2 != c.size() || !is_element(c[i], kDsigNs, "DigestMethod") ||
      !is_element(c[i + 1], kDsigNs, "DigestValue")) {
    return tl::unexpected(malformed("a Reference needs DigestMethod and DigestValue").error());
  }
  const std::string digest = algorithm_of(c[i]);
  if (auto s = check_digest_method(digest); !s) return tl::unexpected(s.error());
  layout.digest_methods.push_back(digest);
  info.digest_method = digest;
  info.digest_value = text_of(c[i + 1]);
  return info;
}

Status check_key_info(xmlNode* key_info, SignatureLayout& layout) {
  if (key_info == nullptr) return fail(ErrorCode::kNoCertificate, "the signature has no KeyInfo");
  auto children = elements_of(key_info);
  if (!children) return tl::unexpected(children.error());
  for (xmlNode* c : *children) {
    if (!is_element(c, kDsigNs, "X509Data") || children->size() != 1) {
      return fail(ErrorCode::kKeyInfoNotAllowed,
                  std::string("KeyInfo may hold only one X509Data, found ") +
                      reinterpret_cast<const char*>(c->name));
    }
  }
  if (children->empty()) return fail(ErrorCode::kNoCertificate, "KeyInfo holds no certificate");
  auto certs = elements_of(children->front());
  if (!certs) return tl::unexpected(certs.error());
  if (certs->size() > kMaxCertificates) {
    return fail(ErrorCode::kKeyInfoNotAllowed,
                "X509Data holds " + std::to_string(certs->size()) + " certificates; at most " +
                    std::to_string(kMaxCertificates) + " (the signer's and its CAs) are accepted");
  }
  for (xmlNode* c : *certs) {
    if (!is_element(c, kDsigNs, "X509Certificate")) {
      return fail(ErrorCode::kKeyInfoNotAllowed,
                  std::string("X509Data may hold only X509Certificate, found ") +
                      reinterpret_cast<const char*>(c->name));
    }
    layout.certificates.push_back(text_of(c));
    if (layout.certificates.back().size() > kMaxCertificateText) {
      return fail(ErrorCode::kKeyInfoNotAllowed, "an X509Certificate is larger than " +
                                                     std::to_string(kMaxCertificateText / 1024) +
                                                     " KB; no signing certificate is");
    }
  }
  if (layout.certificates.empty())
    return fail(ErrorCode::kNoCertificate, "X509Data holds no certificate");
  return {};
}

// The XAdES object, if any: exactly one ds:Object holding one QualifyingProperties that targets
// this signature and holds one SignedProperties (nothing unsigned).
Status check_objects(const std::vector<xmlNode*>& objects, xmlNode* signature,
                     SignatureLayout& layout) {
  if (objects.empty()) return {};
  if (objects.size() > 1)
    return fail(ErrorCode::kUnexpectedObject, "the signature carries several ds:Object");
  auto content = elements_of(objects.front());
  if (!content || content->size() != 1 ||
      !is_element(content->front(), kXadesNs, "QualifyingProperties")) {
    return fail(
        ErrorCode::kUnexpectedObject,
        "ds:Object may only hold XAdES QualifyingProperties; anything else would be unsigned data");
  }
  xmlNode* qp = content->front();
  std::string target, sig_id;
  if (!get_attr(qp, "Target", &target) || !get_attr(signature, "Id", &sig_id) ||
      target != "#" + sig_id) {
    return fail(ErrorCode::kXadesInvalid, "QualifyingProperties does not target this signature");
  }
  auto props = elements_of(qp);
  if (!props || props->size() != 1 || !is_element(props->front(), kXadesNs, "SignedProperties")) {
    return fail(ErrorCode::kUnexpectedObject,
                "QualifyingProperties may only hold SignedProperties");
  }
  layout.signed_properties = props->front();
  return {};
}

bool has_comment(xmlNode* node, const xmlNode* skip) {
  for (; node != nullptr; node = node->next) {
    if (node == skip) continue;
    if (node->type == XML_COMMENT_NODE) return true;
    if (node->type == XML_ELEMENT_NODE && has_comment(node->children, skip)) return true;
  }
  return false;
}

}  // namespace

Result<SignatureLayout> check_layout(xmlDoc* doc, const VerifyOptions& options) {
  SignatureLayout layout;
  xmlNode* root = xmlDocGetRootElement(doc);
  std::vector<xmlNode*> signatures;
  find_signatures(root, signatures);
  if (signatures.empty())
    return fail(ErrorCode::kNoSignature, "the document carries no ds:Signature");
  if (signatures.size() > 1) {
    return fail(ErrorCode::kMultipleSignatures, "the document carries " +
                                                    std::to_string(signatures.size()) +
                                                    " signatures; exactly one is accepted");
  }
  xmlNode* sig = layout.signature = signatures.front();

  auto parts = elements_of(sig);
  if (!parts) return tl::unexpected(parts.error());
  auto& p = *parts;
  if (p.size() < 2 || !is_element(p[0], kDsigNs, "SignedInfo") ||
      !is_element(p[1], kDsigNs, "SignatureValue")) {
    return tl::unexpected(malformed("SignedInfo and SignatureValue must come first").error());
  }
  std::size_t i = 2;
  xmlNode* key_info = nullptr;
  if (i < p.size() && is_element(p[i], kDsigNs, "KeyInfo")) key_info = p[i++];
  std::vector<xmlNode*> objects;
  for (; i < p.size(); ++i) {
    if (!is_element(p[i], kDsigNs, "Object"))
      return tl::unexpected(malformed("unexpected element in Signature").error());
    objects.push_back(p[i]);
  }

  auto info = elements_of(p[0]);
  if (!info) return tl::unexpected(info.error());
  auto& si = *info;
  if (si.size() < 3 || !is_element(si[0], kDsigNs, "CanonicalizationMethod") ||
      !is_element(si[1], kDsigNs, "SignatureMethod")) {
    return tl::unexpected(
        malformed("SignedInfo needs CanonicalizationMethod, SignatureMethod and a Reference")
            .error());
  }
  if (auto s = check_c14n_node(si[0], "the canonicalization", &layout.signed_info_prefixes); !s)
    return tl::unexpected(s.error());
  layout.signed_info = p[0];
  layout.signature_value = text_of(p[1]);
  layout.canonicalization = algorithm_of(si[0]);
  layout.signature_method = algorithm_of(si[1]);
  auto rsa = check_signature_method(layout.signature_method);
  if (!rsa) return tl::unexpected(rsa.error());
  layout.rsa_method = *rsa;
  if (element_from(si[1]->children) != nullptr) {
    return tl::unexpected(malformed("SignatureMethod takes no parameters").error());
  }

  std::vector<ReferenceInfo> refs;
  for (std::size_t r = 2; r < si.size(); ++r) {
    if (!is_element(si[r], kDsigNs, "Reference"))
      return tl::unexpected(malformed("unexpected element in SignedInfo").error());
    auto ref = check_reference(si[r], layout);
    if (!ref) return tl::unexpected(ref.error());
    ref->signed_properties = ref->type == kSignedPropertiesType;
    refs.push_back(*ref);
    layout.references.push_back(*ref);
  }
  if (auto s = check_objects(objects, sig, layout); !s) return tl::unexpected(s.error());

  const bool props_referenced = std::any_of(refs.begin(), refs.end(), [](const ReferenceInfo& r) {
    return r.type == kSignedPropertiesType;
  });
  if (layout.signed_properties != nullptr && !props_referenced) {
    return fail(ErrorCode::kXadesInvalid,
                "the XAdES SignedProperties are not covered by the signature");
  }
  const std::size_t expected = layout.signed_properties != nullptr ? 2 : 1;
  if (refs.size() != expected) {
    return fail(ErrorCode::kReferenceCount, "the signature has " + std::to_string(refs.size()) +
                                                " references; exactly " + std::to_string(expected) +
                                                " are expected");
  }
  const ReferenceInfo* content = nullptr;
  const ReferenceInfo* props = nullptr;
  for (const ReferenceInfo& r : refs) {
    (r.type == kSignedPropertiesType ? props : content) = &r;
  }
  if (layout.signed_properties != nullptr) {
    std::string props_id;
    get_attr(layout.signed_properties, "Id", &props_id);
    if (props == nullptr || content == nullptr || props_id.empty() ||
        props->uri != "#" + props_id) {
      return fail(ErrorCode::kXadesInvalid,
                  "the XAdES SignedProperties are not covered by the signature");
    }
  } else if (content == nullptr) {
    return fail(ErrorCode::kXadesInvalid, "a SignedProperties reference without XAdES properties");
  }
  if (options.require_xades && layout.signed_properties == nullptr) {
    return fail(ErrorCode::kXadesInvalid, "XAdES signed properties are required");
  }

  layout.reference_uri = content->uri;
  if (content->uri.empty()) {
    layout.signed_element = xmlDocGetRootElement(doc);
  } else {
    xmlAttr* id = xmlGetID(doc, X(content->uri.c_str() + 1));
    if (id == nullptr || id->parent == nullptr) {
      return fail(ErrorCode::kWrongSignedElement,
                  "no element has the signed Id '" + content->uri.substr(1) + "'");
    }
    layout.signed_element = id->parent;
  }
  if (sig->parent != layout.signed_element) {
    return fail(ErrorCode::kSignatureNotEnveloped,
                "the signature is not a child of the element it signs (signature wrapping)");
  }
  if (!content->enveloped) {
    return tl::unexpected(
        malformed("the reference to the signed element lacks the enveloped-signature transform")
            .error());
  }
  const xmlNode* want = nullptr;
  if (options.expected_id.empty()) {
    want = xmlDocGetRootElement(doc);
  } else if (xmlAttr* id = xmlGetID(doc, X(options.expected_id.c_str())); id != nullptr) {
    want = id->parent;
  }
  const xmlChar* element_ns =
      layout.signed_element->ns != nullptr ? layout.signed_element->ns->href : X("");
  if (layout.signed_element != want ||
      (!options.expected_element.empty() &&
       !xmlStrEqual(layout.signed_element->name, X(options.expected_element.c_str()))) ||
      (!options.expected_namespace.empty() &&
       !xmlStrEqual(element_ns, X(options.expected_namespace.c_str())))) {
    return fail(ErrorCode::kWrongSignedElement,
                options.expected_id.empty() ? "the signature does not cover the document element"
                                            : "the signature does not cover the element with Id '" +
                                                  options.expected_id + "'");
  }
  if (auto s = check_key_info(key_info, layout); !s) return tl::unexpected(s.error());
  if (has_comment(layout.signed_element->children, sig)) {
    return fail(ErrorCode::kCommentInSignedContent,
                "the signed element contains comments, which the signature does not cover");
  }
  return layout;
}

}  // namespace motcua::signing::internal
