#include "store/readiness.hpp"

#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"
#include "store/migrations.hpp"

namespace motcua::store {

Readiness::Readiness(std::shared_ptr<Database> db, std::chrono::milliseconds interval)
    : db_(std::move(db)), interval_(interval) {}

engine::Status Readiness::check() {
  auto fresh = [this] { return probed_ && std::chrono::steady_clock::now() - last_ < interval_; };
  {
    std::lock_guard state(state_mutex_);
    if (fresh()) return outcome_;
  }
  std::unique_lock probing(probe_mutex_, std::try_to_lock);
  if (!probing.owns_lock()) {
    // Another caller is probing: the last outcome answers, or this one's once it is known.
    {
      std::lock_guard state(state_mutex_);
      if (probed_) return outcome_;
    }
    probing.lock();
  }
  {
    std::lock_guard state(state_mutex_);
    if (fresh()) return outcome_;
  }
  engine::Status outcome = probe();
  std::lock_guard state(state_mutex_);
  outcome_ = outcome;
  probed_ = true;
  last_ = std::chrono::steady_clock::now();
  return outcome_;
}

engine::Status Readiness::probe() {
  if (auto schema = check_schema(*db_); !schema) return schema;
  auto tx = detail::Transaction::begin(*db_, /*write=*/true);
  if (!tx) return tl::unexpected(tx.error());
  auto wrote = detail::guarded("writing the readiness probe", [&]() -> engine::Status {
    soci::session& sql = (*tx)->sql();
    if (db_->backend() == Backend::kPostgresql) {
      std::string read_only;
      sql << "SHOW transaction_read_only", soci::into(read_only);
      if (read_only == "on")
        return engine::fail(engine::ErrorCode::kIo, "the database accepts no writes (read only)");
      long long xid = 0;
      sql << "SELECT txid_current()", soci::into(xid);
    } else {
      // Rewriting the header's user_version (unused by motcua) with its own value commits a page.
      int version = 0;
      sql << "PRAGMA user_version", soci::into(version);
      sql << "PRAGMA user_version = " + std::to_string(version);
    }
    return {};
  });
  if (!wrote) return wrote;
  return (*tx)->commit();
}

}  // namespace motcua::store
