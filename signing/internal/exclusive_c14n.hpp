#pragma once
// Internal to signing/: exclusive XML canonicalisation (without comments) of the node-sets that
// XML-DSig references in motcua's profile denote, with libxml2's c14n and a cheap visibility test.
//  - `apex` nullptr: the whole document (Reference URI=""), otherwise the subtree of `apex`
//    (URI="#id", or SignedInfo itself);
//  - `excluded`: a subtree left out (the enveloped-signature transform), or nullptr.
// The result is what xmlsec's transform chain [enveloped-signature, exc-c14n] produces for the same
// reference, without building xmlsec node-sets (which cost a walk of the set per visited node).
#include <libxml/tree.h>

#include <string>

#include "signing/error.hpp"

namespace motcua::signing::internal {

// Errors: kLibrary when libxml2 refuses (detail set).
Result<std::string> exclusive_c14n(xmlDoc* doc, const xmlNode* apex, const xmlNode* excluded,
                                   const std::string& inclusive_prefixes = {});

}  // namespace motcua::signing::internal
