#pragma once
// The engine's IdentityRepository (engine/identity.hpp) on SQLite or PostgreSQL: tables agencies,
// agency_roles, officers, officer_roles and officer_tokens (migration 0003). put_agency() tells the
// Database that the organisation changed (SqlOrganisation drops its cached map).
// Each call is one transaction on a connection leased from the pool. Thread-safe.
#include <memory>

#include "engine/identity.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlIdentityStore final : public engine::IdentityRepository {
 public:
  // The schema must be migrated (migrations.hpp).
  explicit SqlIdentityStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

  engine::Status put_agency(const engine::AgencyRecord& agency) override;
  engine::Result<std::vector<engine::AgencyRecord>> agencies() override;
  engine::Result<std::optional<engine::AgencyRecord>> find_agency(std::string_view id) override;
  engine::Status add_role(const engine::AgencyRole& role) override;
  engine::Status remove_role(const engine::AgencyRole& role) override;
  engine::Result<std::vector<engine::AgencyRole>> roles(std::string_view agency_id) override;
  engine::Status add_officer(const engine::OfficerRecord& officer) override;
  engine::Status update_officer(const engine::OfficerRecord& officer) override;
  engine::Result<std::optional<engine::OfficerRecord>> find_officer(
      std::string_view login) override;
  engine::Result<std::vector<engine::OfficerRecord>> officers(std::string_view agency_id) override;
  engine::Result<int> record_login_failure(std::string_view login, engine::Instant now,
                                           int lock_after, std::chrono::seconds lock_for) override;
  engine::Status reset_login_failures(std::string_view login) override;
  engine::Status add_token(const engine::TokenRecord& token) override;
  engine::Result<std::optional<engine::TokenRecord>> find_token(
      std::string_view token_hash) override;
  engine::Status revoke_token(std::string_view token_hash, engine::Instant now) override;
  engine::Status revoke_tokens_of(std::string_view login, engine::Instant now) override;

 private:
  std::shared_ptr<Database> db_;
};

}  // namespace motcua::store
