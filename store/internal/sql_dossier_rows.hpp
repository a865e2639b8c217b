#pragma once
// Private to store/: the statements on dossier rows shared by SqlDossierStore's units of work and
// SqlDossierQueries, each run on the caller's session inside the caller's transaction. They throw
// SOCI exceptions (the callers map them with detail::sql_error) and return Error for everything
// else.
#include <soci/soci.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/ports/records.hpp"
#include "engine/work_item.hpp"
#include "store/database_url.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store::detail {

// Readers run prepared statements from `statements`, the cache of the connection `sql` belongs to.
engine::Result<std::optional<engine::StoredDossier>> load_dossier(soci::session& sql,
                                                                  StatementCache& statements,
                                                                  const std::string& code);
std::vector<engine::ComponentRecord> read_components(soci::session& sql, StatementCache& statements,
                                                     const std::string& code);
std::map<std::string, std::string> read_form(soci::session& sql, const std::string& code);
bool dossier_exists(soci::session& sql, const std::string& code);

// The writers below run prepared statements from `statements` (the cache of the connection `sql`
// belongs to). `created`: the dossier was created in the current transaction, so it has no rows
// yet to replace and none are looked for.
//
// false when the dossier does not exist (nothing written).
bool write_form(soci::session& sql, StatementCache& statements, const std::string& code,
                const std::map<std::string, std::string>& values, bool created);
void write_work_items(soci::session& sql, StatementCache& statements, const std::string& code,
                      const std::vector<engine::WorkItem>& items, bool created);
std::vector<engine::WorkItem> claim_work_items(soci::session& sql, Backend backend,
                                               engine::Instant due_by, engine::DeadlineMark below,
                                               std::size_t limit);
// false when no such item.
bool set_mark(soci::session& sql, const std::string& code, const std::string& branch,
              engine::DeadlineMark mark);
std::vector<engine::WorkQueueEntry> select_work_queue(soci::session& sql,
                                                      const std::string& agency_id,
                                                      const std::string& role, std::size_t limit,
                                                      std::size_t offset);

}  // namespace motcua::store::detail
