#pragma once
// Readiness: whether this process can serve writes now -- the schema is the one this binary knows
// (check_schema) and a write commits: on PostgreSQL a transaction that takes a transaction id
// commits (refused by a read-only server, a standby, a full WAL disk or a lost connection), on
// SQLite a header write commits (refused by a read-only file or a full disk). /readyz answers
// from it; /healthz says only that the process runs.
//
// The probe runs at most once per `interval`, whatever the number of callers, and one at a time:
// the others get the last result (the first callers wait for the first probe), so /readyz cannot
// be used to load the database. A probe waits for a connection as long as a Lease does.
// Thread-safe.
#include <chrono>
#include <memory>
#include <mutex>

#include "engine/error.hpp"
#include "store/database.hpp"

namespace motcua::store {

class Readiness {
 public:
  explicit Readiness(std::shared_ptr<Database> db,
                     std::chrono::milliseconds interval = std::chrono::milliseconds(1000));

  // The last probe's outcome, probing first when the last is older than the interval. Errors:
  // those of check_schema (kConflict, kInvalidInput) and of the write (kIo).
  engine::Status check();

 private:
  engine::Status probe();
  std::shared_ptr<Database> db_;
  std::chrono::milliseconds interval_;
  std::mutex probe_mutex_;  // one probe at a time
  std::mutex state_mutex_;  // guards what follows
  bool probed_ = false;
  std::chrono::steady_clock::time_point last_{};
  engine::Status outcome_;
};

}  // namespace motcua::store
