#include "store/database_url.hpp"

#include <doctest/doctest.h>

namespace motcua::store {

TEST_CASE("Database URL parses sqlite3 paths") {
  auto def = parse_database_url(kDefaultDatabaseUrl);
  REQUIRE(def);
  CHECK(def->backend == Backend::kSqlite3);
  CHECK(def->sqlite_path == "var/motcua.db");
  auto abs = parse_database_url("sqlite3:///srv/motcua/hồ sơ.db");
  REQUIRE(abs);
  CHECK(abs->sqlite_path == "/srv/motcua/hồ sơ.db");
}

TEST_CASE("Database URL parses PostgreSQL URIs, socket directories included") {
  auto tcp = parse_database_url("postgresql://motcua@db.example:5433/motcua");
  REQUIRE(tcp);
  CHECK(tcp->backend == Backend::kPostgresql);
  CHECK(tcp->conninfo == "postgresql://motcua@db.example:5433/motcua");
  auto sock = parse_database_url("postgresql://postgres@/motcua_test?host=/tmp/pg.x&port=5999");
  REQUIRE(sock);
  CHECK(sock->conninfo == "postgresql://postgres@/motcua_test?host=/tmp/pg.x&port=5999");
  CHECK(parse_database_url("postgres://localhost/motcua"));
  CHECK(parse_database_url("postgresql://[::1]:5432/motcua"));
}

TEST_CASE("Database URL redacts the password") {
  auto url = parse_database_url("postgresql://motcua:s3cret@db:5432/motcua?sslmode=require");
  REQUIRE(url);
  CHECK(url->redacted == "postgresql://motcua:***@db:5432/motcua?sslmode=require");
  CHECK(url->redacted.find("s3cret") == std::string::npos);
  auto bad = parse_database_url("postgresql://motcua:s3cret@db:99999/motcua");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("s3cret") == std::string::npos);
}

TEST_CASE("Database URL refuses malformed URLs with a clear error") {
  for (const char* url : {"",
                          "motcua.db",
                          "mysql://x/y",
                          "sqlite3://",
                          "sqlite3://var/",
                          "sqlite3://a.db?mode=ro",
                          "postgresql://",
                          "postgresql://host",
                          "postgresql://host/",
                          "postgresql://host:0/db",
                          "postgresql://host:abc/db",
                          "postgresql://host:70000/db",
                          "postgresql://@host/db",
                          "postgresql://host/db?host",
                          "postgresql://host/db?=x",
                          "postgresql://host/db?port=x",
                          "postgresql://host/db?password=x",
                          "postgresql://host/a/b",
                          "postgresql://[::1/db",
                          "sqlite3://var/a\n.db"}) {
    CAPTURE(url);
    auto r = parse_database_url(url);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == engine::ErrorCode::kInvalidInput);
    CHECK_FALSE(r.error().message.empty());
  }
}

}  // namespace motcua::store
