#pragma once
// The engine's ProcedureVersionRepository on SQLite or PostgreSQL
// (engine/ports/procedure_versions.hpp). Thread-safe: each call leases a connection.
#include <memory>
#include <optional>

#include "engine/ports/procedure_versions.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlProcedureVersions final : public engine::ProcedureVersionRepository {
 public:
  explicit SqlProcedureVersions(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Status save(const engine::ProcedureVersionRecord& record) override;
  engine::Result<engine::ProcedureVersionRecord> find(std::string_view code, int version) override;
  engine::Result<engine::ProcedureVersionRecord> latest(std::string_view code) override;

 private:
  engine::Result<engine::ProcedureVersionRecord> select(std::string_view code,
                                                        std::optional<int> version);
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
