#pragma once
// The databases storage tests run on: a fresh SQLite file always, and the PostgreSQL database named
// by MOTCUA_TEST_PG when set (scripts/with-postgres sets it), emptied first. Tests loop over both
// with the same body:  for (const auto& url : test_database_urls()) { auto db =
// fresh_database(url); ... }
#include <doctest/doctest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store::testing {

// "message: detail" of a failed result, "" of a good one.
template <class R>
std::string describe(const R& r) {
  return r ? std::string() : r.error().message + ": " + r.error().detail;
}

// MOTCUA_TEST_PG names a database; each test process works in a database of its own beside it
// (motcua_test_p<pid>), created once, so suites that ctest runs in parallel never empty each
// other's schema.
inline std::string process_postgres_url(const std::string& given) {
  static const std::string url = [&given] {
    const auto slash = given.find('/', given.find('@') + 1);
    REQUIRE_MESSAGE(slash != std::string::npos, "MOTCUA_TEST_PG has no database name: " << given);
    const auto query = given.find('?', slash);
    const std::string name = "motcua_test_p" + std::to_string(::getpid());
    auto parsed = parse_database_url(given);
    REQUIRE(parsed);
    auto admin = Database::open(*parsed, 1);
    REQUIRE_MESSAGE(admin, describe(admin));
    soci::session sql((*admin)->pool().connections);
    sql << "DROP DATABASE IF EXISTS " + name;
    sql << "CREATE DATABASE " + name;
    return given.substr(0, slash + 1) + name +
           (query == std::string::npos ? std::string() : given.substr(query));
  }();
  return url;
}

inline std::vector<std::string> test_database_urls() {
  static std::atomic<int> counter{0};
  const std::filesystem::path dir = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-store";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / ("t" + std::to_string(counter++) + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
  std::vector<std::string> urls{"sqlite3://" + file};
  if (const char* pg = std::getenv("MOTCUA_TEST_PG"); pg && *pg) {
    urls.emplace_back(process_postgres_url(pg));
  }
  return urls;
}

inline const char* backend_name(const Database& db) {
  return db.backend() == Backend::kSqlite3 ? "sqlite3" : "postgresql";
}

// Opens the database empty (PostgreSQL: the public schema is dropped and recreated), unmigrated.
inline std::shared_ptr<Database> empty_database(const std::string& url, std::size_t pool = 4) {
  auto parsed = parse_database_url(url);
  REQUIRE(parsed);
  if (parsed->backend == Backend::kPostgresql) {
    auto admin = Database::open(*parsed, 1);
    REQUIRE_MESSAGE(admin, describe(admin));
    soci::session sql((*admin)->pool().connections);
    sql << "DROP SCHEMA public CASCADE";
    sql << "CREATE SCHEMA public";
  }
  auto db = Database::open(*parsed, pool);
  REQUIRE_MESSAGE(db, describe(db));
  return *db;
}

inline engine::Instant instant(long long seconds) {
  return engine::Instant{std::chrono::seconds{seconds}};
}

// Empty and migrated.
inline std::shared_ptr<Database> fresh_database(const std::string& url, std::size_t pool = 4) {
  auto db = empty_database(url, pool);
  auto report = migrate(*db, instant(1795000000));
  REQUIRE_MESSAGE(report, describe(report));
  return db;
}

// Raw SQL on the database, as an attacker or an operator would run it.
inline void exec(Database& db, const std::string& statement) {
  soci::session sql(db.pool().connections);
  sql << statement;
}

}  // namespace motcua::store::testing
