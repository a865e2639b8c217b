#pragma once
// Database URLs accepted by motcua:
//   sqlite3://<path>         a file; relative paths are relative to the working directory
//                            (sqlite3://var/motcua.db), absolute ones start with '/'
//                            (sqlite3:///srv/motcua/motcua.db)
//   postgresql://[user[:password]@][host][:port]/dbname[?key=value&...]   (also postgres://)
//                            PostgreSQL's own URI; a socket directory is given as ?host=/path
// Pure parsing, thread-safe.
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::store {

inline constexpr std::string_view kDefaultDatabaseUrl = "sqlite3://var/motcua.db";

enum class Backend { kSqlite3, kPostgresql };

struct DatabaseUrl {
  Backend backend = Backend::kSqlite3;
  std::string sqlite_path;  // kSqlite3: the file
  std::string conninfo;     // kPostgresql: the URI as libpq takes it
  std::string redacted;     // the URL with any password replaced by "***", for logs and errors
};

// Errors: kInvalidInput naming what is wrong (unknown scheme, empty path, missing database name,
// bad port, malformed query, control characters). The message never contains the password.
engine::Result<DatabaseUrl> parse_database_url(std::string_view url);

}  // namespace motcua::store
