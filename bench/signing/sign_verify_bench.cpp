// Signing benchmark: signs and verifies a 10 KB document in-process on one thread with RSA-2048
// and ECDSA P-256 keys of a freshly generated development PKI (verification checks the chain and
// the CRLs), then runs `openssl speed` for the same key types in the same run and prints ops/s and
// the ratios, best of N rounds (default 3 s per measurement, 3 rounds). Targets (issue 3): RSA
// signing >= 85 % of openssl's sign/s; RSA-2048 verification
// >= 5,000/s per core. Then where one RSA signature and one verification spend their time, phase by
// phase (sign_phases.hpp). Build it in Release: `cmake --build build-release --target
// signing_bench`; run `signing_bench [seconds per measurement] [rounds]`.
#include <libxml/parser.h>
#include <stdlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "bench/signing/bench_rate.hpp"
#include "bench/signing/sign_phases.hpp"
#include "signing/library.hpp"
#include "signing/signer.hpp"
#include "signing/verifier.hpp"

namespace {

using namespace motcua::signing;
using motcua::signing::bench::rate;

std::string document_10k() {
  std::string doc =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<KetQua xmlns=\"urn:motcua:ketqua:1\" "
      "Id=\"kq-1\">\n";
  for (int i = 0; doc.size() < 10 * 1024 - 200; ++i) {
    doc += "  <Dong So=\"" + std::to_string(i) +
           "\"><Ten>Nguyễn Thị Hồng Nhung</Ten><NoiDung>Phiếu lý lịch tư pháp, không có án "
           "tích</NoiDung></Dong>\n";
  }
  return doc + "</KetQua>\n";
}

struct Speed {
  double rsa_sign = 0, rsa_verify = 0, ec_sign = 0, ec_verify = 0;
};

// `openssl speed` for RSA-2048 and ECDSA P-256, one process, one thread.
Speed openssl_speed(int seconds) {
  Speed s;
  const std::string cmd = "openssl speed -elapsed -seconds " + std::to_string(seconds) +
                          " rsa2048 ecdsap256 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return s;
  char line[512];
  while (std::fgets(line, sizeof line, pipe) != nullptr) {
    std::string l(line);
    double a = 0, b = 0, sign = 0, verify = 0;
    if (l.rfind("rsa 2048 bits", 0) == 0 &&
        std::sscanf(l.c_str() + 13, "%lfs %lfs %lf %lf", &a, &b, &sign, &verify) == 4) {
      s.rsa_sign = sign;
      s.rsa_verify = verify;
    }
    if (auto at = l.find("ecdsa (nistp256)");
        at != std::string::npos &&
        std::sscanf(l.c_str() + at + 16, "%lfs %lfs %lf %lf", &a, &b, &sign, &verify) == 4) {
      s.ec_sign = sign;
      s.ec_verify = verify;
    }
  }
  pclose(pipe);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
  Library library;
  if (!library.ok()) {
    std::fprintf(stderr, "library: %s\n", library.status().error().message.c_str());
    return 2;
  }
  const std::string dir = motcua::signing::bench::make_dev_pki(MOTCUA_SOURCE_DIR);
  if (dir.empty()) return 2;
  auto verifier = Verifier::create(VerifierConfig{{dir + "/trust"}, {}, true});
  if (!verifier) return 2;

  const std::string doc = document_10k();
  std::printf(
      "signing benchmark: %zu-byte document, one thread, %.1f s per measurement, best of %d "
      "rounds (openssl speed runs in every round too)\n",
      doc.size(), seconds, rounds);
  std::printf("verification checks the chain (3 certificates) and %zu CRLs\n\n",
              verifier->crl_count());

  struct Row {
    const char* label;
    double sign, verify;
  } rows[2] = {{"RSA-2048", 0, 0}, {"ECDSA-P256", 0, 0}};
  const char* keys[2] = {"ubnd-tinh", "so-tu-phap"};
  std::optional<Signer> signers[2];
  std::string signed_docs[2];
  for (int k = 0; k < 2; ++k) {
    auto key =
        SigningKey::from_pem(dir + "/" + keys[k] + ".key", dir + "/" + keys[k] + "-chain.pem");
    if (!key) return 2;
    signers[k].emplace(*key);
    auto signed_doc = signers[k]->sign(doc);
    if (!signed_doc || !verifier->verify(*signed_doc).valid()) {
      std::fprintf(stderr, "%s: the signed document does not verify\n", rows[k].label);
      return 1;
    }
    signed_docs[k] = *signed_doc;
  }
  // Load from other processes slows both sides; the best round of each is the least disturbed.
  Speed speed;
  double xml_floor = 0;
  for (int round = 0; round < rounds; ++round) {
    for (int k = 0; k < 2; ++k) {
      const Signer& signer = *signers[k];
      const std::string& signed_doc = signed_docs[k];
      rows[k].sign =
          std::max(rows[k].sign, rate(seconds, [&] { return signer.sign(doc).has_value(); }));
      rows[k].verify = std::max(
          rows[k].verify, rate(seconds, [&] { return verifier->verify(signed_doc).valid(); }));
    }
    // The floor any signer over a libxml2 tree pays (the Signer's streaming path does not; the
    // Verifier does): parsing the document into the tree (with the options of the hardened
    // parser) and freeing it.
    xml_floor = std::max(xml_floor, rate(seconds, [&] {
                           xmlDocPtr parsed =
                               xmlReadMemory(doc.data(), static_cast<int>(doc.size()), nullptr,
                                             nullptr, XML_PARSE_NONET | XML_PARSE_COMPACT);
                           xmlFreeDoc(parsed);
                           return parsed != nullptr;
                         }));
    const Speed s = openssl_speed(static_cast<int>(seconds + 0.5));
    speed.rsa_sign = std::max(speed.rsa_sign, s.rsa_sign);
    speed.rsa_verify = std::max(speed.rsa_verify, s.rsa_verify);
    speed.ec_sign = std::max(speed.ec_sign, s.ec_sign);
    speed.ec_verify = std::max(speed.ec_verify, s.ec_verify);
    std::printf(
        "round %d: RSA sign %.0f/s (openssl %.0f), verify %.0f/s; P-256 sign %.0f/s (openssl "
        "%.0f), verify %.0f/s\n",
        round + 1, rows[0].sign, s.rsa_sign, rows[0].verify, rows[1].sign, s.ec_sign,
        rows[1].verify);
    std::fflush(stdout);
  }
  std::filesystem::remove_all(dir);
  std::printf("\n");
  motcua::signing::bench::print_phases(doc, *signers[0], signed_docs[0], *verifier, seconds / 3,
                                       rounds);
  std::printf("\n");

  std::printf("%-11s %12s %12s %16s %16s %10s %10s\n", "key", "motcua sign/s", "verify/s",
              "openssl sign/s", "openssl verify/s", "sign ratio", "verify ratio");
  const double ref_sign[2] = {speed.rsa_sign, speed.ec_sign};
  const double ref_verify[2] = {speed.rsa_verify, speed.ec_verify};
  for (int k = 0; k < 2; ++k) {
    std::printf("%-11s %12.0f %12.0f %16.0f %16.0f %9.1f%% %9.1f%%\n", rows[k].label, rows[k].sign,
                rows[k].verify, ref_sign[k], ref_verify[k],
                ref_sign[k] > 0 ? 100 * rows[k].sign / ref_sign[k] : 0,
                ref_verify[k] > 0 ? 100 * rows[k].verify / ref_verify[k] : 0);
  }
  std::printf(
      "\nlibxml2 tree parse (and free) of the same document alone: %.0f/s (%.0f us; the Signer's "
      "streaming path avoids it, the Verifier pays it)\n",
      xml_floor, 1e6 / xml_floor);
  std::printf("ceiling for the RSA-2048 sign ratio of a signer over a libxml2 tree: %.1f%%\n",
              ref_sign[0] > 0 ? 100 * (1 / (1 / ref_sign[0] + 1 / xml_floor)) / ref_sign[0] : 0);
  const bool sign_ok = ref_sign[0] > 0 && rows[0].sign >= 0.85 * ref_sign[0];
  const bool verify_ok = rows[0].verify >= 5000;
  std::printf("\ntarget RSA-2048 signing >= 85%% of openssl speed: %s (%.1f%%)\n",
              sign_ok ? "met" : "NOT met", ref_sign[0] > 0 ? 100 * rows[0].sign / ref_sign[0] : 0);
  std::printf("target RSA-2048 verification >= 5000/s with chain and CRL: %s (%.0f/s)\n",
              verify_ok ? "met" : "NOT met", rows[0].verify);
  return 0;
}
