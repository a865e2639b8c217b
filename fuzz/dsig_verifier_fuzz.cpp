// libFuzzer target: the hardened XML-DSig verifier on a whole document (signing/verifier.hpp), as
// POST /api/v1/verify runs it, against the committed development trust store fuzz/verifier-trust/
// (root and intermediate CA certificates and their CRLs, no key; fuzz/make-verifier-seeds made
// them together with the signed seeds). The chain is checked at the instant written in
// fuzz/verifier-trust/at, inside every certificate's and CRL's validity, so the seeds verify.
//
// Input: the document's bytes. A first byte 0x01 or 0x02 (never the start of an XML document)
// selects the options of ?type=receipt or ?type=result and is not part of the document.
// A Verifier is created for every input: its certificate and chain caches then never carry one
// input's state into the next, and a reproducer behaves alone as it did in the run.
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <string_view>

#include "documents/document_xml.hpp"
#include "signing/library.hpp"
#include "signing/verifier.hpp"

namespace {

using namespace motcua;

constexpr const char* kTrust = MOTCUA_SOURCE_DIR "/fuzz/verifier-trust";

std::time_t checked_at() {
  static const std::time_t at = [] {
    std::ifstream in(std::string(kTrust) + "/at");
    long long seconds = 0;
    if (!(in >> seconds) || seconds <= 0) std::abort();
    return static_cast<std::time_t>(seconds);
  }();
  return at;
}

signing::VerifyOptions options_for(std::uint8_t selector) {
  signing::VerifyOptions options;
  options.at = checked_at();
  if (selector == 0x01 || selector == 0x02) {
    const bool receipt = selector == 0x01;
    options.expected_element = receipt ? "receipt" : "result";
    options.expected_namespace =
        std::string(receipt ? documents::kReceiptNamespace : documents::kResultNamespace);
    options.require_xades = true;
  }
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static signing::Library* library = new signing::Library();  // lives until exit, as main's
  if (!library->ok()) std::abort();
  checked_at();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view xml(reinterpret_cast<const char*>(data), size);
  const std::uint8_t selector = size > 0 ? data[0] : 0;
  const signing::VerifyOptions options = options_for(selector);
  if (selector == 0x01 || selector == 0x02) xml.remove_prefix(1);
  auto verifier = signing::Verifier::create(signing::VerifierConfig{{kTrust}, {}, true});
  if (!verifier) std::abort();
  const signing::VerificationReport report = verifier->verify(xml, options);
  // What a caller reads: content only from a valid report, a reason for every refusal.
  if (!report.valid() && !report.signed_content.empty()) std::abort();
  (void)report.to_json(false);
  return 0;
}
