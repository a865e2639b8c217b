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

TEST_CASE("motcua calendar due: the server's rule outside working time, and provisional days") {
  const std::string motcua = binary();
  const std::string env = "MOTCUA_HOME=" + std::string(MOTCUA_SOURCE_DIR) + " ";
  // Saturday night 7 Mar 2026 counts as received Monday 9 Mar 07:00: day 15 = Tue 24 Mar.
  const Run saturday =
      run(env + motcua + " calendar due --from 2026-03-07T22:15:00+07:00 --add \"15 days\"");
  CHECK(saturday.status == 0);
  CHECK(saturday.out == "2026-03-24T17:00:00+07:00\n");
  // Across the provisional Tết 2027 (5-11 Feb): 6 h on Thu 4, 8 on Fri 12, 8 on Mon 15, 2 on
  // Tue 16.
  const Run tet =
      run(env + motcua + " calendar due --from 2027-02-04T09:00:00+07:00 --add \"3 working-days\"");
  CHECK(tet.status == 0);
  CHECK(tet.out.rfind("2027-02-16T09:00:00+07:00\nprovisional: depends on days not yet decreed: "
                      "2027-02-05",
                      0) == 0);
  // A limit that needs 2029, which no calendar file covers yet, is refused rather than guessed.
  const Run beyond =
      run(env + motcua + " calendar due --from 2028-12-29T09:00:00+07:00 --add \"1 working-days\"");
  CHECK(beyond.status == 1);
  CHECK(beyond.out.find("out_of_range") != std::string::npos);
}

TEST_CASE("motcua catalog check refuses a desk-only level 3 procedure with file:line") {
  const std::string motcua = binary();
  const fs::path dir = fs::temp_directory_path() / "motcua-catalog-command-level";
  fs::create_directories(dir);
  const std::string bad = (dir / "desk-only.xml").string();
  const std::string text =
      testing::with(testing::with(testing::minimal_definition(), "<channels>desk online</channels>",
                                  "<channels>desk</channels>"),
                    R"(<online level="4" mode="full"/>)",
                    R"(<online level="3" mode="partial"><reason>r</reason></online>)");
  std::ofstream(bad, std::ios::binary) << text;
  const std::string env = "MOTCUA_HOME=" + std::string(MOTCUA_SOURCE_DIR) + " ";
  const Run checked = run(env + motcua + " catalog check " + bad);
  CHECK(checked.status == 1);
  CHECK(checked.out.find(bad + ":" + std::to_string(testing::line_of(text, "<online ")) +
                         ": a procedure not offered online") != std::string::npos);
}

}  // namespace
}  // namespace motcua::workflows
