// The audit chain against real tampering: rows are edited with SQL, as someone with database
// access would, and verify_log must name exactly what was done.
#include "engine/audit_chain.hpp"
#include "engine/event_codec.hpp"
#include "engine/state_machine.hpp"
#include "store/sql_audit_log.hpp"
#include "store/sql_dossier_store.hpp"
#include "tests/store/dossier_writes.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store {
using namespace testing;
using engine::FindingKind;

namespace {

constexpr const char* kCode = "000.00.14.H20-261127-0001";
constexpr const char* kOther = "000.00.14.H20-261127-0002";

// Two dossiers with five events each.
void seed(const std::shared_ptr<Database>& db) {
  SqlDossierStore store(db);
  for (const char* code : {kCode, kOther}) {
    std::vector<engine::Event> events;
    for (int seq = 1; seq <= 5; ++seq) {
      engine::Event e;
      e.kind = seq == 1 ? engine::EventKind::kSubmitted : engine::EventKind::kTransitioned;
      e.at = instant(1795000000 + seq);
      e.code = seq == 1 ? code : "";
      e.action = "bước-" + std::to_string(seq);
      e.to_state = "s" + std::to_string(seq);
      events.push_back(e);
    }
    engine::Dossier d;
    for (const auto& e : events) d = engine::evolve(std::move(d), e);
    auto uow = store.begin().value();
    REQUIRE(uow->write(appending(0, events, d)));
    REQUIRE(uow->commit());
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
    exec(*db,
         "UPDATE dossier_events SET encoding = REPLACE(encoding, 'bước-3', 'bước-X')" + where(3));
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
      const std::string enc = engine::encode_event(forged, 6).value();
      exec(*db, "INSERT INTO dossier_events (dossier_code, seq, encoding, hash) VALUES ('" +
                    std::string(kCode) + "', 6, '" + enc + "', '" + std::string(64, 'a') + "')");
      auto f = only_finding(db);
      CHECK(f.kind == FindingKind::kInserted);
      CHECK(f.seq == 6);
    }
    SUBCASE("in the middle, later events renumbered") {
      exec(*db, "UPDATE dossier_events SET seq = seq + 10 WHERE dossier_code = '" +
                    std::string(kCode) + "' AND seq >= 3");
      exec(*db, "UPDATE dossier_events SET seq = seq - 9 WHERE dossier_code = '" +
                    std::string(kCode) + "' AND seq >= 13");
      const std::string enc = engine::encode_event(forged, 3).value();
      exec(*db, "INSERT INTO dossier_events (dossier_code, seq, encoding, hash) VALUES ('" +
                    std::string(kCode) + "', 3, '" + enc + "', '" + std::string(64, 'b') + "')");
      auto broken = verify(db);
      REQUIRE(broken.size() == 1);
      REQUIRE_FALSE(broken[0].findings.empty());
      CHECK(broken[0].findings[0].kind == FindingKind::kInserted);
      CHECK(broken[0].findings[0].seq == 3);
    }
  }
}

}  // namespace motcua::store
