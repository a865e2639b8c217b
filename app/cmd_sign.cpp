// `motcua sign`: signs an XML document with XML-DSig (signing/Signer).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "signing/library.hpp"
#include "signing/password.hpp"
#include "signing/signer.hpp"

namespace motcua::app {
namespace {

constexpr const char* kHelp =
    "usage: motcua sign --key KEY --in doc.xml --out signed.xml [--id ID] [--xades]\n"
    "\n"
    "Signs doc.xml with an enveloped XML-DSig signature (exclusive c14n, SHA-256, RSA or ECDSA by "
    "key,\n"
    "KeyInfo with the X509 chain) over the document element, or over the element with Id=ID.\n"
    "\n"
    "key options:\n"
    "  --key FILE.p12 --password-file FILE   PKCS#12 bundle, password in the first line of FILE\n"
    "  --key FILE.p12 --password-env VAR     PKCS#12 bundle, password in environment variable VAR\n"
    "  --key KEY.pem --cert CHAIN.pem        PEM private key and its certificate chain (leaf "
    "first)\n"
    "                                        (--password-file/--password-env for an encrypted "
    "key)\n"
    "other options:\n"
    "  --id ID      sign the element whose Id attribute is ID (Reference URI=\"#ID\")\n"
    "  --xades      add XAdES-BES signed properties (SigningTime, SigningCertificateV2)\n"
    "Passwords are never taken from the command line.\n"
    "exit status: 0 signed, 2 usage, key or input error\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "motcua sign: %s\n(motcua sign --help for usage)\n", message.c_str());
  return 2;
}

int report(const signing::Error& e) {
  std::fprintf(stderr, "motcua sign: %s [%.*s]\n", e.message.c_str(),
               static_cast<int>(signing::to_string(e.code).size()),
               signing::to_string(e.code).data());
  if (!e.detail.empty()) std::fprintf(stderr, "  detail: %s\n", e.detail.c_str());
  return 2;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

int run_sign(const Words& words) {
  Args args;
  if (auto err =
          Args::parse(words, {"key", "cert", "password-file", "password-env", "in", "out", "id"},
                      {"xades", "help"}, args)) {
    return usage_error(*err);
  }
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const auto key_path = args.get("key");
  const auto in = args.get("in");
  const auto out = args.get("out");
  if (!key_path || !in || !out) return usage_error("--key, --in and --out are required");
  if (!args.positional().empty())
    return usage_error("unexpected argument '" + args.positional().front() + "'");
  if (args.has("password-file") && args.has("password-env")) {
    return usage_error("give either --password-file or --password-env");
  }

  std::unique_ptr<signing::Library> library;
  if (!signing::Library::active()) {
    library = std::make_unique<signing::Library>();
    if (!library->ok()) return report(library->status().error());
  }

  std::string password;
  if (auto file = args.get("password-file")) {
    auto p = signing::read_password_file(*file);
    if (!p) return report(p.error());
    password = std::move(*p);
  } else if (auto var = args.get("password-env")) {
    auto p = signing::read_password_env(*var);
    if (!p) return report(p.error());
    password = std::move(*p);
  }
  const bool pkcs12 = ends_with(*key_path, ".p12") || ends_with(*key_path, ".pfx");
  if (pkcs12 && args.has("cert"))
    return usage_error("--cert is for PEM keys; a PKCS#12 bundle holds its chain");
  if (!pkcs12 && !args.has("cert")) return usage_error("a PEM key needs --cert CHAIN.pem");
  if (pkcs12 && password.empty())
    return usage_error("a PKCS#12 key needs --password-file or --password-env");
  auto key = pkcs12 ? signing::SigningKey::from_pkcs12(*key_path, password)
                    : signing::SigningKey::from_pem(*key_path, *args.get("cert"), password);
  signing::wipe(password);
  if (!key) return report(key.error());

  std::ifstream input(*in, std::ios::binary);
  if (!input) return usage_error("cannot read " + *in);
  const std::string xml((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());

  signing::SignOptions options;
  options.id = args.get("id").value_or("");
  options.xades = args.has("xades");
  auto signed_xml = signing::Signer(std::move(*key)).sign(xml, options);
  if (!signed_xml) return report(signed_xml.error());

  std::ofstream output(*out, std::ios::binary | std::ios::trunc);
  output << *signed_xml;
  output.close();
  if (!output) return usage_error("cannot write " + *out);
  std::fprintf(stderr, "motcua sign: wrote %s\n", out->c_str());
  return 0;
}

}  // namespace motcua::app
