#include "store/sql_audit_log.hpp"

#include "store/internal/event_rows.hpp"
#include "store/internal/guarded.hpp"
#include "store/internal/hex_text.hpp"
#include "store/internal/soci_support.hpp"
#include "store/internal/sql_dossier_statements.hpp"

namespace motcua::store {

engine::Result<std::vector<std::string>> SqlAuditLog::dossier_codes() {
  std::vector<std::string> out;
  return detail::guarded("listing dossiers", [&]() -> engine::Result<std::vector<std::string>> {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    std::vector<std::string> batch(256);
    soci::statement st =
        (sql.prepare << "SELECT code FROM dossiers UNION SELECT dossier_code FROM dossier_events "
                        "ORDER BY 1",
         soci::into(batch));
    st.execute();
    while (st.fetch()) {
      out.insert(out.end(), batch.begin(), batch.end());
      batch.resize(256);
    }
    return out;
  });
}

// A row's events joined (store/internal/event_rows.hpp), as engine::ChainRow carries them. A body
// that does not unpack is handed on as its stored hex: it matches no hash, so the verifier names the
// row as altered.
engine::Result<std::vector<engine::ChainRow>> SqlAuditLog::rows(std::string_view code_view) {
  const std::string code(code_view);
  std::vector<engine::ChainRow> out;
  return detail::guarded(
      "reading the events of " + code, [&]() -> engine::Result<std::vector<engine::ChainRow>> {
        detail::Lease lease(*db_);
        soci::session& sql = lease.sql();
        std::vector<long long> seqs(128);
        std::vector<std::string> bodies(128), hashes(128);
        soci::statement st =
            (sql.prepare << "SELECT seq, " + detail::hex_out(sql, "body") + ", " +
                                detail::hex_out(sql, "hash") +
                                " FROM dossier_events WHERE dossier_code = :c ORDER BY seq",
             soci::use(code), soci::into(seqs), soci::into(bodies), soci::into(hashes));
        st.execute();
        while (st.fetch()) {
          for (std::size_t i = 0; i < seqs.size(); ++i) {
            auto body = from_hex_text(bodies[i], "event row");
            auto events = body ? detail::unpack_events(*body)
                               : engine::Result<std::vector<std::string>>(
                                     tl::unexpected(body.error()));
            out.push_back(engine::ChainRow{
                seqs[i], events ? detail::join_events(*events) : bodies[i], hashes[i]});
          }
          seqs.resize(128);
          bodies.resize(128);
          hashes.resize(128);
        }
        return out;
      });
}

engine::Result<std::optional<engine::ChainHead>> SqlAuditLog::head(std::string_view code_view) {
  const std::string code(code_view);
  engine::ChainHead h;
  long long version = 0;
  return detail::guarded("reading dossier " + code,
                         [&]() -> engine::Result<std::optional<engine::ChainHead>> {
                           detail::Lease lease(*db_);
                           soci::session& sql = lease.sql();
                           sql << "SELECT version, head_hash FROM dossiers WHERE code = :c",
                               soci::use(code), soci::into(version), soci::into(h.hash);
                           if (!sql.got_data()) return std::nullopt;
                           h.version = version;
                           return h;
                         });
}

}  // namespace motcua::store
