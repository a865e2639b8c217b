#pragma once
// Private to store/: the SOCI side of Database, transactions and error mapping. Included only by
// store/*.cpp; SOCI never appears in a public header.
#include <soci/soci.h>

#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "engine/error.hpp"
#include "store/database.hpp"

namespace motcua::store {

namespace detail {
class StatementCache;
}

struct Database::Pool {
  explicit Pool(std::size_t size);
  ~Pool();
  soci::connection_pool connections;
  // Per connection, by pool position: the statements prepared on it (see StatementCache).
  // Declared after `connections`, so they are released while their sessions are still open.
  std::vector<std::unique_ptr<detail::StatementCache>> statements;
  // SQLite allows one writer at a time. This process's writers queue here, handed over at once
  // when the previous one ends, instead of polling the file lock in the busy handler's growing
  // sleeps (1 ms .. 100 ms), which left the lock idle while writers slept and put hundreds of
  // milliseconds into the tail latency of submissions. Writers of other processes still meet the
  // file lock and its busy timeout. Unused on PostgreSQL.
  std::timed_mutex sqlite_writer;
};

namespace detail {

// A statement prepared once on a connection and executed again by later transactions on it (on
// PostgreSQL one round trip per execution, no parse and plan, instead of prepare + execute +
// deallocate each time). T holds the variables the statement binds (soci::use / soci::into keep
// references to them) and a soci::statement `st` prepared from them in its constructor, which
// takes the session. Callers assign the variables, then execute `st`.
//
// Used only by the thread that leased the connection; destroyed with the pool.
class StatementCache {
 public:
  struct Entry {
    virtual ~Entry() = default;
  };

  template <class T>
  class Use;

  // The statement T (prepared now if it is not yet) for one use in the caller's scope. Leaving
  // that scope by an exception retires the statement: SOCI keeps the converted parameters of a
  // failed execution until the statement is destroyed, so it is not executed again.
  template <class T>
  Use<T> use(soci::session& sql, std::size_t variant = 0) {
    return Use<T>(*this, get<T>(sql, variant), variant);
  }

  // Destroys the retired statements. Called when the transaction has ended: on PostgreSQL a
  // statement is deallocated with a command, which an aborted transaction would refuse.
  void release_retired() noexcept { retired_.clear(); }

  template <class T>
  T& get(soci::session& sql) {
    return get<T>(sql, 0);
  }
  // As get<T>(sql), one statement per `variant` (e.g. a number of rows in a multi-row INSERT);
  // T's constructor also takes the variant.
  template <class T>
  T& get(soci::session& sql, std::size_t variant) {
    std::unique_ptr<Entry>& slot = entries_[Key{std::type_index(typeid(T)), variant}];
    if (!slot) {
      if constexpr (std::is_constructible_v<T, soci::session&, std::size_t>)
        slot = std::make_unique<T>(sql, variant);
      else
        slot = std::make_unique<T>(sql);
    }
    return static_cast<T&>(*slot);
  }

 private:
  struct Key {
    std::type_index type;
    std::size_t variant;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const noexcept {
      return k.type.hash_code() * 31 + k.variant;
    }
  };
  template <class T>
  void retire(std::size_t variant) noexcept {
    auto it = entries_.find(Key{std::type_index(typeid(T)), variant});
    if (it == entries_.end() || !it->second) return;
    try {
      retired_.push_back(std::move(it->second));
    } catch (...) {
      it->second.release();  // out of memory while unwinding: leak it rather than reuse it
    }
  }

  std::unordered_map<Key, std::unique_ptr<Entry>, KeyHash> entries_;
  std::vector<std::unique_ptr<Entry>> retired_;
};

template <class T>
class StatementCache::Use {
 public:
  Use(StatementCache& cache, T& statement, std::size_t variant)
      : cache_(cache),
        statement_(statement),
        variant_(variant),
        exceptions_(std::uncaught_exceptions()) {}
  ~Use() {
    if (std::uncaught_exceptions() > exceptions_) cache_.retire<T>(variant_);
  }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  T& operator*() const { return statement_; }

 private:
  StatementCache& cache_;
  T& statement_;
  std::size_t variant_;
  int exceptions_;
};

enum class SqlFailure { kOther, kUniqueViolation, kForeignKeyViolation, kConcurrency };

// Classifies a SOCI exception: unique/primary-key violations, and PostgreSQL serialisation
// failures, deadlocks and SQLite busy/locked as concurrency.
SqlFailure classify(const std::exception& e);

// kConflict for concurrency failures, else kIo; `what` names the operation.
engine::Error sql_error(const std::exception& e, const std::string& what);

// SQLite: resets every statement of the connection that was stepped but not run to completion
// (a cached SELECT that read its one row). Such a statement keeps a read snapshot open; in WAL
// mode that stops checkpoints, and a later BEGIN IMMEDIATE on the connection fails at once with
// SQLITE_BUSY_SNAPSHOT once another connection has committed (no busy timeout applies). Called
// when a connection is leased and given back; no-op on PostgreSQL.
void finish_pending_statements(soci::session& sql, Backend backend);

// One transaction on a leased connection. BEGIN IMMEDIATE on SQLite (the write lock is taken at
// once, so concurrent writers queue instead of failing later), BEGIN on PostgreSQL (read
// committed). Rolls back on destruction unless committed.
//
// A read-only transaction (write = false) takes no write lock: a deferred BEGIN on SQLite, a
// REPEATABLE READ READ ONLY snapshot on PostgreSQL.
class Transaction {
 public:
  static engine::Result<std::unique_ptr<Transaction>> begin(Database& db, bool write = true);
  ~Transaction();
  soci::session& sql() { return session_; }
  Backend backend() const { return backend_; }
  engine::Status commit();
  // The statements prepared on this transaction's connection.
  StatementCache& statements() { return *statements_; }

 private:
  Transaction(Database& db);
  Database::Pool& pool_;
  std::size_t position_;  // of the leased connection in the pool
  soci::session& session_;
  StatementCache* statements_;
  Backend backend_;
  std::unique_lock<std::timed_mutex> writer_;  // SQLite write transactions: Pool::sqlite_writer
  bool open_ = false;
};

// Integer columns of a soci::row come back as int or long long depending on the backend and the
// declared type.
inline long long row_int(const soci::row& r, std::size_t i) {
  switch (r.get_properties(i).get_data_type()) {
    case soci::dt_integer:
      return r.get<int>(i);
    case soci::dt_long_long:
      return r.get<long long>(i);
    case soci::dt_unsigned_long_long:
      return static_cast<long long>(r.get<unsigned long long>(i));
    default:
      return std::stoll(r.get<std::string>(i));
  }
}

}  // namespace detail
}  // namespace motcua::store
