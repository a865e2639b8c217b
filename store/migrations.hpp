#pragma once
// Versioned schema migrations (store/migrations/<backend>/NNNN_name.sql, compiled into the
// binary). The applied versions are recorded in the table schema_migrations.
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "engine/time.hpp"
#include "store/database.hpp"

namespace motcua::store {

// The newest schema version this binary knows for the backend.
int known_schema_version(Backend backend) noexcept;

struct MigrationReport {
  int from = 0;                      // schema version found
  int to = 0;                        // schema version after the run
  std::vector<std::string> applied;  // names of the migrations applied now, in order
};

// Applies every known migration newer than the database's schema, all in one transaction
// (PostgreSQL: under an advisory lock, so servers starting together migrate once). Re-running
// is a no-op. Thread-safe. Errors: kConflict when the database's schema is newer than this binary
// knows (nothing is changed); kIo from the database.
engine::Result<MigrationReport> migrate(Database& db, engine::Instant now);

// The database's schema version (0 when never migrated). Errors: kIo.
engine::Result<int> schema_version(Database& db);

// Succeeds when the schema is exactly the known version. Errors: kConflict when it is newer
// ("upgrade motcua"), kInvalidInput when it is older ("run motcua migrate").
engine::Status check_schema(Database& db);

// Splits a migration into statements at ';' outside quotes ('', "", $$ $$) and comments; empty
// statements are dropped. Exposed for tests.
std::vector<std::string> split_sql(const std::string& script);

}  // namespace motcua::store
