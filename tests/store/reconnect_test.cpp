// Recovery from database failures: pooled PostgreSQL connections whose server ended them are
// re-established, with their prepared statements, before the next unit of work; Readiness says
// whether the database takes writes. tests/restart_test.py restarts a whole server under load.
#include <chrono>
#include <set>
#include <thread>

#include "store/readiness.hpp"
#include "store/sql_attachment_store.hpp"
#include "store/sql_dossier_queries.hpp"
#include "store/sql_dossier_store.hpp"
#include "tests/store/contract/port_contract.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store::testing {
namespace {

using Clock = std::chrono::steady_clock;

const char* test_pg() {
  const char* pg = std::getenv("MOTCUA_TEST_PG");
  return pg && *pg ? pg : nullptr;
}

// The backend process ids of every connection of the pool, each leased once (all at the same
// time, so that each is a different connection).
std::set<long long> backend_pids(Database& db, std::size_t pool) {
  std::vector<std::unique_ptr<detail::Lease>> leases;
  std::set<long long> pids;
  for (std::size_t i = 0; i < pool; ++i) {
    leases.push_back(std::make_unique<detail::Lease>(db));
    long long pid = 0;
    leases.back()->sql() << "SELECT pg_backend_pid()", soci::into(pid);
    pids.insert(pid);
  }
  return pids;
}

// Ends the backends from another connection (as an operator, or a server restart, would) and
// waits until they are gone.
void terminate_backends(const std::string& url, const std::set<long long>& pids) {
  auto parsed = parse_database_url(url);
  REQUIRE(parsed);
  auto admin = Database::open(*parsed, 1);
  REQUIRE(admin);
  soci::session sql((*admin)->pool().connections);
  std::string list;
  for (long long pid : pids) list += (list.empty() ? "" : ",") + std::to_string(pid);
  long long killed = 0;
  sql << "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity "
         "WHERE pid IN (" +
             list + ")) t WHERE done",
      soci::into(killed);
  REQUIRE(killed == static_cast<long long>(pids.size()));
  long long alive = 1;
  for (int i = 0; i < 500 && alive > 0; ++i) {
    sql << "SELECT COUNT(*) FROM pg_stat_activity WHERE pid IN (" + list + ")", soci::into(alive);
    if (alive > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(alive == 0);
}

std::string code(int n) {
  const std::string number = std::to_string(10000 + n).substr(1);
  return "000.00.14.H20-261127-" + number;
}

}  // namespace

TEST_CASE(
    "Database: pooled connections whose backends were terminated are re-established and "
    "the next writes succeed (PostgreSQL)") {
  const char* pg = test_pg();
  if (pg == nullptr) return;  // PostgreSQL only: SQLite has no server to lose
  const std::string url = process_postgres_url(pg);
  constexpr std::size_t kPool = 2;
  auto db = fresh_database(url, kPool);
  SqlDossierStore store(db);
  SqlDossierQueries queries(db);
  SqlAttachmentStore attachments(db);
  contract::PortsUnderTest ports{&store, &queries, nullptr, nullptr, {}};
  // Statements prepared and cached on the connections that are about to die.
  contract::create(ports, code(1), 3);
  REQUIRE(attachments.put("%PDF before", "application/pdf"));

  const std::set<long long> before = backend_pids(*db, kPool);
  REQUIRE(before.size() == kPool);
  terminate_backends(url, before);

  // At once: the unit of work's BEGIN fails on the dead connection, which is re-established and
  // BEGIN tried again; the cached statements were dropped with it (else "prepared statement does
  // not exist").
  const auto start = Clock::now();
  contract::create(ports, code(2), 3);
  const auto recovered = Clock::now() - start;
  MESSAGE("first write after the backends were terminated: "
          << std::chrono::duration_cast<std::chrono::microseconds>(recovered).count() << " us");
  CHECK(recovered < std::chrono::seconds(2));
  // Autocommit work on the other connection: pinged (a loss was seen) and re-established.
  for (int i = 0; i < 4; ++i) {
    auto put = attachments.put("%PDF after " + std::to_string(i), "application/pdf");
    CHECK_MESSAGE(put, describe(put));
  }
  contract::create(ports, code(3), 2);

  const std::set<long long> after = backend_pids(*db, kPool);
  for (long long pid : after) CHECK(before.count(pid) == 0);
  for (int n : {1, 2, 3}) {
    auto loaded = queries.load(code(n));
    REQUIRE_MESSAGE(loaded, describe(loaded));
    CHECK(loaded->has_value());
  }
}

TEST_CASE("Database: a lease gives up within its wait when every connection is taken") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url, 1);
    CAPTURE(backend_name(*db));
    detail::Lease held(*db);
    const auto start = Clock::now();
    CHECK_THROWS_AS(detail::Lease(*db, std::chrono::milliseconds(50)),
                    detail::ConnectionUnavailable);
    CHECK(Clock::now() - start < std::chrono::seconds(5));
    try {
      detail::Lease again(*db, std::chrono::milliseconds(10));
    } catch (const std::exception& e) {
      const engine::Error error = detail::sql_error(e, "taking a connection");
      CHECK(error.code == engine::ErrorCode::kIo);
      CHECK(error.message.find("connection is lost or unavailable") != std::string::npos);
    }
  }
}

TEST_CASE(
    "Readiness: ready while the database takes writes, not ready when it refuses them or "
    "is not migrated; probed at most once per interval") {
  for (const auto& url : test_database_urls()) {
    const bool lite = url.rfind("sqlite3:", 0) == 0;
    CAPTURE(url);
    {
      auto unmigrated = empty_database(url, 1);
      auto not_ready = Readiness(unmigrated, std::chrono::milliseconds(0)).check();
      REQUIRE_FALSE(not_ready);
      CHECK(not_ready.error().code == engine::ErrorCode::kInvalidInput);
    }
    auto db = fresh_database(url, 1);  // one connection: the settings below apply to it
    Readiness every_time(db, std::chrono::milliseconds(0));
    Readiness once_an_hour(db, std::chrono::hours(1));
    CHECK(every_time.check());
    CHECK(once_an_hour.check());

    exec(*db, lite ? "PRAGMA query_only = ON" : "SET default_transaction_read_only = on");
    auto refused = every_time.check();
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == engine::ErrorCode::kIo);
    CHECK(once_an_hour.check());  // the last outcome, not a new probe

    exec(*db, lite ? "PRAGMA query_only = OFF" : "SET default_transaction_read_only = off");
    CHECK(every_time.check());
  }
}

}  // namespace motcua::store::testing
