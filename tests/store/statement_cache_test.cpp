// Statements prepared once per connection are executed again by later transactions on it: on one
// connection, a statement that failed (and aborted its PostgreSQL transaction) or a transaction
// that rolled back must leave the next transactions working and their results right.
#include "engine/audit_chain.hpp"
#include "store/sql_dossier_statistics.hpp"
#include "store/sql_dossier_store.hpp"
#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store {
using namespace testing;
using engine::ErrorCode;

TEST_CASE("Prepared statements stay usable on a connection after failures and rollbacks") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url, /*pool=*/1);  // every unit of work reuses the one connection
    CAPTURE(backend_name(*w.db));
    engine::SubmitRequest request = good_submission(w);
    request.idempotency_key = "key-1";
    const engine::Dossier first = submit_ok(w, request).dossier;

    SqlDossierStore store(w.db);
    {
      // The cached INSERT fails on the primary key; PostgreSQL aborts the transaction.
      auto uow = store.begin().value();
      engine::DossierWrite w;
      w.idempotency = engine::IdempotencyRecord{"key-1", "other", "outcome", instant(1795000000)};
      auto again = uow->write(w);
      REQUIRE_FALSE(again);
      CHECK(again.error().code == ErrorCode::kConflict);
    }
    {
      // A submission rolled back after the cached inserts ran leaves nothing behind.
      auto uow = store.begin().value();
      auto code =
          uow->allocate_code(kCentreId, engine::LocalDate{std::chrono::year{2026} / 11 / 23});
      REQUIRE(code);
      CHECK(*code == std::string(kCentreId) + "-261123-0002");
    }
    // The same statements, executed again, write complete dossiers with the right codes.
    request.idempotency_key = "key-2";
    const engine::Outcome second = submit_ok(w, request);
    CHECK(second.dossier.code == std::string(kCentreId) + "-261123-0002");
    request.idempotency_key = "key-1";
    const engine::Outcome replayed = submit_ok(w, request);
    CHECK(replayed.replayed);
    CHECK(replayed.dossier.code == first.code);

    // Loads and actions through the cached reads see exactly what was written.
    engine::Dossier d = second.dossier;
    d = act_ok(w, action(d, "accept", officer("desk")));
    auto view = w.service->view(d.code);
    REQUIRE_MESSAGE(view, describe(view));
    CHECK(view->stored.dossier == d);
    CHECK(view->stored.events.size() == 3);
    CHECK(view->components.size() == 2);
    CHECK(view->form == request.form);
    auto other = w.service->view(first.code);
    REQUIRE(other);
    CHECK(other->stored.dossier.version == 1);
    CHECK(count_rows(*w.db, "dossiers") == 2);
    CHECK(count_rows(*w.db, "dossier_events WHERE seq = 1") == 2);
    CHECK(other->form == request.form);  // stored once, in the submitted event
    CHECK(count_rows(*w.db, "dossier_form_values") == 0);
    check_chains(w.db);
  }
}

}  // namespace motcua::store

namespace motcua::store::testing {

TEST_CASE(
    "A cached read leaves no snapshot behind: the connection's next write transaction starts") {
  // One connection: the public summary's cached SELECT reads its one row on it, then another
  // writer commits. A statement left stepped would hold the old snapshot, and SQLite would refuse
  // the next BEGIN IMMEDIATE on that connection at once (SQLITE_BUSY_SNAPSHOT).
  for (const auto& url : test_database_urls()) {
    World w = world_on(url, 1);
    CAPTURE(backend_name(*w.db));
    const std::string first = submit_ok(w, good_submission(w)).dossier.code;
    SqlDossierStatistics statistics(w.db);
    auto summary = statistics.summary(first);
    REQUIRE(summary);
    REQUIRE(summary->has_value());
    auto other = Database::open(*parse_database_url(url), 1);
    REQUIRE(other);
    exec(**other, "UPDATE dossiers SET state = 'appraisal' WHERE code = '" + first + "'");
    auto second = w.service->submit(good_submission(w));
    CHECK_MESSAGE(second, describe(second));
    // And the summary reads what the other writer committed.
    CHECK((*statistics.summary(first))->state == "appraisal");
  }
}

}  // namespace motcua::store::testing
