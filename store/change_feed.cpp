#include "store/change_feed.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <sqlite3.h>

#include <optional>

#include "base/c_handle.hpp"

namespace motcua::store {
namespace {

using base::CHandle;
constexpr std::chrono::milliseconds kRetry{1000};

void finish_pg(PGconn* c) noexcept { PQfinish(c); }
void clear_result(PGresult* r) noexcept { PQclear(r); }
void free_notify(PGnotify* n) noexcept { PQfreemem(n); }
void close_sqlite(sqlite3* db) noexcept { sqlite3_close_v2(db); }
void finalize(sqlite3_stmt* st) noexcept { sqlite3_finalize(st); }

// PRAGMA data_version on `st`, or -1 on failure. The statement is reset at once: a stepped
// statement would keep a read transaction open, and in WAL mode an open reader stops checkpoints.
long long data_version(sqlite3_stmt* st) {
  const long long version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
  sqlite3_reset(st);
  return version;
}

}  // namespace

engine::Result<std::unique_ptr<ChangeFeed>> ChangeFeed::start(std::shared_ptr<Database> db,
                                                              ChangeHandlers handlers,
                                                              std::chrono::milliseconds poll,
                                                              std::chrono::milliseconds heartbeat) {
  if (!db || !handlers.changed || !handlers.reset)
    return engine::fail(engine::ErrorCode::kInvalidInput,
                        "a change feed needs a database and handlers");
  std::unique_ptr<ChangeFeed> feed(
      new ChangeFeed(std::move(db), std::move(handlers), poll, heartbeat));
  feed->db_->observe_commits([changed = feed->handlers_.changed](const auto& codes) {
    for (const std::string& code : codes) changed(code);
  });
  feed->thread_ = std::thread([f = feed.get()] { f->run(); });
  return feed;
}

ChangeFeed::ChangeFeed(std::shared_ptr<Database> db, ChangeHandlers handlers,
                       std::chrono::milliseconds poll, std::chrono::milliseconds heartbeat)
    : db_(std::move(db)), handlers_(std::move(handlers)), poll_(poll), heartbeat_(heartbeat) {}

ChangeFeed::~ChangeFeed() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  db_->observe_commits({});
  set_live(false);
}

void ChangeFeed::set_live(bool live) {
  live_ = live;
  handlers_.reset(live);
}

bool ChangeFeed::pause(std::chrono::milliseconds d) const {
  const auto until = std::chrono::steady_clock::now() + d;
  while (!stop_) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= until) return true;
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
  return false;
}

void ChangeFeed::run() {
  while (!stop_) {
    if (db_->backend() == Backend::kPostgresql) {
      listen_postgresql();
    } else {
      poll_sqlite();
    }
    set_live(false);  // whatever ended the session, changes may be missed until the next one
    if (!pause(kRetry)) return;
  }
}

void ChangeFeed::listen_postgresql() {
  // A bounded connect, and TCP keepalives, so that a peer gone silent is noticed.
  const char* keys[] = {"dbname",
                        "connect_timeout",
                        "keepalives",
                        "keepalives_idle",
                        "keepalives_interval",
                        "keepalives_count",
                        nullptr};
  const char* values[] = {db_->url().conninfo.c_str(), "5", "1", "10", "5", "3", nullptr};
  CHandle<PGconn, finish_pg> conn(PQconnectdbParams(keys, values, 1));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) return;
  CHandle<PGresult, clear_result> listening(PQexec(conn.get(), "LISTEN motcua_dossier_changed"));
  if (!listening || PQresultStatus(listening.get()) != PGRES_COMMAND_OK) return;
  set_live(true);  // listening: what was kept before may be stale, what is read now is not
  const int fd = PQsocket(conn.get());
  // Heartbeat: every `heartbeat_` the connection notifies itself (empty payload) and must hear it
  // back within `heartbeat_`; else it is dead or not really listening (a pooler in transaction
  // mode, a half-open socket), and changes may be missed.
  using Clock = std::chrono::steady_clock;
  auto last_heard = Clock::now();
  std::optional<Clock::time_point> sent;
  while (!stop_) {
    const auto now = Clock::now();
    if (!sent && now - last_heard >= heartbeat_) {
      if (PQsendQuery(conn.get(), "NOTIFY motcua_dossier_changed, ''") != 1) return;
      sent = now;
    }
    if (sent && now - *sent > heartbeat_) return;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, 50);
    if (ready < 0) return;
    if (ready > 0 && PQconsumeInput(conn.get()) != 1) return;  // the connection failed
    while (PQisBusy(conn.get()) == 0) {
      CHandle<PGresult, clear_result> result(PQgetResult(conn.get()));
      if (!result) break;
      if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) return;
    }
    while (CHandle<PGnotify, free_notify> n{PQnotifies(conn.get())}) {
      if (n->extra == nullptr || n->extra[0] == '\0') {
        sent.reset();
        last_heard = Clock::now();
      } else {
        handlers_.changed(n->extra);
      }
    }
    if (PQstatus(conn.get()) != CONNECTION_OK) return;
  }
}

void ChangeFeed::poll_sqlite() {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(db_->url().sqlite_path.c_str(), &raw,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  CHandle<sqlite3, close_sqlite> conn(raw);
  if (rc != SQLITE_OK) return;
  sqlite3_stmt* st_raw = nullptr;
  if (sqlite3_prepare_v2(conn.get(), "PRAGMA data_version", -1, &st_raw, nullptr) != SQLITE_OK)
    return;
  CHandle<sqlite3_stmt, finalize> st(st_raw);
  long long seen = data_version(st.get());
  if (seen < 0) return;
  set_live(true);
  while (pause(poll_)) {
    const long long now = data_version(st.get());
    if (now < 0) return;
    if (now != seen) {
      seen = now;
      handlers_.reset(true);  // some other connection committed: anything may have changed
    }
  }
}

}  // namespace motcua::store
