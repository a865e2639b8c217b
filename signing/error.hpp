#pragma once
// signing::Error and Result<T>: every expected failure of the signing module (bad key file, hostile
// document, untrusted certificate, ...). `code` is stable and meant for callers and clients;
// `message` is a plain sentence for the operator; `detail` carries the OpenSSL / xmlsec / libxml2
// error text for the log (never shown to clients). signing/ depends on no other motcua module,
// hence its own type.
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace motcua::signing {

enum class ErrorCode {
  // Configuration, keys, files.
  kInvalidArgument,  // a caller-supplied option is malformed (bad time, empty path, ...)
  kIo,               // a file or environment variable cannot be read
  kKeyLoad,          // a key, certificate, PKCS#12 bundle or password is unusable
  kKeyMismatch,      // the private key does not belong to the certificate
  kUnsupportedKey,   // signing key is not RSA >= 2048 or EC P-256/P-384/P-521
  kTrustStore,       // the trust store or a CRL cannot be loaded
  kLibrary,          // an OpenSSL/xmlsec/libxml2 call failed unexpectedly
  // The document.
  kTooLarge,          // over the configured byte limit
  kTooDeep,           // over the configured nesting limit
  kMalformedXml,      // not well-formed XML
  kDoctypeForbidden,  // a DOCTYPE (DTD, entities, XXE) appears in the document
  kDuplicateId,       // two elements carry the same Id value
  kIdNotFound,        // signing: no element carries the requested Id
  // Over a structural limit of signing/limits.hpp (checked before parsing): attributes or
  // namespace declarations on one element, namespaces in scope, nodes in the document.
  kDocumentTooComplex,
  // The signature's structure (checked before any cryptography).
  kNoSignature,
  kMultipleSignatures,
  kMalformedSignature,      // required ds: elements missing, misplaced or repeated
  kUnexpectedObject,        // ds:Object content other than XAdES qualifying properties
  kReferenceCount,          // more or fewer references than expected
  kExternalReference,       // a reference URI outside the document (file:, http:, ...)
  kWrongSignedElement,      // the signature does not cover the element the caller expects
  kSignatureNotEnveloped,   // the signature is not a child of the element it signs
  kTransformNotAllowed,     // anything but enveloped-signature and exclusive c14n
  kWeakDigest,              // digest weaker than SHA-256 (SHA-1, MD5)
  kAlgorithmNotAllowed,     // signature method not on the allow-list (RSA/ECDSA with SHA-2)
  kHmacNotAllowed,          // HMAC signature methods
  kKeyInfoNotAllowed,       // KeyValue, RetrievalMethod, KeyName ... anything but X509Data
  kNoCertificate,           // no X509Certificate in KeyInfo
  kCommentInSignedContent,  // comments inside the signed element are not covered by the signature
  // Cryptography.
  kDigestMismatch,     // the signed content was altered
  kSignatureMismatch,  // SignedInfo was altered or signed by another key
  kWeakKey,            // signer key RSA < 2048 or EC below P-256
  // The signer's certificate.
  kUntrustedCertificate,  // does not chain to the trust store
  kSelfSignedCertificate,
  kCertificateExpired,
  kCertificateNotYetValid,
  kCertificateRevoked,
  kRevocationUnknown,   // no CRL for an issuer, or the CRL is expired / not yet valid
  kKeyUsage,            // neither digitalSignature nor nonRepudiation
  kCertificateInvalid,  // any other chain error (bad signature, bad extension, ...)
  // XAdES.
  kXadesInvalid,  // qualifying properties missing, unsigned or not matching the signer certificate
  kInternal,
};

// Stable snake_case name of the code, e.g. "certificate_revoked".
std::string_view to_string(ErrorCode code) noexcept;

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // plain English sentence; no secrets
  std::string detail;   // library error text for the log
};

template <class T>
using Result = tl::expected<T, Error>;
using Status = Result<void>;

inline tl::unexpected<Error> fail(ErrorCode code, std::string message, std::string detail = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(detail)});
}

}  // namespace motcua::signing
