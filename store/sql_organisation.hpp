#pragma once
// The engine's Organisation (engine/ports/organisation.hpp) on SQLite or PostgreSQL: the agencies
// table's key -> id map, read once and kept in memory until this process changes the agencies
// (SqlIdentityStore::put_agency bumps Database::organisation_epoch()). Another server's change is
// seen after `max_age` at the latest. When several agencies name one key, the lowest id wins.
// Thread-safe.
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "engine/clock.hpp"
#include "engine/ports/organisation.hpp"
#include "store/database.hpp"

namespace motcua::store {

class SqlOrganisation final : public engine::Organisation {
 public:
  // The schema must be migrated (migrations.hpp). `clock` times the cache's age.
  SqlOrganisation(std::shared_ptr<Database> db, std::shared_ptr<const engine::Clock> clock,
                  std::chrono::seconds max_age = std::chrono::seconds{60})
      : db_(std::move(db)), clock_(std::move(clock)), max_age_(max_age) {}
  engine::Result<std::map<std::string, std::string>> agency_ids() override;

 private:
  std::shared_ptr<Database> db_;
  std::shared_ptr<const engine::Clock> clock_;
  std::chrono::seconds max_age_;
  std::mutex mutex_;
  bool cached_ = false;
  std::uint64_t epoch_ = 0;
  engine::Instant read_at_{};
  std::map<std::string, std::string> ids_;
};

}  // namespace motcua::store
