#pragma once
// The engine's DossierStatistics (engine/dossier_statistics.hpp) on the dossiers table. summary()
// and cites_attachment() run one statement prepared once per pooled connection, outside a
// transaction (a single SELECT reads a consistent snapshot on its own): one round trip on
// PostgreSQL. Thread-safe.
#include <memory>

#include "engine/dossier_statistics.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlDossierStatistics final : public engine::DossierStatistics {
 public:
  explicit SqlDossierStatistics(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Result<engine::DossierCounts> counts(engine::Instant now) override;
  engine::Result<std::optional<engine::DossierSummary>> summary(std::string_view code) override;
  engine::Result<bool> cites_attachment(std::string_view sha256,
                                        std::string_view agency_id) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
