#pragma once
// Internal to signing/: exclusive XML canonicalisation 1.0 without comments (W3C REC
// xml-exc-c14n) of the node-sets that XML-DSig references in motcua's profile denote, written
// straight from the libxml2 tree in one walk of the subtree:
//  - `apex` nullptr: the whole document (Reference URI=""), otherwise the subtree of `apex`
//    (URI="#id", or SignedInfo itself);
//  - `excluded`: a subtree left out (the enveloped-signature transform), or nullptr;
//  - `inclusive_prefixes`: the InclusiveNamespaces PrefixList (whitespace-separated, "#default"
//    for the default namespace), whose namespaces are rendered as inclusive c14n would.
// The output is byte for byte what libxml2's xmlC14NExecute(XML_C14N_EXCLUSIVE_1_0) gives for the
// same node-set (tests/signing/c14n_differential_test.cpp compares them), and so what xmlsec's
// transform chain [enveloped-signature, exc-c14n] produces for the same reference.
// Like libxml2, it refuses a relative namespace URI on the elements it walks; parse_untrusted()
// refuses them anywhere in the document.
// Thread-safety: reads the tree only; concurrent calls on one document are safe.
#include <libxml/tree.h>

#include <string>

#include "signing/error.hpp"

namespace motcua::signing::internal {

// Errors: kLibrary when the tree holds what canonicalisation refuses (a relative namespace URI,
// an entity reference node), detail set.
Result<std::string> exclusive_c14n(xmlDoc* doc, const xmlNode* apex, const xmlNode* excluded,
                                   const std::string& inclusive_prefixes = {});

// Appends `text` escaped as exclusive c14n renders an attribute value (&amp; &lt; &quot; &#x9;
// &#xA; &#xD;); the result is also a valid attribute value in serialised XML.
void append_c14n_attribute_value(std::string& out, const std::string& text);

// False when `href` is a namespace URI that XML canonicalisation refuses (relative: no scheme,
// or no authority unless the scheme is urn or dav), the rule libxml2's c14n applies, or one that
// holds '&', '<' or '"' (implementations render those differently; motcua refuses them).
bool is_absolute_namespace(const xmlChar* href);

}  // namespace motcua::signing::internal
