#pragma once
// Internal to signing/: the structural checks a document passes before any cryptography, and what
// they found. Each refusal has its own ErrorCode.
#include <libxml/tree.h>

#include <string>
#include <vector>

#include "signing/error.hpp"
#include "signing/verifier.hpp"

namespace motcua::signing::internal {

struct SignatureLayout {
  xmlNode* signature = nullptr;
  xmlNode* signed_element = nullptr;
  xmlNode* signed_properties = nullptr;  // XAdES SignedProperties, when present
  std::string reference_uri;
  std::string signature_method;
  std::string canonicalization;
  std::vector<std::string> digest_methods;
  std::vector<std::string> certificates;  // X509Certificate contents, base64
  bool rsa_method = false;
};

// Errors: kNoSignature, kMultipleSignatures, kMalformedSignature, kTransformNotAllowed,
// kHmacNotAllowed, kWeakDigest, kAlgorithmNotAllowed, kExternalReference, kUnexpectedObject,
// kXadesInvalid, kReferenceCount, kSignatureNotEnveloped, kWrongSignedElement, kKeyInfoNotAllowed,
// kNoCertificate, kCommentInSignedContent.
Result<SignatureLayout> check_layout(xmlDoc* doc, const VerifyOptions& options);

}  // namespace motcua::signing::internal
