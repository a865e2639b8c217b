// The audit chain against real tampering: rows are edited with SQL, as someone with database
// access would, and verify_log must name exactly what was done.
#include "engine/audit_chain.hpp"
#include "engine/event_codec.hpp"
#include "engine/state_machine.hpp"
#include "store/sql_audit_log.hpp"
#include "store/sql_dossier_store.hpp"
#include "tests/store/dossier_writes.hpp"
#include "tests/store/event_rows_sql.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store {
using namespace testing;
using engine::FindingKind;

namespace {

constexpr const char* kCode = "000.00.14.H20-261127-0001";
constexpr const char* kOther = "000.00.14.H20-261127-0002";

engine::Event step(const char* code, int seq) {
  engine::Event e;
  e.kind = seq == 1 ? engine::EventKind::kSubmitted : engine::EventKind::kTransitioned;
  e.at = instant(1795000000 + seq);
  e.code = seq == 1 ? code : "";
  e.action = "bước-" + std::to_string(seq);
  e.to_state = "s" + std::to_string(seq);
  return e;
}

// Appends `events` as one command (one stored row).
void command(SqlDossierStore& store, engine::Dossier& d, std::vector<engine::Event> events) {
  const std::int64_t expected = d.version;
  for (const auto& e : events) d = engine::evolve(std::move(d), e);
  auto uow = store.begin().value();
  REQUIRE(uow->write(appending(expected, events, d)));
  REQUIRE(uow->commit());
}

// Two dossiers with five events each, one command (one row) per event.
void seed(const std::shared_ptr<Database>& db) {
  SqlDossierStore store(db);
  for (const char* code : {kCode, kOther}) {
    engine::Dossier d;
    for (int seq = 1; seq <= 5; ++seq) command(store, d, {step(code, seq)});
  }
}

std::vector<engine::DossierFindings> verify(const std::shared_ptr<Database>& db) {
  SqlAuditLog log(db);
  auto r = engine::verify_log(log);
  REQUIRE_MESSAGE(r, describe(r));
  return *r;
}

// The single finding on kCode (and nothing on the other dossier).
engine::Finding only_finding(const std::shared_ptr<Database>& db) {
  auto broken = verify(db);
  REQUIRE(broken.size() == 1);
  CHECK(broken[0].code == kCode);
  REQUIRE(broken[0].findings.size() == 1);
  return broken[0].findings[0];
}

std::string where(int seq) {
  return std::string(" WHERE dossier_code = '") + kCode + "' AND seq = " + std::to_string(seq);
}

}  // namespace

TEST_CASE("Audit verify passes untouched chains") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    seed(db);
    CHECK(verify(db).empty());
  }
}

TEST_CASE("Audit verify names an event altered in the database") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    seed(db);
    edit_row(*db, kCode, 3, "bước-3", "bước-X");
    auto f = only_finding(db);
    CHECK(f.kind == FindingKind::kAltered);
    CHECK(f.seq == 3);
  }
}

TEST_CASE("Audit verify names deleted events") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    seed(db);
    SUBCASE("from the middle") {
      exec(*db, "DELETE FROM dossier_events" + where(2));
      CHECK(only_finding(db) == engine::Finding{FindingKind::kDeleted, 2, "seq 2 is missing"});
    }
    SUBCASE("from the end") {
      exec(*db, "DELETE FROM dossier_events" + where(5));
      auto f = only_finding(db);
      CHECK(f.kind == FindingKind::kDeleted);
      CHECK(f.seq == 5);
    }
    SUBCASE("and the rest renumbered") {
      exec(*db, "DELETE FROM dossier_events" + where(3));
      exec(*db, "UPDATE dossier_events SET seq = seq - 1 WHERE dossier_code = '" +
                    std::string(kCode) + "' AND seq > 3");
      auto f = only_finding(db);
      CHECK(f.kind == FindingKind::kDeleted);
      CHECK(f.seq == 3);
    }
  }
}

TEST_CASE("Audit verify names reordered events") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    seed(db);
    exec(*db, "UPDATE dossier_events SET seq = 100" + where(2));
    exec(*db, "UPDATE dossier_events SET seq = 2" + where(4));
    exec(*db, "UPDATE dossier_events SET seq = 4" + where(100));
    auto f = only_finding(db);
    CHECK(f.kind == FindingKind::kReordered);
    CHECK(f.seq == 2);
  }
}

TEST_CASE("Audit verify names inserted events") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    seed(db);
    engine::Event forged;
    forged.action = "approve";
    forged.at = instant(1795000100);
    SUBCASE("appended") {
      insert_row(*db, kCode, 6, {engine::encode_event(forged, 6).value()}, std::string(64, 'a'));
      auto f = only_finding(db);
      CHECK(f.kind == FindingKind::kInserted);
      CHECK(f.seq == 6);
    }
    SUBCASE("in the middle, later events renumbered") {
      exec(*db, "UPDATE dossier_events SET seq = seq + 10 WHERE dossier_code = '" +
                    std::string(kCode) + "' AND seq >= 3");
      exec(*db, "UPDATE dossier_events SET seq = seq - 9 WHERE dossier_code = '" +
                    std::string(kCode) + "' AND seq >= 13");
      insert_row(*db, kCode, 3, {engine::encode_event(forged, 3).value()}, std::string(64, 'b'));
      auto broken = verify(db);
      REQUIRE(broken.size() == 1);
      REQUIRE_FALSE(broken[0].findings.empty());
      CHECK(broken[0].findings[0].kind == FindingKind::kInserted);
      CHECK(broken[0].findings[0].seq == 3);
    }
  }
}

// A command that appended several events is one row: an edit of any of its events shows on that
// row, and deleting the row removes all of its events.
TEST_CASE("Audit verify names a row of several events altered or deleted") {
  constexpr const char* kMany = "000.00.14.H20-261127-0003";
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    seed(db);
    {
      SqlDossierStore store(db);
      engine::Dossier d;
      command(store, d, {step(kMany, 1)});
      command(store, d, {step(kMany, 2), step(kMany, 3)});  // row seq 2 holds seq 2 and 3
      command(store, d, {step(kMany, 4)});
      REQUIRE(stored_row(*db, kMany, 2).size() == 2);
      CHECK(verify(db).empty());
    }
    auto finding = [&] {
      auto broken = verify(db);
      REQUIRE(broken.size() == 1);
      CHECK(broken[0].code == kMany);
      REQUIRE(broken[0].findings.size() == 1);
      return broken[0].findings[0];
    };
    SUBCASE("its second event altered") {
      edit_row(*db, kMany, 2, "bước-3", "bước-X");
      CHECK(finding() == engine::Finding{FindingKind::kAltered, 2,
                                         "seq 2 does not match its stored hash chained from seq 1"});
    }
    SUBCASE("the whole row deleted") {
      exec(*db, std::string("DELETE FROM dossier_events WHERE dossier_code = '") + kMany +
                    "' AND seq = 2");
      CHECK(finding() == engine::Finding{FindingKind::kDeleted, 2, "seq 2 to 3 are missing"});
    }
    SUBCASE("the last row deleted") {
      exec(*db, std::string("DELETE FROM dossier_events WHERE dossier_code = '") + kMany +
                    "' AND seq = 4");
      auto f = finding();
      CHECK(f.kind == FindingKind::kDeleted);
      CHECK(f.seq == 4);
    }
  }
}

}  // namespace motcua::store
