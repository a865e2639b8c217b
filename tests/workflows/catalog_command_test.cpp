// Runs the built `motcua catalog` command when the binary exists (it is built with the app target;
// the workflows tests do not depend on it, so the case is skipped when it is absent).
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/workflows/test_support.hpp"

namespace motcua::workflows {
namespace {

namespace fs = std::filesystem;

std::string binary() {
  const std::string path = MOTCUA_EXE;
  REQUIRE_MESSAGE(fs::exists(path), "the motcua binary is missing: " << path);
  return path;
}

struct Run {
  int status = -1;
  std::string out;
};

Run run(const std::string& command) {
  Run result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) result.out += buffer.data();
  const int raw = pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

TEST_CASE("motcua catalog check prints file:line: message and fails on a bad definition") {
  const std::string motcua = binary();
  const fs::path dir = fs::temp_directory_path() / "motcua-catalog-command-test";
  fs::create_directories(dir);
  const std::string good = (dir / "good.xml").string();
  const std::string bad = (dir / "bad.xml").string();
  std::ofstream(good, std::ios::binary) << testing::minimal_definition();
  const std::string broken = testing::with(testing::minimal_definition(),
                                           R"(on-complete="decision")", R"(on-complete="nowhere")");
  std::ofstream(bad, std::ios::binary) << broken;
  const std::string env = "MOTCUA_HOME=" + std::string(MOTCUA_SOURCE_DIR) + " ";

  const Run ok = run(env + motcua + " catalog check " + good);
  CHECK(ok.status == 0);
  CHECK(ok.out.find("1 of 1 definitions valid") != std::string::npos);

  const Run failed = run(env + motcua + " catalog check " + good + " " + bad);
  CHECK(failed.status == 1);
  const std::string expected =
      bad + ":" + std::to_string(testing::line_of(broken, "<parallel id=\"consult\"")) +
      ": state 'consult' continues on completion to 'nowhere'";
  CHECK(failed.out.find(expected) != std::string::npos);
  CHECK(failed.out.find("1 of 2 definitions valid") != std::string::npos);

  const Run shipped = run(env + motcua + " catalog check");
  CHECK(shipped.status == 0);
  const Run listed = run(env + motcua + " catalog list");
  CHECK(listed.status == 0);
  CHECK(listed.out.find("1.013225") != std::string::npos);
  CHECK(listed.out.find("Thủ tục đăng ký khai sinh") != std::string::npos);
  CHECK(run(env + motcua + " catalog frobnicate").status == 2);
  CHECK(run(env + motcua + " catalog check --bogus").status == 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace motcua::workflows
