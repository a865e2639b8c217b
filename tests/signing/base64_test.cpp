// Strict base64 decoding of DigestValue, SignatureValue and X509Certificate texts.
#include <doctest/doctest.h>

#include <string>

#include "signing/internal/x509_util.hpp"

namespace motcua::signing::test {
namespace {

std::string decoded(const std::string& text) {
  auto out = internal::base64_decode(text);
  return out ? std::string(out->begin(), out->end()) : "<refused>";
}

}  // namespace

TEST_CASE("base64_decode decodes canonical base64 and skips XML whitespace") {
  CHECK(decoded("TWFu") == "Man");
  CHECK(decoded("TWE=") == "Ma");
  CHECK(decoded("TQ==") == "M");
  CHECK(decoded(" T\tW\r\nF u\n") == "Man");
  CHECK(decoded("TWFuTWE=") == "ManMa");
  CHECK(decoded("TQ= =") == "M");
  CHECK(decoded("+/+/") == "\xfb\xff\xbf");
  CHECK(decoded("AAAA") == std::string(3, '\0'));
}

TEST_CASE("base64_decode refuses every non-canonical text") {
  for (const char* text : {"", "   ", "TWF", "TWFuT", "TQ=", "T===", "====", "TQ==TQ==", "TW=u",
                           "TWFu-", "TWFu----", "TR==", "TWF=", "TW\x01u", "TWFu\xc3\xa9"}) {
    CAPTURE(text);
    CHECK(decoded(text) == "<refused>");
  }
}

}  // namespace motcua::signing::test
