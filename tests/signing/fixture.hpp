#pragma once
// Shared by the signing tests: the process-wide Library, a development PKI generated once per test
// run with samples/pki/make-dev-pki (in a fresh directory under the build tree, removed at exit),
// sample documents, and helpers to run the xmlsec1 command-line tool.
#include <string>

#include "signing/signer.hpp"
#include "signing/verifier.hpp"

namespace motcua::signing::test {

// Directory of the generated PKI (REQUIREs that generation worked).
const std::string& pki_dir();
std::string pki(const std::string& name);  // pki_dir() + "/" + name

// Loads NAME.key + NAME-chain.pem from the PKI.
SigningKey pem_key(const std::string& name);
Signer signer_for(const std::string& name);

// The default verifier: the PKI's trust/ directory (roots, intermediates, CRLs).
const Verifier& verifier();

// A Vietnamese result document; root element KetQua with Id="kq-1".
std::string sample_document();

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);
std::string temp_path(const std::string& name);  // inside pki_dir()/tmp

// Runs a shell command; returns its exit status (output goes to `output` when given).
int run(const std::string& command, std::string* output = nullptr);

// xmlsec1 --verify with only X509 key data and the PKI root as trust anchor. `id_attr` adds
// --id-attr:Id for that node name (e.g. "KetQua"). Returns true when xmlsec1 says OK.
bool xmlsec1_verifies(const std::string& signed_xml, const std::string& id_attr = {});

// xmlsec1 --sign of `template_xml` with the PEM key and chain of PKI entry `name`.
std::string xmlsec1_sign(const std::string& template_xml, const std::string& name,
                         const std::string& extra_args = {});

// The text between the first `open` and the following `close` (REQUIREs that both occur).
std::string between(const std::string& text, const std::string& open, const std::string& close);

// Replaces the first occurrence of `from` (REQUIREs that it occurs).
std::string replace_once(std::string text, const std::string& from, const std::string& to);

}  // namespace motcua::signing::test
