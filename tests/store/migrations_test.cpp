#include "store/migrations.hpp"

#include "tests/store/test_databases.hpp"

namespace motcua::store {
using namespace testing;

TEST_CASE("Migrations apply once; re-running is a no-op") {
  for (const auto& url : test_database_urls()) {
    auto db = empty_database(url);
    CAPTURE(backend_name(*db));
    CHECK(schema_version(*db).value() == 0);
    auto check = check_schema(*db);
    REQUIRE_FALSE(check);
    CHECK(check.error().code == engine::ErrorCode::kInvalidInput);
    CHECK(check.error().message.find("motcua migrate") != std::string::npos);

    auto first = migrate(*db, instant(1795000000));
    REQUIRE(first);
    CHECK(first->from == 0);
    CHECK(first->to == known_schema_version(db->backend()));
    REQUIRE(first->applied.size() == static_cast<std::size_t>(first->to));
    CHECK(first->applied[0] == "0001_initial");
    CHECK(first->applied[1] == "0002_lifecycle");
    CHECK(check_schema(*db));

    auto again = migrate(*db, instant(1795000100));
    REQUIRE(again);
    CHECK(again->from == first->to);
    CHECK(again->to == first->to);
    CHECK(again->applied.empty());
    soci::session sql(db->pool().connections);
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
    CHECK(rows == first->to);
  }
}

TEST_CASE("Migrations refuse a database whose schema is newer than the binary") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    exec(
        *db,
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, '0999_future', 0)");
    auto r = migrate(*db, instant(1795000000));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == engine::ErrorCode::kConflict);
    CHECK(r.error().message.find("version 999") != std::string::npos);
    CHECK(r.error().message.find("upgrade motcua") != std::string::npos);
    auto check = check_schema(*db);
    REQUIRE_FALSE(check);
    CHECK(check.error().code == engine::ErrorCode::kConflict);
  }
}

TEST_CASE("Migrations split scripts at semicolons outside quotes and comments") {
  auto parts = split_sql(
      "CREATE TABLE a (x TEXT DEFAULT ';');\n-- a comment; with a semicolon\n"
      "INSERT INTO a VALUES ('it''s');\n  \n");
  REQUIRE(parts.size() == 2);
  CHECK(parts[0] == "CREATE TABLE a (x TEXT DEFAULT ';')");
  CHECK(parts[1].find("INSERT INTO a VALUES ('it''s')") != std::string::npos);
  CHECK(split_sql("  ;; \n").empty());
  // A $$-quoted function body keeps its semicolons.
  auto function = split_sql(
      "CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  PERFORM 1;\n  RETURN NULL;\nEND;\n$$;\n"
      "SELECT 2;");
  REQUIRE(function.size() == 2);
  CHECK(function[0].find("RETURN NULL;\nEND;\n$$") != std::string::npos);
}

TEST_CASE("Database open fails clearly for an unreachable database") {
  auto url = parse_database_url("sqlite3:///proc/motcua-cannot-exist/x.db");
  REQUIRE(url);
  auto db = Database::open(*url, 1);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == engine::ErrorCode::kIo);
}

TEST_CASE("Opening an existing database never creates a missing SQLite file") {
  const std::filesystem::path file =
      std::filesystem::path(MOTCUA_BINARY_DIR) / "test-store" / "missing-audit.db";
  std::filesystem::remove(file);
  auto url = parse_database_url("sqlite3://" + file.string());
  REQUIRE(url);
  auto db = Database::open_existing(*url);
  REQUIRE_FALSE(db);
  CHECK(db.error().code == engine::ErrorCode::kNotFound);
  CHECK(db.error().message == "no such database: sqlite3://" + file.string());
  CHECK_FALSE(std::filesystem::exists(file));
}

}  // namespace motcua::store
