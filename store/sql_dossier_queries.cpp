#include "store/sql_dossier_queries.hpp"

#include "store/internal/guarded.hpp"
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
  return detail::guarded(what, [&] { return body((*tx)->sql(), (*tx)->statements()); });
}

}  // namespace

engine::Result<std::optional<engine::StoredDossier>> SqlDossierQueries::load(std::string_view c) {
  const std::string code(c);
  return read(*db_, "loading dossier " + code,
              [&](soci::session& sql, detail::StatementCache& statements) {
                return detail::load_dossier(sql, statements, code);
              });
}

engine::Result<std::optional<engine::DossierView>> SqlDossierQueries::view(std::string_view c) {
  const std::string code(c);
  return read(*db_, "reading dossier " + code,
              [&](soci::session& sql, detail::StatementCache& statements)
                  -> engine::Result<std::optional<engine::DossierView>> {
                auto stored = detail::load_dossier(sql, statements, code);
                if (!stored) return tl::unexpected(stored.error());
                if (!*stored) return std::nullopt;
                engine::DossierView view;
                view.stored = std::move(**stored);
                view.components = detail::read_components(sql, statements, code);
                // The chained event is the record; the form table only serves dossiers whose
                // submitted event predates forms in events (format 1), which carry none.
                const std::vector<engine::Event>& events = view.stored.events;
                if (!events.empty() && events.front().kind == engine::EventKind::kSubmitted &&
                    !events.front().form.empty())
                  view.form = events.front().form;
                else
                  view.form = detail::read_form(sql, code);
                view.documents = detail::read_documents(sql, code);
                return view;
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
