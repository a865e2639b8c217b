#include "store/sql_dossier_statistics.hpp"

#include "store/soci_support.hpp"

namespace motcua::store {

engine::Result<engine::DossierCounts> SqlDossierStatistics::counts(engine::Instant now) {
  engine::DossierCounts counts;
  long long at = now.time_since_epoch().count();
  try {
    soci::session sql(db_->pool().connections);
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
  } catch (const std::exception& e) {
    return tl::unexpected(detail::sql_error(e, "counting dossiers"));
  }
  return counts;
}

engine::Result<std::optional<engine::DossierSummary>> SqlDossierStatistics::summary(
    std::string_view code_view) {
  engine::DossierSummary out;
  out.code = std::string(code_view);
  long long due = 0;
  soci::indicator due_ind = soci::i_null;
  try {
    soci::session sql(db_->pool().connections);
    sql << "SELECT state, status, due_at FROM dossiers WHERE code = :c", soci::use(out.code),
        soci::into(out.state), soci::into(out.status), soci::into(due, due_ind);
    if (!sql.got_data()) return std::nullopt;
  } catch (const std::exception& e) {
    return tl::unexpected(detail::sql_error(e, "reading a dossier summary"));
  }
  if (due_ind != soci::i_null) out.due = engine::Instant{std::chrono::seconds{due}};
  return out;
}

}  // namespace motcua::store
