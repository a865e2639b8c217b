#pragma once
// Internal to signing/: the cryptographic half of verification, for a signature that passed
// check_layout(). First checks SignatureValue over the exclusive c14n of SignedInfo with the
// signer's public key (RSA PKCS#1 v1.5 or ECDSA, SHA-256/384/512), so that nothing an
// unauthenticated sender chose is canonicalised; then recomputes every reference's digest over the
// node-set its URI and transforms denote (exclusive c14n only: [enveloped-signature, exc-c14n] for
// the signed element, [exc-c14n] for XAdES SignedProperties).
#include <libxml/tree.h>
#include <openssl/evp.h>

#include <string>

#include "signing/error.hpp"
#include "signing/internal/signature_layout.hpp"

namespace motcua::signing::internal {

// Returns the canonical bytes of the signed element (what its reference digested).
// Errors: kTransformNotAllowed (another transform sequence), kDigestMismatch, kSignatureMismatch,
// kLibrary.
Result<std::string> check_signature_crypto(xmlDoc* doc, const SignatureLayout& layout,
                                           EVP_PKEY* key);

// SignatureMethod and DigestMethod URIs to OpenSSL digests; nullptr when not one of ours.
const EVP_MD* digest_for_signature_method(const std::string& uri);
const EVP_MD* digest_for_digest_method(const std::string& uri);

// XML-DSig ECDSA values are r || s, each as wide as the curve order; OpenSSL speaks DER.
// Errors: kLibrary (with the OpenSSL error queue) when `der` is not an ECDSA signature whose r and
// s fit in `order_bytes`.
Result<std::string> ecdsa_der_to_raw(const unsigned char* der, std::size_t size, int order_bytes);

}  // namespace motcua::signing::internal
