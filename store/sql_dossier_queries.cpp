#include "store/sql_dossier_queries.hpp"

#include "store/internal/soci_support.hpp"
#include "store/internal/sql_documents.hpp"
#include "store/internal/sql_dossier_rows.hpp"

namespace motcua::store {

using engine::ErrorCode;
using engine::fail;

namespace {

// Runs `body(session, statements)` in a read-only transaction; SOCI exceptions become Errors
// naming `what`.
template <class F>
auto read(Database& db, const std::string& what, F body)
    -> decltype(body(std::declval<soci::session&>(), std::declval<detail::StatementCache&>())) {
  auto tx = detail::Transaction::begin(db, /*write=*/false);
  if (!tx) return tl::unexpected(tx.error());
  try {
    return body((*tx)->sql(), (*tx)->statements());
  } catch (const std::exception& e) {
    return tl::unexpected(detail::sql_error(e, what));
  }
}

}  // namespace

engine::Result<std::optional<engine::StoredDossier>> SqlDossierQueries::load(std::string_view c) {
  const std::string code(c);
  return read(*db_, "loading dossier " + code,
              [&](soci::session& sql, detail::StatementCache& statements) {
                return detail::load_dossier(sql, statements, code);
              });
}

engine::Result<std::vector<engine::ComponentRecord>> SqlDossierQueries::components(
    std::string_view c) {
  const std::string code(c);
  return read(*db_, "reading components of " + code,
              [&](soci::session& sql, detail::StatementCache& statements)
                  -> engine::Result<std::vector<engine::ComponentRecord>> {
                return detail::read_components(sql, statements, code);
              });
}

engine::Result<std::map<std::string, std::string>> SqlDossierQueries::form(std::string_view c) {
  const std::string code(c);
  return read(*db_, "reading the form of " + code,
              [&](soci::session& sql,
                  detail::StatementCache&) -> engine::Result<std::map<std::string, std::string>> {
                return detail::read_form(sql, code);
              });
}

engine::Result<std::vector<engine::DocumentRecord>> SqlDossierQueries::documents(
    std::string_view c) {
  const std::string code(c);
  return read(*db_, "reading the documents of " + code,
              [&](soci::session& sql,
                  detail::StatementCache&) -> engine::Result<std::vector<engine::DocumentRecord>> {
                return detail::read_documents(sql, code);
              });
}

engine::Result<std::optional<engine::StoredDocument>> SqlDossierQueries::document(
    std::string_view c, std::string_view i) {
  const std::string code(c), id(i);
  const Backend backend = db_->backend();
  return read(*db_, "reading document " + id + " of " + code,
              [&](soci::session& sql, detail::StatementCache&) {
                return detail::read_document(sql, backend, code, id);
              });
}

engine::Result<std::vector<engine::WorkQueueEntry>> SqlDossierQueries::work_queue(
    std::string_view agency_id, std::string_view role, std::size_t limit, std::size_t offset) {
  if (agency_id.empty() || role.empty())
    return fail(ErrorCode::kInvalidInput, "a work queue needs an agency id and a role");
  if (limit == 0 || limit > 1000)
    return fail(ErrorCode::kInvalidInput, "a work queue page holds 1 to 1000 entries");
  const std::string agency(agency_id), r(role);
  return read(*db_, "reading the work queue of " + agency,
              [&](soci::session& sql,
                  detail::StatementCache&) -> engine::Result<std::vector<engine::WorkQueueEntry>> {
                return detail::select_work_queue(sql, agency, r, limit, offset);
              });
}

}  // namespace motcua::store
