#pragma once
// Private to store/: the SOCI side of Database, transactions and error mapping. Included only by
// store/*.cpp; SOCI never appears in a public header.
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <cstdint>
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
  // Taken only through detail::Lease (which checks and re-establishes a lost connection), never
  // with soci::session(connections) in store/.
  soci::connection_pool connections;
  // Per connection, by pool position: the statements prepared on it (see StatementCache).
  // Declared after `connections`, so they are released while their sessions are still open.
  std::vector<std::unique_ptr<detail::StatementCache>> statements;
  // PostgreSQL connection health (see Lease). `losses` counts the connections found lost; a
  // connection checked before the latest loss is pinged once when next leased, since a server
  // restart kills every connection but each notices only when used; so is one idle for longer
  // than Lease::kIdlePing. By position, touched only by the lease holder: the `losses` seen at
  // its last check, the instant it was given back.
  std::atomic<std::uint64_t> losses{0};
  std::vector<std::uint64_t> checked;
  std::vector<std::chrono::steady_clock::time_point> returned;
  // Reconnection backoff shared by the pool: after a failed attempt no other is made before
  // `next_attempt`; the step doubles per failure up to a bound and is reset by a success.
  std::mutex reconnect_mutex;
  bool last_attempt_failed = false;
  std::chrono::steady_clock::time_point next_attempt{};
  std::chrono::milliseconds backoff{0};
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

enum class SqlFailure {
  kOther,
  kUniqueViolation,
  kForeignKeyViolation,
  kConcurrency,
  kConnection,  // the connection is lost or none could be had: retry once the database is back
};

// Thrown by Lease when no connection can be had: none became free in time, or a lost one cannot
// be re-established now. A soci_error, so every `guarded` body reports it (classified
// kConnection).
class ConnectionUnavailable : public soci::soci_error {
 public:
  using soci::soci_error::soci_error;
};

// Classifies a SOCI exception: unique/primary-key violations; PostgreSQL serialisation failures,
// deadlocks and SQLite busy/locked as concurrency; lost connections (PostgreSQL SQLSTATE class
// 08, 57P01-57P03, a server that closed the connection) and ConnectionUnavailable as connection.
SqlFailure classify(const std::exception& e);

// kConflict for concurrency failures, else kIo (a lost connection says so in the message);
// `what` names the operation.
engine::Error sql_error(const std::exception& e, const std::string& what);

// A pooled connection leased for one unit of work, and its statement cache. On PostgreSQL the
// connection is checked first: one that libpq knows is lost, or one that does not answer a ping
// (sent when it was idle for longer than kIdlePing, or another was found lost since its last
// check), is re-established -- its prepared statements dropped first -- under the pool's backoff
// (100 ms doubling to 500 ms). Throws ConnectionUnavailable when no
// connection is free within `wait`, or a lost one cannot be re-established now. Given back, a
// connection found lost tells the pool, so the others are checked at their next lease. Used by
// one thread at a time.
class Lease {
 public:
  static constexpr std::chrono::milliseconds kDefaultWait{10000};
  static constexpr std::chrono::milliseconds kIdlePing{500};
  explicit Lease(Database& db, std::chrono::milliseconds wait = kDefaultWait);
  ~Lease();
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& sql() { return sql_; }
  Backend backend() const { return backend_; }
  StatementCache& statements();
  // After a statement failed: true when the connection had been lost and is now re-established
  // (nothing done on the lost one survives); false when it was not lost. Throws
  // ConnectionUnavailable when it was lost and cannot be re-established now.
  bool recover();

 private:
  void check();
  void reconnect();
  Database::Pool& pool_;
  Backend backend_;
  std::size_t position_ = 0;
  soci::session& sql_;
};

// SQLite: resets every statement of the connection that was stepped but not run to completion
// (a cached SELECT that read its one row). Such a statement keeps a read snapshot open; in WAL
// mode that stops checkpoints, and a later BEGIN IMMEDIATE on the connection fails at once with
// SQLITE_BUSY_SNAPSHOT once another connection has committed (no busy timeout applies). Called
// when a connection is leased and given back; no-op on PostgreSQL.
void finish_pending_statements(soci::session& sql, Backend backend);

// One transaction on a leased connection. BEGIN IMMEDIATE on SQLite (the write lock is taken at
// once, so concurrent writers queue instead of failing later), BEGIN on PostgreSQL (read
// committed). Rolls back on destruction unless committed. Errors of begin(): those of Lease
// (kIo); a BEGIN that fails because the connection was lost (a restarted server) is retried once
// on the re-established connection, since nothing had been done on it.
//
// A read-only transaction (write = false) takes no write lock: a deferred BEGIN on SQLite, a
// REPEATABLE READ READ ONLY snapshot on PostgreSQL.
class Transaction {
 public:
  static engine::Result<std::unique_ptr<Transaction>> begin(Database& db, bool write = true);
  ~Transaction();
  soci::session& sql() { return lease_.sql(); }
  Backend backend() const { return lease_.backend(); }
  engine::Status commit();
  // The statements prepared on this transaction's connection.
  StatementCache& statements() { return lease_.statements(); }

 private:
  explicit Transaction(Database& db);
  Database::Pool& pool_;
  Lease lease_;
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
