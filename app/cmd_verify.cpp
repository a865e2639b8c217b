// `motcua verify`: verifies a signed XML document against a trust store (signing/Verifier) and
// prints the verification report as JSON.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "signing/library.hpp"
#include "signing/time_format.hpp"
#include "signing/verifier.hpp"

namespace motcua::app {
namespace {

constexpr const char* kHelp =
    "usage: motcua verify --trust DIR|FILE [--crl FILE] [--at TIME] --in signed.xml\n"
    "\n"
    "Verifies the XML-DSig signature of signed.xml and prints the report as JSON on stdout.\n"
    "\n"
    "  --trust DIR|FILE    trusted root and intermediate CA certificates (PEM/DER files, or a\n"
    "                      directory of .pem/.crt/.cer/.der/.crl files); repeatable\n"
    "  --crl FILE          CRL file (PEM or DER); repeatable. CRLs found under --trust count too\n"
    "  --at TIME           check the certificates at TIME (YYYY-MM-DDTHH:MM:SSZ or +hh:mm); "
    "default now\n"
    "  --id ID             the signature must cover the element with Id=ID (default: the document "
    "element)\n"
    "  --element NAME      the signed element must have this local name\n"
    "  --require-xades     refuse signatures without signed XAdES properties\n"
    "  --no-revocation     do not check CRLs (the report says revocation: not_checked)\n"
    "  --content           include the signed element's canonical bytes in the report\n"
    "exit status: 0 valid, 1 invalid signature, 2 usage or input error\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "motcua verify: %s\n(motcua verify --help for usage)\n", message.c_str());
  return 2;
}

int report_error(const signing::Error& e) {
  std::fprintf(stderr, "motcua verify: %s\n", e.message.c_str());
  if (!e.detail.empty()) std::fprintf(stderr, "  detail: %s\n", e.detail.c_str());
  return 2;
}

}  // namespace

int run_verify(const Words& words) {
  Args args;
  if (auto err = Args::parse(words, {"trust", "crl", "at", "in", "id", "element"},
                             {"require-xades", "no-revocation", "content", "help"}, args)) {
    return usage_error(*err);
  }
  if (args.has("help")) {
    std::fputs(kHelp, stdout);
    return 0;
  }
  const auto in = args.get("in");
  if (!args.has("trust") || !in) return usage_error("--trust and --in are required");
  if (!args.positional().empty())
    return usage_error("unexpected argument '" + args.positional().front() + "'");

  signing::VerifyOptions options;
  if (auto at = args.get("at")) {
    auto parsed = signing::parse_time(*at);
    if (!parsed) return usage_error("--at: " + parsed.error().message);
    options.at = *parsed;
  }
  options.expected_id = args.get("id").value_or("");
  options.expected_element = args.get("element").value_or("");
  options.require_xades = args.has("require-xades");

  std::unique_ptr<signing::Library> library;
  if (!signing::Library::active()) {
    library = std::make_unique<signing::Library>();
    if (!library->ok()) return report_error(library->status().error());
  }
  signing::VerifierConfig config;
  config.trust = args.all("trust");
  config.crls = args.all("crl");
  config.check_revocation = !args.has("no-revocation");
  auto verifier = signing::Verifier::create(config);
  if (!verifier) return report_error(verifier.error());

  std::ifstream input(*in, std::ios::binary);
  if (!input) return usage_error("cannot read " + *in);
  const std::string xml((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());

  const signing::VerificationReport report = verifier->verify(xml, options);
  // The operator at the terminal sees the library detail of a failure too.
  std::printf("%s\n", report.to_json(args.has("content"), true).c_str());
  return report.valid() ? 0 : 1;
}

}  // namespace motcua::app
