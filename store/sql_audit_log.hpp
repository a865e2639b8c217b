#pragma once
// The engine's AuditLog on SQLite or PostgreSQL (engine/ports/audit_log.hpp): reads the stored
// chain rows exactly as they are, for `motcua audit verify`. Thread-safe.
#include <memory>

#include "engine/ports/audit_log.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlAuditLog final : public engine::AuditLog {
 public:
  explicit SqlAuditLog(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Result<std::vector<std::string>> dossier_codes() override;
  engine::Result<std::vector<engine::ChainRow>> rows(std::string_view code) override;
  engine::Result<std::optional<engine::ChainHead>> head(std::string_view code) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
