#pragma once
// Internal to signing/: the structural checks a document passes before any cryptography, and what
// they found. Each refusal has its own ErrorCode.
#include <libxml/tree.h>

#include <string>
#include <vector>

#include "signing/error.hpp"
#include "signing/verifier.hpp"

namespace motcua::signing::internal {

// One checked ds:Reference: what the verifier recomputes.
struct LayoutReference {
  std::string uri;                    // "" or "#id"
  bool signed_properties = false;     // Type http://uri.etsi.org/01903#SignedProperties
  bool enveloped = false;             // has the enveloped-signature transform
  bool enveloped_after_c14n = false;  // ... and it comes after a c14n transform
  int exclusive_c14n = 0;             // number of exclusive c14n transforms
  std::string inclusive_prefixes;     // PrefixList of the exclusive c14n transform
  std::string digest_method;
  std::string digest_value;  // base64 text
};

struct SignatureLayout {
  xmlNode* signature = nullptr;
  xmlNode* signed_element = nullptr;
  xmlNode* signed_properties = nullptr;  // XAdES SignedProperties, when present
  std::string reference_uri;
  std::string signature_method;
  std::string canonicalization;
  std::vector<std::string> digest_methods;
  std::vector<std::string> certificates;  // X509Certificate contents, base64
  xmlNode* signed_info = nullptr;
  std::string signed_info_prefixes;  // PrefixList of the CanonicalizationMethod
  std::string signature_value;       // base64 text
  std::vector<LayoutReference> references;
  bool rsa_method = false;
};

// Errors: kNoSignature, kMultipleSignatures, kMalformedSignature, kTransformNotAllowed,
// kHmacNotAllowed, kWeakDigest, kAlgorithmNotAllowed, kExternalReference, kUnexpectedObject,
// kXadesInvalid, kReferenceCount, kSignatureNotEnveloped, kWrongSignedElement, kKeyInfoNotAllowed,
// kNoCertificate, kCommentInSignedContent.
Result<SignatureLayout> check_layout(xmlDoc* doc, const VerifyOptions& options);

}  // namespace motcua::signing::internal
