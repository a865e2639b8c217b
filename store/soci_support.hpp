#pragma once
// Private to store/: the SOCI side of Database, transactions and error mapping. Included only by
// store/*.cpp; SOCI never appears in a public header.
#include <soci/soci.h>

#include <exception>
#include <memory>
#include <string>

#include "engine/error.hpp"
#include "store/database.hpp"

namespace motcua::store {

struct Database::Pool {
  explicit Pool(std::size_t size) : connections(size) {}
  soci::connection_pool connections;
};

namespace detail {

enum class SqlFailure { kOther, kUniqueViolation, kForeignKeyViolation, kConcurrency };

// Classifies a SOCI exception: unique/primary-key violations, and PostgreSQL serialisation
// failures, deadlocks and SQLite busy/locked as concurrency.
SqlFailure classify(const std::exception& e);

// kConflict for concurrency failures, else kIo; `what` names the operation.
engine::Error sql_error(const std::exception& e, const std::string& what);

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

 private:
  Transaction(Database& db);
  soci::session session_;
  Backend backend_;
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
