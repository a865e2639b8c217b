#include "bench/signing/sign_phases.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

#include "bench/signing/bench_rate.hpp"
#include "signing/internal/exclusive_c14n.hpp"
#include "signing/internal/key_material.hpp"
#include "signing/internal/streaming_c14n.hpp"
#include "signing/internal/xml_parse.hpp"

namespace motcua::signing::bench {
namespace {

struct Phase {
  const char* name;
  std::function<bool()> op;
  double us = 1e12;
};

void measure(std::vector<Phase>& phases, double seconds, int rounds) {
  for (int r = 0; r < rounds; ++r) {
    for (Phase& p : phases) p.us = std::min(p.us, 1e6 / rate(seconds, p.op));
  }
}

void print(const char* title, const std::vector<Phase>& phases) {
  std::printf("%s\n", title);
  double parts = 0;
  for (std::size_t i = 0; i + 1 < phases.size(); ++i) {
    std::printf("  %-44s %8.1f us\n", phases[i].name, phases[i].us);
    parts += phases[i].us;
  }
  std::printf("  %-44s %8.1f us\n", "rest (total minus the phases above)",
              phases.back().us - parts);
  std::printf("  %-44s %8.1f us\n", phases.back().name, phases.back().us);
}

}  // namespace

void print_phases(const std::string& doc, const Signer& signer, const std::string& signed_doc,
                  const Verifier& verifier, double seconds, int rounds) {
  auto parsed = internal::parse_untrusted(doc, Limits{});
  auto canonical = parsed ? internal::exclusive_c14n(parsed->get(), nullptr, nullptr)
                          : Result<std::string>(std::string());
  if (!parsed || !canonical) return;
  const std::string signed_info(900, 'x');  // about the size of a canonical SignedInfo
  EVP_PKEY* key = signer.key().material().key.get();
  std::vector<Phase> sign = {
      {"streaming exclusive c14n (Signer's path, no tree)",
       [&] { return internal::streaming_exclusive_c14n(doc, {}, Limits{}).has_value(); }},
      {"SHA-256 of the canonical document",
       [&] {
         unsigned char md[EVP_MAX_MD_SIZE];
         unsigned int len = 0;
         return EVP_Digest(canonical->data(), canonical->size(), md, &len, EVP_sha256(), nullptr) ==
                1;
       }},
      {"private-key signature of SignedInfo (EVP)",
       [&] {
         EVP_MD_CTX* ctx = EVP_MD_CTX_new();
         unsigned char sig[1024];
         std::size_t size = sizeof sig;
         const bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
                         EVP_DigestSign(ctx, sig, &size,
                                        reinterpret_cast<const unsigned char*>(signed_info.data()),
                                        signed_info.size()) == 1;
         EVP_MD_CTX_free(ctx);
         return ok;
       }},
      {"Signer::sign total", [&] { return signer.sign(doc).has_value(); }},
  };
  std::vector<Phase> verify = {
      {"hardened parse of the signed document",
       [&] { return internal::parse_untrusted(signed_doc, Limits{}).has_value(); }},
      {"exclusive c14n of the document",
       [&] { return internal::exclusive_c14n(parsed->get(), nullptr, nullptr).has_value(); }},
      {"Verifier::verify total", [&] { return verifier.verify(signed_doc).valid(); }},
  };
  measure(sign, seconds, rounds);
  measure(verify, seconds, rounds);
  print("signing, per operation (best of the rounds):", sign);
  print("verification, per operation (best of the rounds):", verify);
}

}  // namespace motcua::signing::bench
