#pragma once
// The engine's DossierStatistics (engine/dossier_statistics.hpp) on the dossiers table.
// Thread-safe.
#include <memory>

#include "engine/dossier_statistics.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlDossierStatistics final : public engine::DossierStatistics {
 public:
  explicit SqlDossierStatistics(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Result<engine::DossierCounts> counts(engine::Instant now) override;
  engine::Result<std::optional<engine::DossierSummary>> summary(std::string_view code) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
