#pragma once
// Private to store/: the statements behind UnitOfWork::store_document / documents and
// DossierQueries::documents / document (engine/ports/dossier_queries.hpp), on the caller's
// transaction. SOCI exceptions propagate to the caller, which turns them into Errors.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ports/records.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace motcua::store::detail {

// Checks the record, stores the bytes as an attachment (kept if already there) and inserts the row.
engine::Status insert_document(soci::session& sql, Backend backend,
                               const engine::DocumentRecord& record, std::string_view content);

std::vector<engine::DocumentRecord> read_documents(soci::session& sql, const std::string& code);

engine::Result<std::optional<engine::StoredDocument>> read_document(soci::session& sql,
                                                                    Backend backend,
                                                                    const std::string& code,
                                                                    const std::string& id);

}  // namespace motcua::store::detail
