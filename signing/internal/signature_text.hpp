#pragma once
// Internal to signing/: the ds:Signature element the Signer writes, built as text rather than as a
// tree. The parts that a digest or the signature covers are written in canonical form (exclusive
// c14n: no whitespace between elements, start and end tags, attributes in canonical order), so the
// bytes signed are the bytes written, apart from the namespace declaration that exclusive c14n
// renders on the apex and that the written form inherits from ds:Signature.
#include <string>
#include <string_view>
#include <vector>

namespace motcua::signing::internal {

inline constexpr const char* kExcC14nUri = "http://www.w3.org/2001/10/xml-exc-c14n#";
inline constexpr const char* kEnvelopedUri =
    "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
inline constexpr const char* kSha256Uri = "http://www.w3.org/2001/04/xmlenc#sha256";
inline constexpr const char* kRsaSha256Uri = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
inline constexpr const char* kEcdsaSha256Uri =
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";

// One ds:Reference with SHA-256 and the transforms [enveloped-signature,] exc-c14n.
struct SignedReference {
  std::string uri;   // "" or "#id"; escaped on output
  std::string type;  // "" or a Type URI (XAdES SignedProperties)
  bool enveloped = false;
  std::string digest_base64;
};

// ds:SignedInfo with exclusive c14n and `signature_method`. `canonical`: with the xmlns:ds
// declaration that exclusive c14n renders on it, i.e. the bytes SignatureValue signs.
std::string signed_info_xml(std::string_view signature_method,
                            const std::vector<SignedReference>& references, bool canonical);

// The complete ds:Signature element (declaring the ds prefix): `signed_info` as written (not
// canonical), SignatureValue, KeyInfo/X509Data with `certificates` (base64 DER, leaf first) and
// `object` (written as given; may be empty). `id` must be an XML name.
std::string signature_xml(const std::string& id, std::string_view signed_info,
                          std::string_view signature_value,
                          const std::vector<std::string>& certificates, std::string_view object);

}  // namespace motcua::signing::internal
