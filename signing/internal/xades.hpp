#pragma once
// Internal to signing/: XAdES-BES qualifying properties (ETSI EN 319 132-1), the parts motcua uses.
#include <libxml/tree.h>

#include <ctime>
#include <string>

#include "signing/error.hpp"
#include "signing/internal/key_material.hpp"

namespace motcua::signing::internal {

inline constexpr const char* kSignedPropertiesType = "http://uri.etsi.org/01903#SignedProperties";

// Appends
// ds:Object/xades:QualifyingProperties(Target="#sig_id")/xades:SignedProperties(Id=props_id) with
// SigningTime and SigningCertificateV2 to `signature`, and registers props_id as an XML ID.
Status add_signed_properties(xmlNode* signature, const std::string& sig_id,
                             const std::string& props_id, const KeyMaterial& key,
                             std::time_t signing_time);

// Checks the SignedProperties element (already covered by a verified reference) against the
// signer's certificate; sets the signing time. Errors: kXadesInvalid.
Status check_signed_properties(const xmlNode* signed_properties, const X509* signer,
                               std::time_t* signing_time);

}  // namespace motcua::signing::internal
