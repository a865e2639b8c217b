#include "store/database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <filesystem>
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
}  // namespace

Database::Pool::Pool(std::size_t size) : connections(size), statements(size) {}
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
        s.open(soci::postgresql, url.conninfo);
        s << "SET client_min_messages = warning";
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
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    const std::string state = pg->sqlstate();
    if (state == "23505") return SqlFailure::kUniqueViolation;
    if (state == "23503") return SqlFailure::kForeignKeyViolation;
    if (state == "40001" || state == "40P01" || state == "55P03") return SqlFailure::kConcurrency;
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
  return SqlFailure::kOther;
}

engine::Error sql_error(const std::exception& e, const std::string& what) {
  const SqlFailure kind = classify(e);
  if (kind == SqlFailure::kConcurrency)
    return engine::Error{ErrorCode::kConflict,
                         what + ": a concurrent transaction interfered; retry", e.what()};
  return engine::Error{ErrorCode::kIo, what + " failed", e.what()};
}

Transaction::Transaction(Database& db)
    : pool_(db.pool()),
      position_(pool_.connections.lease()),
      session_(pool_.connections.at(position_)),
      statements_(nullptr),
      backend_(db.backend()) {
  // Only the thread holding the lease touches this connection's cache.
  std::unique_ptr<StatementCache>& cache = pool_.statements[position_];
  if (!cache) cache = std::make_unique<StatementCache>();
  statements_ = cache.get();
}

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
  std::unique_ptr<Transaction> tx(new Transaction(db));
  const bool lite = tx->backend_ == Backend::kSqlite3;
  finish_pending_statements(tx->session_, tx->backend_);
  if (lite && write) {
    // As long as the busy timeout: a writer that waits longer meets what the file lock would say.
    tx->writer_ = std::unique_lock(tx->pool_.sqlite_writer, std::defer_lock);
    if (!tx->writer_.try_lock_for(kSqliteBusyTimeout))
      return fail(ErrorCode::kConflict, "beginning a transaction: the database is busy; retry");
  }
  auto begun = guarded("beginning a transaction", [&] {
    tx->session_ << (write ? (lite ? "BEGIN IMMEDIATE" : "BEGIN")
                           : (lite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
    tx->open_ = true;
  });
  if (!begun) return tl::unexpected(begun.error());
  return tx;
}

Transaction::~Transaction() {
  if (open_) {
    try {
      session_ << "ROLLBACK";
    } catch (const std::exception&) {
      // The connection is broken or the transaction already ended; nothing was committed either
      // way.
    }
  }
  if (writer_.owns_lock()) writer_.unlock();
  finish_pending_statements(session_, backend_);  // an idle connection holds no snapshot
  statements_->release_retired();
  pool_.connections.give_back(position_);
}

engine::Status Transaction::commit() {
  if (!open_) return fail(ErrorCode::kInternal, "commit on a transaction that is not open");
  return guarded("committing", [&] {
    session_ << "COMMIT";
    open_ = false;
    if (writer_.owns_lock()) writer_.unlock();  // the next writer starts while we report
  });
}

}  // namespace detail
}  // namespace motcua::store
