#pragma once
// The engine's DossierStore on SQLite or PostgreSQL (engine/ports/dossier_store.hpp and
// unit_of_work.hpp for the contract). Each UnitOfWork is one database transaction on a connection
// leased from the Database's pool for the UnitOfWork's lifetime. Dossier codes come from
// dossier_code_sequences with an upsert that returns the new value inside the caller's transaction:
// PostgreSQL's row lock (SQLite's write lock) serialises concurrent submissions for the same agency
// and day until that transaction ends, and a rollback returns the number, so codes are unique and
// gap-free. Thread-safe.
#include <memory>

#include "engine/ports/dossier_store.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlDossierStore final : public engine::DossierStore {
 public:
  // The schema must be migrated (migrations.hpp).
  explicit SqlDossierStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Result<std::unique_ptr<engine::UnitOfWork>> begin() override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
