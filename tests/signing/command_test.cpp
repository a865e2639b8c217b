// End to end: `motcua sign` and `motcua verify` as a user types them.
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/signing/fixture.hpp"

namespace motcua::signing::test {
namespace {

std::string motcua_binary() {
  const std::string path = MOTCUA_EXE;
  REQUIRE_MESSAGE(std::filesystem::exists(path), "the motcua binary is missing: " << path);
  return path;
}

}  // namespace

TEST_CASE("motcua sign and motcua verify: exit codes and JSON report") {
  const std::string motcua = motcua_binary();
  const std::string doc = temp_path("cmd-doc.xml");
  const std::string out = temp_path("cmd-signed.xml");
  write_file(doc, sample_document());
  std::string output;
  REQUIRE(run(motcua + " sign --key " + pki("so-tu-phap.p12") + " --password-file " +
                  pki("p12.pass") + " --in " + doc + " --out " + out + " --id kq-1 --xades",
              &output) == 0);
  CHECK(xmlsec1_verifies(read_file(out), "urn:motcua:ketqua:1:KetQua"));
  CHECK(run(motcua + " verify --trust " + pki("trust") + " --in " + out +
                " --id kq-1 --require-xades",
            &output) == 0);
  CHECK(output.find("\"valid\":true") != std::string::npos);
  CHECK(output.find("\"signing_time\":") != std::string::npos);

  write_file(out, replace_once(read_file(out), "200000", "1"));
  CHECK(run(motcua + " verify --trust " + pki("trust") + " --in " + out + " --id kq-1", &output) ==
        1);
  CHECK(output.find("\"code\":\"digest_mismatch\"") != std::string::npos);

  REQUIRE(run(motcua + " sign --key " + pki("revoked.key") + " --cert " + pki("revoked-chain.pem") +
                  " --in " + doc + " --out " + out,
              &output) == 0);
  CHECK(run(motcua + " verify --trust " + pki("trust") + " --in " + out, &output) == 1);
  CHECK(output.find("\"code\":\"certificate_revoked\"") != std::string::npos);
  CHECK(run(motcua + " verify --trust " + pki("trust") + " --in " + out +
                " --at 2100-01-01T00:00:00Z",
            &output) == 1);
  CHECK(output.find("\"code\":\"revocation_unknown\"") != std::string::npos);

  CHECK(run(motcua + " verify --in " + out, &output) == 2);
  CHECK(run(motcua + " verify --trust " + pki("trust") + " --in " + out + " --at yesterday",
            &output) == 2);
  CHECK(run(motcua + " sign --key " + pki("so-tu-phap.p12") + " --in " + doc + " --out " + out,
            &output) == 2);
  CHECK(run(motcua + " sign --key " + pki("so-tu-phap.p12") + " --password secret --in " + doc +
                " --out " + out,
            &output) == 2);
  CHECK(run(motcua + " sign --help", &output) == 0);
  CHECK(output.find("--password-file") != std::string::npos);
}

}  // namespace motcua::signing::test
