// ChangeFeed on both backends: changes this process commits are reported on the committing thread
// before commit() returns; changes another connection commits arrive through LISTEN/NOTIFY
// (PostgreSQL, naming the dossier) or a data_version poll (SQLite, as a reset).
#include "store/change_feed.hpp"

#include <algorithm>
#include <mutex>
#include <thread>

#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store::testing {
namespace {

struct Recorder {
  mutable std::mutex mutex;
  std::vector<std::string> changed;
  std::vector<bool> resets;

  ChangeHandlers handlers() {
    return {[this](std::string_view code) {
              std::lock_guard lock(mutex);
              changed.emplace_back(code);
            },
            [this](bool live) {
              std::lock_guard lock(mutex);
              resets.push_back(live);
            }};
  }
  long count(const std::string& code) const {
    std::lock_guard lock(mutex);
    return std::count(changed.begin(), changed.end(), code);
  }
  std::size_t live_resets() const {
    std::lock_guard lock(mutex);
    return std::count(resets.begin(), resets.end(), true);
  }
};

// Waits up to 10 s for `done`.
template <class F>
bool eventually(F done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

}  // namespace

TEST_CASE("The change feed reports this process's commits at once and other writers' soon") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    const std::string before = submit_ok(w, good_submission(w)).dossier.code;
    Recorder seen;
    // PostgreSQL: a heartbeat every 200 ms (the server's default is 5 s).
    auto feed = ChangeFeed::start(w.db, seen.handlers(), std::chrono::milliseconds(10),
                                  std::chrono::milliseconds(200));
    REQUIRE(feed);
    REQUIRE(eventually([&] { return (*feed)->live(); }));
    CHECK(seen.live_resets() == 1);
    // Heartbeats come back: the feed stays live and reports nothing.
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    CHECK((*feed)->live());
    CHECK(seen.live_resets() == 1);
    CHECK(seen.count("") == 0);

    // Another writer (another process, an operator's SQL) changes a dossier.
    auto other = Database::open(*parse_database_url(url), 1);
    REQUIRE(other);
    exec(**other, "UPDATE dossiers SET state = 'appraisal' WHERE code = '" + before + "'");
    if (w.db->backend() == Backend::kPostgresql) {
      CHECK(eventually([&] { return seen.count(before) == 1; }));
    } else {
      CHECK(eventually([&] { return seen.live_resets() == 2; }));
    }

    // This process's own commit is reported before submit() returns.
    const std::string mine = submit_ok(w, good_submission(w)).dossier.code;
    CHECK(seen.count(mine) >= 1);
    // On PostgreSQL the trigger's notification follows.
    const long expected = w.db->backend() == Backend::kPostgresql ? 2 : 1;
    CHECK(eventually([&] { return seen.count(mine) == expected; }));
    // A refused command commits nothing and reports nothing.
    const auto reported = seen.count(mine);
    engine::ActionRequest bad =
        action(w.service->view(mine)->stored.dossier, "approve", officer("desk"));
    CHECK_FALSE(w.service->act(bad));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(seen.count(mine) == reported);

    if (w.db->backend() == Backend::kPostgresql) {
      // The listening connection dies: nothing may be served until it listens again, and then
      // everything held before is stale.
      const auto lives = seen.live_resets();
      exec(**other,
           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
           "WHERE pid <> pg_backend_pid() AND query LIKE '%motcua_dossier_changed%'");
      CHECK(eventually([&] { return !(*feed)->live(); }));
      CHECK(eventually([&] { return (*feed)->live() && seen.live_resets() == lives + 1; }));
      exec(**other, "UPDATE dossiers SET state = 'decision' WHERE code = '" + before + "'");
      CHECK(eventually([&] { return seen.count(before) == 2; }));
    }

    feed->reset();
    std::lock_guard lock(seen.mutex);
    CHECK(seen.resets.back() == false);
  }
}

}  // namespace motcua::store::testing
