#include "store/database.hpp"

#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {

using engine::ErrorCode;
using engine::fail;

namespace {
// How long a writer waits for SQLite's write lock, in this process (Pool::sqlite_writer) and for
// the file lock held by another process (busy_timeout), before its command fails as a conflict.
constexpr std::chrono::milliseconds kSqliteBusyTimeout{30000};
// Reconnection backoff of a pool (Lease): the wait after the first failed attempt, doubled per
// further failure up to the bound, so that a restarted server is found within half a second.
constexpr std::chrono::milliseconds kFirstBackoff{100};
constexpr std::chrono::milliseconds kMaxBackoff{500};

// The pool's PostgreSQL connections: a bounded connect (a reconnection must not hold a request
// for long) and TCP keepalives (a peer gone silent is noticed), unless the URL chooses otherwise.
std::string with_connection_defaults(const std::string& uri) {
  static constexpr std::pair<std::string_view, std::string_view> kDefaults[] = {
      {"connect_timeout", "5"},
      {"keepalives", "1"},
      {"keepalives_idle", "10"},
      {"keepalives_interval", "5"},
      {"keepalives_count", "3"}};
  std::string out = uri;
  for (const auto& [key, value] : kDefaults) {
    const std::string pair = std::string(key) + "=";
    const auto query = out.find('?');
    if (query != std::string::npos &&
        (out.find("?" + pair) != std::string::npos || out.find("&" + pair) != std::string::npos))
      continue;
    out += (query == std::string::npos ? "?" : "&") + pair + std::string(value);
  }
  return out;
}

void configure_postgresql(soci::session& s) { s << "SET client_min_messages = warning"; }

// The libpq connection of a PostgreSQL session, or null when it has none (a failed reconnect).
PGconn* pg_connection(soci::session& s) {
  auto* backend = static_cast<soci::postgresql_session_backend*>(s.get_backend());
  return backend == nullptr ? nullptr : backend->conn_;
}

// What libpq knows without asking the server: a connection it saw fail is bad.
bool seems_connected(soci::session& s) {
  PGconn* conn = pg_connection(s);
  return conn != nullptr && PQstatus(conn) == CONNECTION_OK;
}

// One round trip (an empty query): a server that restarted or ended the backend answers nothing.
bool answers_ping(soci::session& s) {
  PGconn* conn = pg_connection(s);
  if (conn == nullptr) return false;
  PQclear(PQexec(conn, ""));
  return PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE;
}

}  // namespace

Database::Pool::Pool(std::size_t size)
    : connections(size), statements(size), checked(size, 0), returned(size) {}
Database::Pool::~Pool() = default;

Database::Database(DatabaseUrl url, std::unique_ptr<Pool> pool)
    : url_(std::move(url)), pool_(std::move(pool)) {}
Database::~Database() = default;

void Database::observe_commits(CommitObserver observer) {
  std::lock_guard lock(observer_mutex_);
  observer_ = std::move(observer);
}

void Database::dossiers_committed(const std::vector<std::string>& codes) const {
  if (codes.empty()) return;
  std::lock_guard lock(observer_mutex_);
  if (observer_) observer_(codes);
}

engine::Result<std::shared_ptr<Database>> Database::open(const DatabaseUrl& url,
                                                         std::size_t pool_size) {
  if (pool_size == 0)
    return fail(ErrorCode::kInvalidInput, "a database pool needs at least one connection");
  if (url.backend == Backend::kSqlite3) {
    const std::filesystem::path parent = std::filesystem::path(url.sqlite_path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return fail(ErrorCode::kIo, "cannot create the directory of " + url.redacted, ec.message());
  }
  auto pool = std::make_unique<Pool>(pool_size);
  try {
    for (std::size_t i = 0; i < pool_size; ++i) {
      soci::session& s = pool->connections.at(i);
      if (url.backend == Backend::kSqlite3) {
        std::string path;  // quotes doubled inside the quoted db="..." value
        for (char c : url.sqlite_path) {
          path += c;
          if (c == '"') path += '"';
        }
        s.open(soci::sqlite3, "db=\"" + path + "\"");
        std::string mode;
        s << "PRAGMA journal_mode = WAL", soci::into(mode);
        s << "PRAGMA busy_timeout = " + std::to_string(kSqliteBusyTimeout.count());
        s << "PRAGMA foreign_keys = ON";
      } else {
        s.open(soci::postgresql, with_connection_defaults(url.conninfo));
        configure_postgresql(s);
      }
    }
  } catch (const std::exception& e) {
    return fail(ErrorCode::kIo, "cannot open database " + url.redacted, e.what());
  }
  return std::shared_ptr<Database>(new Database(url, std::move(pool)));
}

engine::Result<std::shared_ptr<Database>> Database::open_existing(const DatabaseUrl& url,
                                                                  std::size_t pool_size) {
  if (url.backend == Backend::kSqlite3) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(url.sqlite_path, ec))
      return fail(ErrorCode::kNotFound, "no such database: " + url.redacted);
  }
  return open(url, pool_size);
}

namespace detail {

SqlFailure classify(const std::exception& e) {
  if (dynamic_cast<const ConnectionUnavailable*>(&e) != nullptr) return SqlFailure::kConnection;
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "23505") return SqlFailure::kUniqueViolation;
    if (state == "23503") return SqlFailure::kForeignKeyViolation;
    if (state == "40001" || state == "40P01" || state == "55P03") return SqlFailure::kConcurrency;
    // connection_exception, admin_shutdown, crash_shutdown, cannot_connect_now
    if (state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" || state == "57P03")
      return SqlFailure::kConnection;
  }
  if (const auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    const int code = lite->result() & 0xff;
    if (code == SQLITE_CONSTRAINT) {
      const std::string text = e.what();
      if (text.find("UNIQUE") != std::string::npos || text.find("PRIMARY KEY") != std::string::npos)
        return SqlFailure::kUniqueViolation;
      if (text.find("FOREIGN KEY") != std::string::npos) return SqlFailure::kForeignKeyViolation;
    }
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return SqlFailure::kConcurrency;
  }
  // libpq reports a connection that broke mid-statement without a SQLSTATE; SOCI a session whose
  // reconnection failed as "not connected".
  const std::string_view text = e.what();
  for (std::string_view lost : {"server closed the connection", "no connection to the server",
                                "Session is not connected", "could not receive data from server",
                                "could not send data to server", "terminating connection"}) {
    if (text.find(lost) != std::string_view::npos) return SqlFailure::kConnection;
  }
  return SqlFailure::kOther;
}

engine::Error sql_error(const std::exception& e, const std::string& what) {
  const SqlFailure kind = classify(e);
  if (kind == SqlFailure::kConcurrency)
    return engine::Error{ErrorCode::kConflict,
                         what + ": a concurrent transaction interfered; retry", e.what()};
  if (kind == SqlFailure::kConnection)
    return engine::Error{ErrorCode::kIo,
                         what + " failed: the database connection is lost or unavailable; retry",
                         e.what()};
  return engine::Error{ErrorCode::kIo, what + " failed", e.what()};
}

namespace {
std::size_t take(Database::Pool& pool, std::chrono::milliseconds wait) {
  std::size_t position = 0;
  if (!pool.connections.try_lease(position, static_cast<int>(wait.count())))
    throw ConnectionUnavailable("no database connection became free within " +
                                std::to_string(wait.count()) + " ms");
  return position;
}
}  // namespace

Lease::Lease(Database& db, std::chrono::milliseconds wait)
    : pool_(db.pool()),
      backend_(db.backend()),
      position_(take(pool_, wait)),
      sql_(pool_.connections.at(position_)) {
  try {
    check();
    finish_pending_statements(sql_, backend_);
  } catch (...) {
    pool_.connections.give_back(position_);
    throw;
  }
}

Lease::~Lease() {
  finish_pending_statements(sql_, backend_);  // an idle connection holds no snapshot
  // No transaction is open: a statement retired by a failure can be deallocated now.
  if (StatementCache* cache = pool_.statements[position_].get()) cache->release_retired();
  if (backend_ == Backend::kPostgresql && !seems_connected(sql_)) pool_.losses.fetch_add(1);
  pool_.returned[position_] = std::chrono::steady_clock::now();
  pool_.connections.give_back(position_);
}

StatementCache& Lease::statements() {
  // Only the thread holding the lease touches this connection's cache.
  std::unique_ptr<StatementCache>& cache = pool_.statements[position_];
  if (!cache) cache = std::make_unique<StatementCache>();
  return *cache;
}

void Lease::check() {
  if (backend_ != Backend::kPostgresql) return;
  bool lost = !seems_connected(sql_);
  if (!lost && (pool_.checked[position_] < pool_.losses.load() ||
                std::chrono::steady_clock::now() - pool_.returned[position_] > kIdlePing))
    lost = !answers_ping(sql_);
  if (lost) {
    pool_.losses.fetch_add(1);
    reconnect();
  }
  pool_.checked[position_] = pool_.losses.load();
}

bool Lease::recover() {
  if (backend_ != Backend::kPostgresql) return false;
  if (seems_connected(sql_) && answers_ping(sql_)) return false;
  pool_.losses.fetch_add(1);
  reconnect();
  pool_.checked[position_] = pool_.losses.load();
  return true;
}

void Lease::reconnect() {
  using Clock = std::chrono::steady_clock;
  {
    std::lock_guard lock(pool_.reconnect_mutex);
    if (pool_.last_attempt_failed && Clock::now() < pool_.next_attempt)
      throw ConnectionUnavailable(
          "the database connection is lost and the last attempt to reconnect failed; the next "
          "is not due yet");
  }
  // Its statements were prepared on the lost connection and refer to its backend, which
  // reconnect() replaces: they go first.
  pool_.statements[position_].reset();
  try {
    sql_.reconnect();
    configure_postgresql(sql_);
  } catch (const std::exception& e) {
    std::lock_guard lock(pool_.reconnect_mutex);
    pool_.backoff =
        pool_.last_attempt_failed ? std::min(pool_.backoff * 2, kMaxBackoff) : kFirstBackoff;
    pool_.last_attempt_failed = true;
    pool_.next_attempt = Clock::now() + pool_.backoff;
    throw ConnectionUnavailable(std::string("cannot reconnect to the database: ") + e.what());
  }
  std::lock_guard lock(pool_.reconnect_mutex);
  pool_.last_attempt_failed = false;
}

Transaction::Transaction(Database& db) : pool_(db.pool()), lease_(db) {}

void finish_pending_statements(soci::session& sql, Backend backend) {
  if (backend != Backend::kSqlite3) return;
  auto* session = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  if (session == nullptr || session->conn_ == nullptr) return;
  using namespace ::sqlite_api;
  for (sqlite3_stmt* st = sqlite3_next_stmt(session->conn_, nullptr); st != nullptr;
       st = sqlite3_next_stmt(session->conn_, st)) {
    if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
  }
}

engine::Result<std::unique_ptr<Transaction>> Transaction::begin(Database& db, bool write) {
  auto leased = guarded("taking a database connection",
                        [&] { return std::unique_ptr<Transaction>(new Transaction(db)); });
  if (!leased) return tl::unexpected(leased.error());
  std::unique_ptr<Transaction> tx = std::move(*leased);
  const bool lite = tx->backend() == Backend::kSqlite3;
  if (lite && write) {
    // As long as the busy timeout: a writer that waits longer meets what the file lock would say.
    tx->writer_ = std::unique_lock(tx->pool_.sqlite_writer, std::defer_lock);
    if (!tx->writer_.try_lock_for(kSqliteBusyTimeout))
      return fail(ErrorCode::kConflict, "beginning a transaction: the database is busy; retry");
  }
  const char* statement =
      write ? (lite ? "BEGIN IMMEDIATE" : "BEGIN")
            : (lite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  auto start = [&] {
    return guarded("beginning a transaction", [&] {
      tx->sql() << statement;
      tx->open_ = true;
    });
  };
  auto begun = start();
  if (!begun) {
    // A connection lost since its last use (a restarted server) fails its first statement:
    // nothing was done on it, so BEGIN is tried once more on a re-established one.
    auto recovered = guarded("reconnecting to the database", [&] { return tx->lease_.recover(); });
    if (!recovered) return tl::unexpected(recovered.error());
    if (*recovered) begun = start();
  }
  if (!begun) return tl::unexpected(begun.error());
  return tx;
}

Transaction::~Transaction() {
  if (open_) {
    try {
      sql() << "ROLLBACK";
    } catch (const std::exception&) {
      // The connection is broken or the transaction already ended; nothing was committed either
      // way.
    }
  }
  if (writer_.owns_lock()) writer_.unlock();
  // lease_ gives the connection back.
}

engine::Status Transaction::commit() {
  if (!open_) return fail(ErrorCode::kInternal, "commit on a transaction that is not open");
  return guarded("committing", [&] {
    sql() << "COMMIT";
    open_ = false;
    if (writer_.owns_lock()) writer_.unlock();  // the next writer starts while we report
  });
}

}  // namespace detail
}  // namespace motcua::store
