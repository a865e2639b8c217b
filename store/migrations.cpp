#include "store/migrations.hpp"

#include <algorithm>
#include <cctype>

#include "store/internal/embedded_migrations.hpp"
#include "store/internal/event_rows_upgrade.hpp"
#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {
namespace {

using engine::ErrorCode;
using engine::fail;

const char* backend_dir(Backend backend) {
  return backend == Backend::kSqlite3 ? "sqlite3" : "postgresql";
}

// Any constant works as long as every motcua uses the same one.
constexpr long long kMigrationLockKey = 0x6d6f74637561LL;  // "motcua"

int current_version(soci::session& sql) {
  soci::indicator ind = soci::i_ok;
  long long version = 0;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
  return ind == soci::i_null ? 0 : static_cast<int>(version);
}

bool has_migrations_table(soci::session& sql, Backend backend) {
  long long count = 0;
  if (backend == Backend::kSqlite3)
    sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        soci::into(count);
  else
    sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() "
           "AND table_name = 'schema_migrations'",
        soci::into(count);
  return count > 0;
}

std::string too_new(int found, int known) {
  return "the database schema is version " + std::to_string(found) +
         " but this motcua knows only up to " + std::to_string(known) +
         "; upgrade motcua before using this database";
}

}  // namespace

int known_schema_version(Backend backend) noexcept {
  int known = 0;
  for (std::size_t i = 0; i < detail::kEmbeddedMigrationCount; ++i)
    if (std::string_view(detail::kEmbeddedMigrations[i].backend) == backend_dir(backend))
      known = std::max(known, detail::kEmbeddedMigrations[i].version);
  return known;
}

std::vector<std::string> split_sql(const std::string& script) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const char c = script[i];
    if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      while (i < script.size() && script[i] != '\n') ++i;
      current += '\n';
      continue;
    }
    if (c == '$' && i + 1 < script.size() && script[i + 1] == '$') {  // a $$-quoted body
      const std::size_t end = script.find("$$", i + 2);
      const std::size_t stop = end == std::string::npos ? script.size() : end + 2;
      current.append(script, i, stop - i);
      i = stop - 1;
      continue;
    }
    if (c == '\'' || c == '"') {
      const std::size_t end = script.find(c, i + 1);
      const std::size_t stop = end == std::string::npos ? script.size() : end + 1;
      current.append(script, i, stop - i);
      i = stop - 1;
      continue;
    }
    if (c == ';') {
      out.push_back(current);
      current.clear();
      continue;
    }
    current += c;
  }
  out.push_back(current);
  auto blank = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isspace(ch); });
  };
  out.erase(std::remove_if(out.begin(), out.end(), blank), out.end());
  return out;
}

engine::Result<int> schema_version(Database& db) {
  return detail::guarded("reading the schema version", [&] {
    detail::Lease lease(db);
    soci::session& sql = lease.sql();
    return has_migrations_table(sql, db.backend()) ? current_version(sql) : 0;
  });
}

engine::Status check_schema(Database& db) {
  auto found = schema_version(db);
  if (!found) return tl::unexpected(found.error());
  const int known = known_schema_version(db.backend());
  if (*found > known) return fail(ErrorCode::kConflict, too_new(*found, known));
  if (*found < known)
    return fail(ErrorCode::kInvalidInput, "the database schema is version " +
                                              std::to_string(*found) + " but this motcua needs " +
                                              std::to_string(known) +
                                              "; run: motcua migrate --db " + db.url().redacted);
  return {};
}

engine::Result<MigrationReport> migrate(Database& db, engine::Instant now) {
  auto tx = detail::Transaction::begin(db);
  if (!tx) return tl::unexpected(tx.error());
  soci::session& sql = (*tx)->sql();
  MigrationReport report;
  const int known = known_schema_version(db.backend());
  try {
    if (db.backend() == Backend::kPostgresql) {
      sql << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLockKey) + ")";
    }
    sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
           "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
    report.from = report.to = current_version(sql);
    if (report.from > known) return fail(ErrorCode::kConflict, too_new(report.from, known));
    for (std::size_t i = 0; i < detail::kEmbeddedMigrationCount; ++i) {
      const detail::EmbeddedMigration& m = detail::kEmbeddedMigrations[i];
      if (std::string_view(m.backend) != backend_dir(db.backend()) || m.version <= report.from)
        continue;
      for (const std::string& statement : split_sql(m.sql)) sql << statement;
      // Schema 8 changes the event rows' representation, which SQL alone cannot re-encode.
      if (m.version == 8) detail::copy_schema7_events(sql);
      const long long applied_at = now.time_since_epoch().count();
      const std::string name = m.name;
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)",
          soci::use(m.version), soci::use(name), soci::use(applied_at);
      report.applied.push_back(m.name);
      report.to = m.version;
    }
  } catch (const std::exception& e) {
    return tl::unexpected(detail::sql_error(e, "migrating " + db.url().redacted));
  }
  if (auto ok = (*tx)->commit(); !ok) return tl::unexpected(ok.error());
  return report;
}

}  // namespace motcua::store
