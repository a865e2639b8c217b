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

enum class SqlFailure { kOther, kUniqueViolation, kConcurrency };

// Classifies a SOCI exception: unique/primary-key violations, and PostgreSQL serialisation
// failures, deadlocks and SQLite busy/locked as concurrency.
SqlFailure classify(const std::exception& e);

// kConflict for concurrency failures, else kIo; `what` names the operation.
engine::Error sql_error(const std::exception& e, const std::string& what);

// One transaction on a leased connection. BEGIN IMMEDIATE on SQLite (the write lock is taken at
// once, so concurrent writers queue instead of failing later), BEGIN on PostgreSQL (read
// committed). Rolls back on destruction unless committed.
class Transaction {
 public:
  static engine::Result<std::unique_ptr<Transaction>> begin(Database& db);
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

}  // namespace detail
}  // namespace motcua::store
