#pragma once
// The engine's TrackingSecrets (engine/ports/tracking_secrets.hpp) on SQLite or PostgreSQL: reads
// table tracking_secrets, which the dossier store's units of work write
// (DossierWrite::tracking_secret_sha256). Each call is one read on a pooled connection.
// Thread-safe.
#include <memory>

#include "engine/ports/tracking_secrets.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlTrackingSecrets final : public engine::TrackingSecrets {
 public:
  // The schema must be migrated (migrations.hpp).
  explicit SqlTrackingSecrets(std::shared_ptr<Database> db) : db_(std::move(db)) {}
  engine::Result<std::optional<std::string>> find(std::string_view dossier_code) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
