#include "workflows/catalog.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <utility>

#include "tests/workflows/test_support.hpp"

namespace motcua::workflows {
namespace {

using testing::kCatalogDir;
using testing::loader;

namespace fs = std::filesystem;

// A scratch directory removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("motcua-catalog-test-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) + "-" +
            std::to_string(std::rand()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
  }
};

// Writes the construction permit as v1.xml (version 1) and v2.xml (version 2); returns both texts.
std::pair<std::string, std::string> write_two_versions(const TempDir& dir) {
  std::string v2 = testing::catalog_file("1.013225-construction-permit.xml");  // ships as 2
  std::string v1 = v2;
  const auto at = v1.find("version=\"2\"");
  REQUIRE(at != std::string::npos);
  v1.replace(at, 11, "version=\"1\"");
  dir.write("v1.xml", v1);
  dir.write("v2.xml", v2);
  return {v1, v2};
}

TEST_CASE("Catalog loads every shipped procedure with no problem") {
  auto report = Catalog::load_directory(loader(), kCatalogDir);
  REQUIRE(report);
  INFO(testing::dump(report->problems));
  CHECK(report->problems.empty());
  CHECK(report->files.size() >= 6);
  CHECK(report->catalog.size() == report->files.size());
  for (const char* code :
       {"1.001612", "1.013225", "3.000333", "2.000815", "1.001193", "1.012783"}) {
    CAPTURE(code);
    ProcedurePtr p = report->catalog.latest(code);
    REQUIRE(p != nullptr);
    CHECK(p->source_hash.size() == 64);
    CHECK(report->catalog.find(code, p->version) == p);
  }
}

TEST_CASE("Catalog leaves out broken files and reports each with file and line") {
  TempDir dir;
  dir.write("a-good.xml", testing::catalog_file("1.013225-construction-permit.xml"));
  dir.write("b-broken.xml", "<procedure xmlns=\"urn:motcua:workflow:1\"><name/>");
  dir.write("c-doctype.xml",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY x \"y\">]>\n<p>&x;</p>");
  dir.write("notes.txt", "not a definition");
  auto report = Catalog::load_directory(loader(), dir.path.string());
  REQUIRE(report);
  CHECK(report->files.size() == 3);
  CHECK(report->catalog.size() == 1);
  CHECK(report->catalog.find("1.013225", 2) != nullptr);
  REQUIRE(report->problems.size() == 2);
  CHECK(report->problems[0].source.ends_with("b-broken.xml"));
  CHECK(report->problems[0].line == 1);
  CHECK(report->problems[1].source.ends_with("c-doctype.xml"));
  CHECK(report->problems[1].line == 2);
  CHECK(report->problems[1].message.find("DOCTYPE") != std::string::npos);
}

TEST_CASE("Catalog refuses a second file with the same code and version") {
  TempDir dir;
  const std::string text = testing::catalog_file("1.013225-construction-permit.xml");
  dir.write("one.xml", text);
  dir.write("two.xml", text);
  auto report = Catalog::load_directory(loader(), dir.path.string());
  REQUIRE(report);
  CHECK(report->catalog.size() == 1);
  CHECK(report->catalog.find("1.013225", 2)->source_path.ends_with("one.xml"));
  REQUIRE(report->problems.size() == 1);
  CHECK(report->problems[0].message.find("already defined") != std::string::npos);
}

TEST_CASE("Catalog returns the highest version as latest") {
  TempDir dir;
  write_two_versions(dir);
  auto report = Catalog::load_directory(loader(), dir.path.string());
  REQUIRE(report);
  REQUIRE(report->catalog.size() == 2);
  CHECK(report->catalog.latest("1.013225")->version == 2);
  CHECK(report->catalog.all().front()->version == 1);
  CHECK(report->catalog.latest("9.999999") == nullptr);
}

TEST_CASE("Catalog hands the engine the bytes it parsed, not what the file says later") {
  TempDir dir;
  const auto [v1, v2] = write_two_versions(dir);
  auto report = Catalog::load_directory(loader(), dir.path.string());
  REQUIRE(report);
  dir.write("v1.xml", "changed on disk after the load");
  auto source = report->catalog.procedure_source();
  REQUIRE(source);
  auto first = (*source)->find("1.013225", 1);
  REQUIRE(first);
  CHECK(*first->definition == v1);
  CHECK(first->procedure == report->catalog.find("1.013225", 1));
  auto current = (*source)->current("1.013225");
  REQUIRE(current);
  CHECK(*current->definition == v2);
  CHECK(current->procedure->version == 2);
  // What a catalogue lists: the version in force of each code, once.
  auto listed = (*source)->all_current();
  REQUIRE(listed.size() == 1);
  CHECK(listed.front() == current->procedure);
  CHECK(!(*source)->find("1.013225", 3));
}

TEST_CASE("Catalog refuses a directory that does not exist") {
  auto report = Catalog::load_directory(loader(), "/nonexistent/motcua/catalog");
  REQUIRE_FALSE(report);
  CHECK(report.error().code == engine::ErrorCode::kIo);
}

}  // namespace
}  // namespace motcua::workflows
