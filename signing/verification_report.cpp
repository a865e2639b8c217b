#include "signing/verification_report.hpp"

#include <cstdio>

namespace motcua::signing {
namespace {

void quote(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void field(std::string& out, std::string_view name, std::string_view value) {
  if (out.back() != '{') out += ',';
  quote(out, name);
  out += ':';
  quote(out, value);
}

void raw_field(std::string& out, std::string_view name, const std::string& json) {
  if (out.back() != '{') out += ',';
  quote(out, name);
  out += ':';
  out += json;
}

std::string certificate_json(const CertificateInfo& c) {
  std::string out = "{";
  field(out, "subject", c.subject);
  field(out, "issuer", c.issuer);
  field(out, "serial", c.serial);
  field(out, "not_before", c.not_before);
  field(out, "not_after", c.not_after);
  return out + "}";
}

std::string string_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    quote(out, v);
  }
  return out + "]";
}

}  // namespace

std::string VerificationReport::to_json(bool include_content, bool include_detail) const {
  std::string out = "{";
  raw_field(out, "valid", valid() ? "true" : "false");
  if (error) {
    std::string e = "{";
    field(e, "code", to_string(error->code));
    field(e, "message", error->message);
    if (include_detail && !error->detail.empty()) field(e, "detail", error->detail);
    raw_field(out, "error", e + "}");
  }
  if (signer) raw_field(out, "signer", certificate_json(*signer));
  std::string chain_json = "[";
  for (const auto& c : chain) {
    if (chain_json.size() > 1) chain_json += ',';
    chain_json += certificate_json(c);
  }
  raw_field(out, "chain", chain_json + "]");
  field(out, "key_algorithm", key_algorithm);
  raw_field(out, "key_usage", string_array(key_usage));
  field(out, "revocation", revocation);
  field(out, "verified_at", verified_at);
  if (signing_time) field(out, "signing_time", *signing_time);
  field(out, "signature_method", signature_method);
  field(out, "canonicalization", canonicalization);
  raw_field(out, "digest_methods", string_array(digest_methods));
  std::string element = "{";
  field(element, "reference_uri", reference_uri);
  field(element, "name", signed_element);
  field(element, "namespace", signed_element_namespace);
  field(element, "id", signed_element_id);
  if (include_content) field(element, "content", signed_content);
  raw_field(out, "signed_element", element + "}");
  return out + "}";
}

}  // namespace motcua::signing
