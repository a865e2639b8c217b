#pragma once
// Internal to signing/: XAdES-BES qualifying properties (ETSI EN 319 132-1), the parts motcua uses.
#include <libxml/tree.h>

#include <ctime>
#include <string>

#include "signing/error.hpp"
#include "signing/internal/key_material.hpp"

namespace motcua::signing::internal {

inline constexpr const char* kSignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

// The xades:SignedProperties element (Id=props_id) with SigningTime and SigningCertificateV2 of
// `key`'s certificate. `canonical`: as exclusive c14n renders it inside a signed document (the
// bytes its reference digests), otherwise as written inside QualifyingProperties, where the xades
// and ds prefixes are declared by ancestors. `props_id` must be an XML name (no escaping needed).
std::string signed_properties_xml(const std::string& props_id, const KeyMaterial& key,
                                  std::time_t signing_time, bool canonical);

// ds:Object holding xades:QualifyingProperties (Target="#sig_id") around `signed_properties` (as
// written, not canonical).
std::string qualifying_properties_object(const std::string& sig_id,
                                         const std::string& signed_properties);

// Checks the SignedProperties element (already covered by a verified reference) against the
// signer's certificate; sets the signing time. Errors: kXadesInvalid, kLibrary.
Status check_signed_properties(const xmlNode* signed_properties, const X509* signer,
                               std::time_t* signing_time);

}  // namespace motcua::signing::internal
