#include "signing/internal/xades.hpp"

#include "signing/internal/x509_util.hpp"
#include "signing/internal/xml_parse.hpp"

namespace motcua::signing::internal {
namespace {

constexpr const char* kSha256 = "http://www.w3.org/2001/04/xmlenc#sha256";

// The only child element of `parent` named `local` in the XAdES namespace, or nullptr.
const xmlNode* only(const xmlNode* parent, const char* ns, const char* local) {
  const xmlNode* found = nullptr;
  for (const xmlNode* n = parent->children; n != nullptr; n = n->next) {
    if (is_element(n, ns, local)) {
      if (found != nullptr) return nullptr;
      found = n;
    }
  }
  return found;
}

}  // namespace

std::string signed_properties_xml(const std::string& props_id, const KeyMaterial& key,
                                  std::time_t signing_time, bool canonical) {
  const std::string ds_decl = canonical ? std::string(" xmlns:ds=\"") + kDsigNs + "\"" : "";
  std::string s = "<xades:SignedProperties";
  if (canonical) s += std::string(" xmlns:xades=\"") + kXadesNs + "\"";
  s += " Id=\"" + props_id + "\"><xades:SignedSignatureProperties><xades:SigningTime>" +
       format_utc(signing_time) +
       "</xades:SigningTime><xades:SigningCertificateV2><xades:Cert><xades:CertDigest>"
       "<ds:DigestMethod" +
       ds_decl + " Algorithm=\"" + kSha256 + "\"></ds:DigestMethod><ds:DigestValue" + ds_decl +
       ">" + key.leaf_sha256_base64 + "</ds:DigestValue></xades:CertDigest><xades:IssuerSerialV2>" +
       key.issuer_serial_v2_base64 +
       "</xades:IssuerSerialV2></xades:Cert></xades:SigningCertificateV2>"
       "</xades:SignedSignatureProperties></xades:SignedProperties>";
  return s;
}

std::string qualifying_properties_object(const std::string& sig_id,
                                         const std::string& signed_properties) {
  return std::string("<ds:Object><xades:QualifyingProperties xmlns:xades=\"") + kXadesNs +
         "\" Target=\"#" + sig_id + "\">" + signed_properties +
         "</xades:QualifyingProperties></ds:Object>";
}

Status check_signed_properties(const xmlNode* props, const X509* signer,
                               std::time_t* signing_time) {
  const xmlNode* ssp = only(props, kXadesNs, "SignedSignatureProperties");
  const xmlNode* time = ssp ? only(ssp, kXadesNs, "SigningTime") : nullptr;
  if (time == nullptr || !parse_utc(text_of(time), signing_time)) {
    return fail(ErrorCode::kXadesInvalid, "the XAdES SigningTime is missing or malformed");
  }
  const xmlNode* v2 = only(ssp, kXadesNs, "SigningCertificateV2");
  if (v2 == nullptr) v2 = only(ssp, kXadesNs, "SigningCertificate");
  const xmlNode* cert = v2 ? only(v2, kXadesNs, "Cert") : nullptr;
  const xmlNode* cert_digest = cert ? only(cert, kXadesNs, "CertDigest") : nullptr;
  const xmlNode* method = cert_digest ? only(cert_digest, kDsigNs, "DigestMethod") : nullptr;
  const xmlNode* value = cert_digest ? only(cert_digest, kDsigNs, "DigestValue") : nullptr;
  std::string algorithm;
  if (method == nullptr || value == nullptr || !get_attr(method, "Algorithm", &algorithm)) {
    return fail(ErrorCode::kXadesInvalid, "the XAdES SigningCertificate is missing or incomplete");
  }
  const EVP_MD* md = nullptr;
  if (algorithm == kSha256) md = EVP_sha256();
  if (algorithm == "http://www.w3.org/2001/04/xmldsig-more#sha384") md = EVP_sha384();
  if (algorithm == "http://www.w3.org/2001/04/xmlenc#sha512") md = EVP_sha512();
  if (md == nullptr) {
    return fail(ErrorCode::kXadesInvalid, "the XAdES certificate digest uses " + algorithm +
                                              "; SHA-256 or stronger is required");
  }
  std::string given = text_of(value);
  std::erase_if(given, [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
  auto expected = digest_base64(signer, md);
  if (!expected) return tl::unexpected(expected.error());
  if (given != *expected) {
    return fail(ErrorCode::kXadesInvalid,
                "the XAdES SigningCertificate does not match the certificate that signed");
  }
  if (const xmlNode* is = only(cert, kXadesNs, "IssuerSerialV2"); is != nullptr) {
    std::string text = text_of(is);
    std::erase_if(text, [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
    auto expected_is = issuer_serial_v2_base64(signer);
    if (!expected_is) return tl::unexpected(expected_is.error());
    if (text != *expected_is) {
      return fail(ErrorCode::kXadesInvalid, "the XAdES IssuerSerialV2 does not match the signer");
    }
  }
  return {};
}

}  // namespace motcua::signing::internal
