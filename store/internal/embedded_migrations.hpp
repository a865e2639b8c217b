#pragma once
// Private to store/: the SQL migrations compiled into the binary (generated from
// store/migrations/<backend>/NNNN_name.sql by store/CMakeLists.txt), sorted by backend and version.
#include <cstddef>

namespace motcua::store::detail {

struct EmbeddedMigration {
  const char* backend;  // "sqlite3" or "postgresql"
  int version;          // NNNN
  const char* name;     // file name without extension
  const char* sql;      // statements separated by ';'
};

extern const EmbeddedMigration kEmbeddedMigrations[];
extern const std::size_t kEmbeddedMigrationCount;

}  // namespace motcua::store::detail
