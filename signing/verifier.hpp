#pragma once
// Verifier: hardened verification of enveloped XML-DSig signatures against a configured trust
// store.
//
// Built once from the trust store (root and intermediate CA certificates: PEM or DER files, or
// directories of them) and CRLs; parses and caches them so that each verify() only parses the
// document. OpenSSL's default certificate paths are never used. verify() is const and may run on
// several threads at once. Requires a live Library.
//
// Digests and SignatureValue are recomputed with exclusive c14n over libxml2's tree and OpenSSL EVP
// (the node-sets of this profile only; see internal/dsig_check.hpp and
// internal/exclusive_c14n.hpp). A chain that passed full validation (signatures of every
// certificate and CRL) is remembered per certificate list and reused only strictly inside the time
// window where every certificate and CRL of it is valid, after looking each certificate up in its
// issuer's CRL again (reasoning in internal/chain_cache.hpp). A Verifier never reloads its files:
// to take a new CRL into account, create a new Verifier.
//
// What verify() accepts, and refuses otherwise with its own ErrorCode (see error.hpp):
//  - no DOCTYPE at all; the structural limits of limits.hpp, checked before libxml2 parses
//    (kTooLarge, kTooDeep, kDocumentTooComplex); unique Id values;
//  - exactly one ds:Signature, a child of the element it signs; exactly one reference to that
//    element ("" for the document element or "#id"), plus, for XAdES, one reference of Type
//    http://uri.etsi.org/01903#SignedProperties to the SignedProperties inside this signature;
//  - the signed element is the one the caller expects (document element, or VerifyOptions ids);
//  - transforms: exactly [enveloped-signature, exclusive c14n] for the signed element and
//    [exclusive c14n] for SignedProperties; digests SHA-256/384/512; signature
//    methods RSA or ECDSA with SHA-256/384/512; no HMAC; no comments inside the signed element;
//  - the key only from X509Data certificates that chain to the trust store at the given time, with
//    CRLs checked for every certificate of the chain, key usage digitalSignature or nonRepudiation,
//    RSA >= 2048 bits or EC P-256 or stronger; never KeyValue or any other KeyInfo child;
//  - bounds on what is processed before SignatureValue authenticates SignedInfo: at most 10
//    certificates of at most 32 KB (base64) each, one InclusiveNamespaces of at most 32 prefixes
//    per c14n, one exclusive c14n per reference; base64 values decoded strictly. No reference is
//    canonicalised before SignatureValue has been verified.
#include <ctime>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signing/error.hpp"
#include "signing/limits.hpp"
#include "signing/verification_report.hpp"

namespace motcua::signing {

struct VerifierConfig {
  std::vector<std::string> trust;  // files or directories: CA certificates (and CRLs found there)
  std::vector<std::string> crls;   // CRL files, PEM or DER
  bool check_revocation = true;    // require a valid CRL for every certificate of the chain
};

struct VerifyOptions {
  std::string expected_id;       // empty: the signature must cover the document element
  std::string expected_element;  // optional local name the signed element must have
  // Optional namespace URI the signed element must have: with expected_element it names the
  // document type exactly, so a signed document of another schema with the same local name fails.
  std::string expected_namespace;
  bool require_xades = false;  // refuse signatures without signed XAdES properties
  std::time_t at = 0;          // check the chain at this time; 0 = now
  Limits limits;
};

namespace internal {
struct TrustAnchors;
}

class Verifier {
 public:
  // Errors: kIo (unreadable path), kTrustStore (no CA certificate, unparsable file, no self-signed
  // root).
  static Result<Verifier> create(const VerifierConfig& config);

  VerificationReport verify(std::string_view xml, const VerifyOptions& options = {}) const;

  std::size_t certificate_count() const;
  std::size_t crl_count() const;

 private:
  explicit Verifier(std::shared_ptr<const internal::TrustAnchors> t) : trust_(std::move(t)) {}
  std::shared_ptr<const internal::TrustAnchors> trust_;
};

}  // namespace motcua::signing
