#include "signing/internal/signature_text.hpp"

#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/xml_parse.hpp"

namespace motcua::signing::internal {
namespace {

void algorithm_element(std::string& s, std::string_view name, std::string_view uri) {
  s += '<';
  s += name;
  s += " Algorithm=\"";
  s += uri;
  s += "\"></";
  s += name;
  s += '>';
}

void attribute(std::string& s, std::string_view name, const std::string& value) {
  s += ' ';
  s += name;
  s += "=\"";
  append_c14n_attribute_value(s, value);
  s += '"';
}

}  // namespace

std::string signed_info_xml(std::string_view signature_method,
                            const std::vector<SignedReference>& references, bool canonical) {
  std::string s = "<ds:SignedInfo";
  if (canonical) attribute(s, "xmlns:ds", kDsigNs);
  s += '>';
  algorithm_element(s, "ds:CanonicalizationMethod", kExcC14nUri);
  algorithm_element(s, "ds:SignatureMethod", signature_method);
  for (const SignedReference& ref : references) {
    s += "<ds:Reference";
    if (!ref.type.empty()) attribute(s, "Type", ref.type);  // "Type" sorts before "URI"
    attribute(s, "URI", ref.uri);
    s += "><ds:Transforms>";
    if (ref.enveloped) algorithm_element(s, "ds:Transform", kEnvelopedUri);
    algorithm_element(s, "ds:Transform", kExcC14nUri);
    s += "</ds:Transforms>";
    algorithm_element(s, "ds:DigestMethod", kSha256Uri);
    s += "<ds:DigestValue>" + ref.digest_base64 + "</ds:DigestValue></ds:Reference>";
  }
  s += "</ds:SignedInfo>";
  return s;
}

std::string signature_xml(const std::string& id, std::string_view signed_info,
                          std::string_view signature_value,
                          const std::vector<std::string>& certificates, std::string_view object) {
  std::string s = "<ds:Signature";
  attribute(s, "xmlns:ds", kDsigNs);
  attribute(s, "Id", id);
  s += '>';
  s += signed_info;
  s += "<ds:SignatureValue>";
  s += signature_value;
  s += "</ds:SignatureValue><ds:KeyInfo><ds:X509Data>";
  for (const std::string& cert : certificates) {
    s += "<ds:X509Certificate>" + cert + "</ds:X509Certificate>";
  }
  s += "</ds:X509Data></ds:KeyInfo>";
  s += object;
  s += "</ds:Signature>";
  return s;
}

}  // namespace motcua::signing::internal
