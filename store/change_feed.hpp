#pragma once
// ChangeFeed: tells a process which dossiers changed, so that it can keep views of them in memory
// (the API's public tracking cache) and still never serve one that a committed change made stale
// for longer than the feed's delay.
//
//   - Changes committed by this process: reported on the committing thread right after commit
//     (Database::observe_commits), so a client that saw its action acknowledged never reads the
//     state from before it.
//   - Changes committed by other processes:
//       PostgreSQL: a dedicated connection LISTENs on motcua_dossier_changed, which migration 0006
//       fills from a trigger on the dossiers table (any writer, any process); each notification
//       reports its dossier as soon as it arrives. Every `heartbeat` the connection notifies
//       itself and must hear it back within `heartbeat`, with TCP keepalives on: a connection
//       gone silent or not really listening counts as failed.
//       SQLite: a dedicated read-only connection polls PRAGMA data_version every `poll`; a change
//       by any other connection resets everything (SQLite does not say which rows changed).
//   - When changes may have been missed (the listening connection failed, the feed starts or
//     stops) `reset(false)` says views must not be served; once listening again, `reset(true)`
//     says everything held before is stale and views may be kept from now on.
// Handlers run on the feed's thread or a committing thread, concurrently: they must be thread-safe
// and must not block. The destructor stops the thread and calls reset(false).
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <thread>

#include "engine/error.hpp"
#include "store/database.hpp"

namespace motcua::store {

struct ChangeHandlers {
  std::function<void(std::string_view code)> changed;
  std::function<void(bool live)> reset;
};

class ChangeFeed {
 public:
  // Starts the feed's thread; the first reset(true) comes once it listens. Errors: kInvalidInput
  // when a handler is missing.
  static engine::Result<std::unique_ptr<ChangeFeed>> start(
      std::shared_ptr<Database> db, ChangeHandlers handlers,
      std::chrono::milliseconds poll = std::chrono::milliseconds(10),
      std::chrono::milliseconds heartbeat = std::chrono::milliseconds(5000));
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // True while changes are being delivered (for /readyz and tests).
  bool live() const noexcept { return live_.load(); }

 private:
  ChangeFeed(std::shared_ptr<Database> db, ChangeHandlers handlers, std::chrono::milliseconds poll,
             std::chrono::milliseconds heartbeat);
  void run();
  void listen_postgresql();
  void poll_sqlite();
  void set_live(bool live);
  // Sleeps for `d` or until stopping; false when stopping.
  bool pause(std::chrono::milliseconds d) const;

  std::shared_ptr<Database> db_;
  ChangeHandlers handlers_;
  std::chrono::milliseconds poll_;
  std::chrono::milliseconds heartbeat_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> live_{false};
  std::thread thread_;
};

}  // namespace motcua::store
