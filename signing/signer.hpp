#pragma once
// Signer: enveloped XML-DSig signatures with one SigningKey.
//
// The signature is appended as the last child of the signed element: the document element
// (Reference URI="") or the element whose Id attribute is `SignOptions::id` (URI="#id"). Exclusive
// c14n (without comments), SHA-256 digests, RSA-SHA256 or ECDSA-SHA256 by key type, KeyInfo with
// the X509 chain (leaf first). With `xades`, a XAdES-BES QualifyingProperties object (SigningTime,
// SigningCertificateV2) is added and covered by a second reference of Type
// http://uri.etsi.org/01903#SignedProperties, so the signing time and certificate are signed too.
//
// The input goes through the same hardened parser as verification (no DOCTYPE, the structural
// limits of limits.hpp with kDocumentTooComplex among their codes, unique Ids).
// The result is the input's own bytes with the ds:Signature element inserted before the signed
// element's end tag (an empty-element tag <x/> becomes <x>...</x>); an input in another encoding
// than UTF-8 is first re-serialised as UTF-8.
// sign() is const and may run on several threads at once. Requires a live Library.
// Errors: kTooLarge, kTooDeep, kMalformedXml, kDoctypeForbidden, kDuplicateId, kIdNotFound,
// kMultipleSignatures (the document is already signed), kLibrary (xmlsec/OpenSSL failure, detail
// set).
#include <ctime>
#include <string>
#include <string_view>

#include "signing/error.hpp"
#include "signing/limits.hpp"
#include "signing/signing_key.hpp"

namespace motcua::signing {

struct SignOptions {
  std::string id;                // empty: sign the document element
  bool xades = false;            // add XAdES-BES signed properties
  std::time_t signing_time = 0;  // XAdES SigningTime; 0 = now
  Limits limits;
};

class Signer {
 public:
  explicit Signer(SigningKey key) : key_(std::move(key)) {}

  // Returns the signed document, serialised as UTF-8 XML.
  Result<std::string> sign(std::string_view xml, const SignOptions& options = {}) const;

  const SigningKey& key() const { return key_; }

 private:
  SigningKey key_;
};

}  // namespace motcua::signing
