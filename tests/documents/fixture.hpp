#pragma once
// Shared by the exchange tests: the libxml2 and signing library guards, the demo organisation's
// keys generated once per test run with samples/pki/make-demo-keys (in a fresh directory under the
// build tree, removed at exit), the shipped catalogue, a demo dossier, and independent checks (XSD
// validation with libxml2, xmlsec1 --verify) that do not go through the code under test.
#include <string>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/identity.hpp"
#include "engine/procedure.hpp"
#include "documents/agency_keys.hpp"
#include "documents/document_issuer.hpp"
#include "signing/verifier.hpp"

namespace motcua::documents::test {

// Directory written by make-demo-keys (REQUIREs that generation worked).
const std::string& demo_dir();
std::shared_ptr<const AgencyKeys> demo_keys();
// The demo organisation of samples/demo/agencies.tsv.
std::vector<engine::AgencyRecord> demo_agencies();
// An issuer with the demo keys, the demo agency names and the repository's schemas.
const XmlDocumentIssuer& issuer();
// Trusts the demo trust/ directory (root, ca-tinh-h57, CRLs).
const signing::Verifier& verifier();

// A procedure of the shipped catalogue (version 1).
const engine::Procedure& procedure(const std::string& code);

// The judicial record certificate (3.000333) dossier received at the commune centre of the demo
// (000.01.21.H57) and handled by the provincial police (000.00.04.H57).
engine::Dossier judicial_dossier();
engine::ReceiptRequest judicial_receipt_request();
engine::ResultRequest judicial_result_request();

// Every violation of schemas/<schema> for `xml`, joined; empty when valid.
std::string schema_errors(const std::string& schema, const std::string& xml);
// The text of the first element with this local name (any namespace); "" when absent.
std::string element_text(const std::string& xml, const std::string& local_name);
// The value of attribute `attribute` of the first element `local_name`.
std::string attribute_value(const std::string& xml, const std::string& local_name,
                            const std::string& attribute);

// xmlsec1 --verify with X509 key data only, the demo root as the only trust anchor and Id
// attributes of `id_node` ("<namespace>:<name>") and XAdES SignedProperties.
bool xmlsec1_verifies(const std::string& signed_xml, const std::string& id_node);

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
// A fresh empty directory under the demo directory.
std::string fresh_dir(const std::string& name);
// Runs a shell command; returns its exit status (stdout and stderr to `output` when given).
int run(const std::string& command, std::string* output = nullptr);
std::string replace_once(std::string text, const std::string& from, const std::string& to);

}  // namespace motcua::documents::test
