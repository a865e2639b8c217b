#include "signing/error.hpp"

#include <openssl/err.h>

#include <string>

#include "signing/internal/c_handles.hpp"

namespace motcua::signing {

std::string_view to_string(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kKeyLoad:
      return "key_load";
    case ErrorCode::kKeyMismatch:
      return "key_mismatch";
    case ErrorCode::kUnsupportedKey:
      return "unsupported_key";
    case ErrorCode::kTrustStore:
      return "trust_store";
    case ErrorCode::kLibrary:
      return "library";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kTooDeep:
      return "too_deep";
    case ErrorCode::kDocumentTooComplex:
      return "document_too_complex";
    case ErrorCode::kMalformedXml:
      return "malformed_xml";
    case ErrorCode::kDoctypeForbidden:
      return "doctype_forbidden";
    case ErrorCode::kDuplicateId:
      return "duplicate_id";
    case ErrorCode::kIdNotFound:
      return "id_not_found";
    case ErrorCode::kNoSignature:
      return "no_signature";
    case ErrorCode::kMultipleSignatures:
      return "multiple_signatures";
    case ErrorCode::kMalformedSignature:
      return "malformed_signature";
    case ErrorCode::kUnexpectedObject:
      return "unexpected_object";
    case ErrorCode::kReferenceCount:
      return "reference_count";
    case ErrorCode::kExternalReference:
      return "external_reference";
    case ErrorCode::kWrongSignedElement:
      return "wrong_signed_element";
    case ErrorCode::kSignatureNotEnveloped:
      return "signature_not_enveloped";
    case ErrorCode::kTransformNotAllowed:
      return "transform_not_allowed";
    case ErrorCode::kWeakDigest:
      return "weak_digest";
    case ErrorCode::kAlgorithmNotAllowed:
      return "algorithm_not_allowed";
    case ErrorCode::kHmacNotAllowed:
      return "hmac_not_allowed";
    case ErrorCode::kKeyInfoNotAllowed:
      return "key_info_not_allowed";
    case ErrorCode::kNoCertificate:
      return "no_certificate";
    case ErrorCode::kCommentInSignedContent:
      return "comment_in_signed_content";
    case ErrorCode::kDigestMismatch:
      return "digest_mismatch";
    case ErrorCode::kSignatureMismatch:
      return "signature_mismatch";
    case ErrorCode::kWeakKey:
      return "weak_key";
    case ErrorCode::kUntrustedCertificate:
      return "untrusted_certificate";
    case ErrorCode::kSelfSignedCertificate:
      return "self_signed_certificate";
    case ErrorCode::kCertificateExpired:
      return "certificate_expired";
    case ErrorCode::kCertificateNotYetValid:
      return "certificate_not_yet_valid";
    case ErrorCode::kCertificateRevoked:
      return "certificate_revoked";
    case ErrorCode::kRevocationUnknown:
      return "revocation_unknown";
    case ErrorCode::kKeyUsage:
      return "key_usage";
    case ErrorCode::kCertificateInvalid:
      return "certificate_invalid";
    case ErrorCode::kXadesInvalid:
      return "xades_invalid";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

namespace internal {
namespace {
constexpr std::size_t kMaxCaptured = 2048;
thread_local std::string xmlsec_errors;

void append(std::string& out, std::string_view text) {
  if (out.size() >= kMaxCaptured) return;
  if (!out.empty()) out += "; ";
  out.append(text.substr(0, kMaxCaptured - out.size()));
}
}  // namespace

void xmlsec_error_callback(const char* /*file*/, int /*line*/, const char* func,
                           const char* error_object, const char* error_subject, int reason,
                           const char* msg) {
  std::string line = "xmlsec: ";
  if (func != nullptr) line += func;
  if (error_object != nullptr) line += std::string(" obj=") + error_object;
  if (error_subject != nullptr) line += std::string(" subj=") + error_subject;
  line += " reason=" + std::to_string(reason);
  if (msg != nullptr) line += std::string(" ") + msg;
  append(xmlsec_errors, line);
}

std::string take_library_errors() {
  std::string out = std::move(xmlsec_errors);
  xmlsec_errors.clear();
  unsigned long code = 0;
  char buffer[256];
  while ((code = ERR_get_error()) != 0) {
    ERR_error_string_n(code, buffer, sizeof buffer);
    append(out, std::string("openssl: ") + buffer);
  }
  return out;
}

void clear_library_errors() {
  xmlsec_errors.clear();
  ERR_clear_error();
}

}  // namespace internal
}  // namespace motcua::signing
