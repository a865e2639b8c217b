#pragma once
// The engine's DossierQueries on SQLite or PostgreSQL (engine/ports/dossier_queries.hpp). Each call
// is one read-only transaction (a snapshot; no write lock) on a pooled connection. Thread-safe.
#include <memory>

#include "engine/ports/dossier_queries.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlDossierQueries final : public engine::DossierQueries {
 public:
  // The schema must be migrated (migrations.hpp).
  explicit SqlDossierQueries(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Result<std::optional<engine::StoredDossier>> load(std::string_view code) override;
  engine::Result<std::optional<engine::DossierView>> view(std::string_view code) override;
  engine::Result<std::vector<engine::DocumentRecord>> documents(std::string_view code) override;
  engine::Result<std::optional<engine::StoredDocument>> document(std::string_view code,
                                                                 std::string_view id) override;
  engine::Result<std::vector<engine::WorkQueueEntry>> work_queue(std::string_view agency_id,
                                                                 std::string_view role,
                                                                 std::size_t limit,
                                                                 std::size_t offset) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
