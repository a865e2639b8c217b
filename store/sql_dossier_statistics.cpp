#include "store/sql_dossier_statistics.hpp"

#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {
namespace {

using detail::Lease;
using detail::StatementCache;

struct SelectSummary final : StatementCache::Entry {
  std::string code, state;
  int status = 0;
  long long due = 0;
  soci::indicator due_ind = soci::i_null;
  soci::statement st;
  explicit SelectSummary(soci::session& sql)
      : st((sql.prepare << "SELECT state, status, due_at FROM dossiers WHERE code = :c",
            soci::use(code), soci::into(state), soci::into(status), soci::into(due, due_ind))) {}
};

// Variant 0: PostgreSQL (strpos), 1: SQLite (instr).
struct SelectCitation final : StatementCache::Entry {
  std::string sha, needle;
  int one = 0;
  soci::statement st;
  SelectCitation(soci::session& sql, std::size_t lite)
      : st((sql.prepare << std::string("SELECT 1 FROM dossier_components c JOIN dossiers d ON "
                                       "d.code = c.dossier_code WHERE c.attachment_sha256 = :s "
                                       "AND ") +
                               (lite ? "instr(d.agency_ids, :n)" : "strpos(d.agency_ids, :n)") +
                               " > 0 LIMIT 1",
            soci::use(sha, "s"), soci::use(needle, "n"), soci::into(one))) {}
};

}  // namespace

engine::Result<engine::DossierCounts> SqlDossierStatistics::counts(engine::Instant now) {
  engine::DossierCounts counts;
  long long at = now.time_since_epoch().count();
  return detail::guarded("counting dossiers", [&]() -> engine::Result<engine::DossierCounts> {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    // Scalar intos (not soci::row) so that SQLite's untyped COUNT(*) reads as a number.
    int status = 0;
    long long count = 0;
    soci::statement st =
        (sql.prepare << "SELECT status, COUNT(*) FROM dossiers GROUP BY status ORDER BY status",
         soci::into(status), soci::into(count));
    st.execute();
    while (st.fetch()) counts.by_status[status] = count;
    long long overdue = 0;
    // Status 5 (supplement requested): the clock is stopped while the applicant completes it.
    sql << "SELECT COUNT(*) FROM dossiers WHERE finished_at IS NULL AND due_at IS NOT NULL AND "
           "due_at < :n AND status <> 5",
        soci::use(at), soci::into(overdue);
    counts.overdue = overdue;
    return counts;
  });
}

engine::Result<std::optional<engine::DossierSummary>> SqlDossierStatistics::summary(
    std::string_view code) {
  engine::DossierSummary out;
  return detail::guarded("reading a dossier summary",
                         [&]() -> engine::Result<std::optional<engine::DossierSummary>> {
                           Lease lease(*db_);
                           auto statement = lease.statements().use<SelectSummary>(lease.sql());
                           SelectSummary& q = *statement;
                           q.code.assign(code);
                           if (!q.st.execute(true)) return std::nullopt;
                           out.code = q.code;
                           out.state = q.state;
                           out.status = q.status;
                           if (q.due_ind != soci::i_null)
                             out.due = engine::Instant{std::chrono::seconds{q.due}};
                           return out;
                         });
}

engine::Result<bool> SqlDossierStatistics::cites_attachment(std::string_view sha256,
                                                            std::string_view agency_id) {
  return detail::guarded(
      "looking up the dossiers citing an attachment", [&]() -> engine::Result<bool> {
        Lease lease(*db_);
        const bool lite = db_->backend() == Backend::kSqlite3;
        auto statement = lease.statements().use<SelectCitation>(lease.sql(), lite ? 1 : 0);
        SelectCitation& q = *statement;
        q.sha.assign(sha256);
        // agency_ids is "key=id\n" per agency: "=id\n" matches one id exactly; "" matches any.
        q.needle.clear();
        if (!agency_id.empty()) {
          // Appended piecewise: GCC 12 misreports "lit" + std::string&& as overlapping
          // (-Wrestrict).
          q.needle.append("=").append(agency_id).append("\n");
        }
        return q.st.execute(true);
      });
}

}  // namespace motcua::store
