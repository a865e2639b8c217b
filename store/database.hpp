#pragma once
// Database: the process's one pool of connections to the SQLite file or PostgreSQL database named
// by a DatabaseUrl. app/ opens it once and hands it (shared) to the store adapters. Thread-safe:
// each unit of work leases its own connection and gives it back when done; a lease waits when all
// connections are busy.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "store/database_url.hpp"

namespace motcua::store {

class Database {
 public:
  // Opens `pool_size` connections (>= 1). For SQLite, creates the file and its parent directory
  // when missing, and turns on WAL, foreign keys and a busy timeout on each connection. Does not
  // touch the schema (see migrations.hpp). Errors: kIo when the database cannot be opened (the
  // message names the redacted URL, the detail carries the driver text); kInvalidInput when
  // pool_size is 0.
  static engine::Result<std::shared_ptr<Database>> open(const DatabaseUrl& url,
                                                        std::size_t pool_size = 4);

  // As open(), but never creates anything: for SQLite the file must exist already. For commands
  // that only read (audit verify). Errors: kNotFound "no such database: <url>" when the SQLite
  // file is missing; otherwise those of open().
  static engine::Result<std::shared_ptr<Database>> open_existing(const DatabaseUrl& url,
                                                                 std::size_t pool_size = 1);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const noexcept { return url_.backend; }
  const DatabaseUrl& url() const noexcept { return url_; }

  struct Pool;  // private to store/ (soci_support.hpp)
  Pool& pool() noexcept { return *pool_; }

  // Dossiers changed by this process: the store's units of work report the codes they changed
  // after they commit; one observer (a ChangeFeed, change_feed.hpp) may listen. Thread-safe; the
  // observer runs on the committing thread and must not block.
  using CommitObserver = std::function<void(const std::vector<std::string>& codes)>;
  void observe_commits(CommitObserver observer);  // an empty function stops observing
  void dossiers_committed(const std::vector<std::string>& codes) const;

  // The organisation's epoch: bumped by this process whenever it changes the agencies, so caches
  // of them (SqlOrganisation) know to read again. Thread-safe.
  void organisation_changed() noexcept { organisation_epoch_.fetch_add(1); }
  std::uint64_t organisation_epoch() const noexcept { return organisation_epoch_.load(); }

 private:
  Database(DatabaseUrl url, std::unique_ptr<Pool> pool);
  DatabaseUrl url_;
  std::unique_ptr<Pool> pool_;
  mutable std::mutex observer_mutex_;
  CommitObserver observer_;
  std::atomic<std::uint64_t> organisation_epoch_{0};
};

}  // namespace motcua::store
