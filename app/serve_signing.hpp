#pragma once
// The signing side of `motcua serve`: the agencies' keys that sign receipts and result documents
// (documents::AgencyKeys + documents::XmlDocumentIssuer) and the trust store of POST
// /api/v1/verify.
//
//   --keys DIR [--keys-password-file FILE]  the key directory (layout in
//   documents/agency_keys.hpp);
//                                           the password comes from a file, never the command line
//   --trust PATH... [--crl FILE...]         what the verify route trusts
// With the demo organisation and no --keys, the demo PKI in --demo-pki DIR (default var/demo-pki)
// is used, made once by samples/pki/make-demo-keys when missing (its trust/ directory is then
// trusted too, unless --trust is given). Without keys, documents are not issued: dossiers move
// without signed receipts. With keys, an action whose document cannot be signed (an agency or role
// without a key) is refused and changes nothing: an unsigned receipt is not a receipt.
//
// Prints what it loaded (agencies, roles, subjects; never a password) and the agencies of the
// organisation that have no key.
#include <memory>
#include <string>
#include <vector>

#include "app/serve_config.hpp"
#include "engine/document_issuer.hpp"
#include "engine/error.hpp"
#include "engine/identity.hpp"

namespace motcua::app {

struct ServeSigning {
  std::shared_ptr<const engine::DocumentIssuer> issuer;  // null: no keys, no documents
  std::vector<std::string> trust;                        // empty: the verify route answers 503
  std::vector<std::string> crls;
};

// Requires a live signing::Library. Errors: the key directory's (documents::AgencyKeys::load),
// the schemas', kIo when the demo PKI cannot be made.
engine::Result<ServeSigning> setup_signing(const ServeConfig& config,
                                           engine::IdentityRepository& identity);

}  // namespace motcua::app
