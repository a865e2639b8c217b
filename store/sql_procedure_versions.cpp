#include "store/sql_procedure_versions.hpp"

#include "engine/audit_chain.hpp"
#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {

using engine::ErrorCode;
using engine::fail;

engine::Status SqlProcedureVersions::save(const engine::ProcedureVersionRecord& r) {
  if (r.code.empty() || r.version < 1)
    return fail(ErrorCode::kInvalidInput, "a procedure version needs a code and a version >= 1");
  auto digest = engine::sha256(r.definition);
  if (!digest) return tl::unexpected(digest.error());
  if (engine::to_hex(*digest) != r.hash)
    return fail(ErrorCode::kInvalidInput, "procedure " + r.code + " version " +
                                              std::to_string(r.version) +
                                              ": hash is not the SHA-256 of the definition");
  auto tx = detail::Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  auto done = detail::guarded(
      "storing procedure " + r.code,
      [&]() -> engine::Result<bool> {
        soci::session& sql = (*tx)->sql();
        std::string existing;
        int version = r.version;
        long long stored = r.stored.time_since_epoch().count();
        sql << "SELECT hash FROM procedure_versions WHERE code = :c AND version = :v",
            soci::use(r.code), soci::use(version), soci::into(existing);
        if (sql.got_data()) {
          if (existing == r.hash) return false;  // stored already: nothing to commit
          return fail(ErrorCode::kConflict,
                      "procedure " + r.code + " version " + std::to_string(r.version) +
                          " is already published with another definition; publish a new version");
        }
        sql << "INSERT INTO procedure_versions (code, version, hash, definition, stored_at) "
               "VALUES (:c, :v, :h, :d, :s)",
            soci::use(r.code), soci::use(version), soci::use(r.hash), soci::use(r.definition),
            soci::use(stored);
        return true;
      },
      engine::Error{ErrorCode::kConflict,
                    "procedure " + r.code + " version " + std::to_string(r.version) +
                        " was stored concurrently; retry",
                    ""});
  if (!done) return tl::unexpected(done.error());
  if (!*done) return {};
  return (*tx)->commit();
}

engine::Result<engine::ProcedureVersionRecord> SqlProcedureVersions::select(
    std::string_view code_view, std::optional<int> wanted) {
  engine::ProcedureVersionRecord r;
  r.code = std::string(code_view);
  long long version = 0, stored = 0;
  return detail::guarded(
      "reading procedure " + r.code, [&]() -> engine::Result<engine::ProcedureVersionRecord> {
        detail::Lease lease(*db_);
        soci::session& sql = lease.sql();
        if (wanted) {
          int v = *wanted;
          sql << "SELECT version, hash, definition, stored_at FROM procedure_versions WHERE code = "
                 ":c "
                 "AND version = :v",
              soci::use(r.code), soci::use(v), soci::into(version), soci::into(r.hash),
              soci::into(r.definition), soci::into(stored);
        } else {
          sql << "SELECT version, hash, definition, stored_at FROM procedure_versions WHERE code = "
                 ":c "
                 "ORDER BY version DESC LIMIT 1",
              soci::use(r.code), soci::into(version), soci::into(r.hash), soci::into(r.definition),
              soci::into(stored);
        }
        if (!sql.got_data())
          return fail(ErrorCode::kNotFound,
                      "procedure " + r.code +
                          (wanted ? " version " + std::to_string(*wanted) : std::string()) +
                          " is not stored");
        r.version = static_cast<int>(version);
        r.stored = engine::Instant{std::chrono::seconds{stored}};
        return r;
      });
}

engine::Result<engine::ProcedureVersionRecord> SqlProcedureVersions::find(std::string_view code,
                                                                          int version) {
  return select(code, version);
}

engine::Result<engine::ProcedureVersionRecord> SqlProcedureVersions::latest(std::string_view code) {
  return select(code, std::nullopt);
}

}  // namespace motcua::store
