// The stored event rows (store/internal/event_rows.hpp): the events of one command, compressed
// with format 1's dictionary, and the schema 8 upgrade that copies schema 7's one-event rows.
#include "store/internal/event_rows.hpp"

#include "engine/audit_chain.hpp"
#include "engine/event_codec.hpp"
#include "engine/state_machine.hpp"
#include "store/internal/embedded_migrations.hpp"
#include "store/migrations.hpp"
#include "store/sql_audit_log.hpp"
#include "store/sql_dossier_store.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store {
using namespace testing;

namespace {

std::string encoded(const engine::Event& e, std::int64_t seq) {
  return engine::encode_event(e, seq).value();
}

engine::Event moved(const std::string& from, const std::string& to) {
  engine::Event e;
  e.kind = engine::EventKind::kTransitioned;
  e.at = instant(1795658400);
  e.actor = engine::Actor{engine::ActorKind::kOfficer, "cb-desk", "000.21.14.H57", "desk"};
  e.action = "accept";
  e.from_state = from;
  e.to_state = to;
  e.agency_id = "000.20.14.H57";
  e.reason = "Thiếu bản vẽ mặt cắt";
  e.status = engine::StatusCode::kProcessing;
  return e;
}

}  // namespace

TEST_CASE("An event row keeps a command's encodings exactly, in less space") {
  engine::Event clock = moved("submitted", "appraisal");
  clock.kind = engine::EventKind::kClockStarted;
  clock.clock_start = instant(1795658400);
  clock.due = instant(1796983200);
  const std::vector<std::string> encodings{encoded(moved("submitted", "appraisal"), 2),
                                           encoded(clock, 3)};
  auto body = detail::pack_events(encodings);
  REQUIRE(body);
  CHECK(static_cast<unsigned char>((*body)[0]) == detail::kEventRowFormat);
  CHECK(body->size() * 2 < detail::join_events(encodings).size());
  CHECK(detail::unpack_events(*body).value() == encodings);
  // The same events pack to the same bytes.
  CHECK(detail::pack_events(encodings).value() == *body);
}

TEST_CASE("An event row refuses what it cannot hold and bodies it did not write") {
  CHECK_FALSE(detail::pack_events({}));
  CHECK_FALSE(detail::pack_events({""}));
  CHECK_FALSE(detail::pack_events({"{\"a\":1}\n{\"b\":2}"}));
  const std::string body = detail::pack_events({encoded(moved("a", "b"), 2)}).value();
  auto unreadable = [](std::string_view b) {
    auto r = detail::unpack_events(b);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == engine::ErrorCode::kInternal);
    CHECK(r.error().message.find("unreadable") != std::string::npos);
  };
  unreadable("");
  unreadable(std::string("\x02") + body.substr(1));              // unknown format
  unreadable(body.substr(0, body.size() - 3));                    // truncated
  unreadable(body + "xyz");                                       // trailing bytes
  unreadable(std::string("\x01\xff\xff\xff\xff", 5));             // not DEFLATE
  // A small body that inflates beyond the limit (a bomb in an edited row) is refused.
  const std::string bomb =
      detail::pack_joined(std::string(detail::kMaxEventRowSize + 1, 'a')).value();
  CHECK(bomb.size() < 64 * 1024);
  unreadable(bomb);
}

// A database written by schema 7 (one row per event, text encodings, hex hashes) upgraded by
// `motcua migrate`: the same events load, and the chains verify, including the evidence of an
// edit made before the upgrade.
TEST_CASE("Schema 8 upgrades schema 7's event rows with their hashes") {
  for (const auto& url : test_database_urls()) {
    auto db = empty_database(url);
    CAPTURE(backend_name(*db));
    const std::string backend = backend_name(*db);
    {
      soci::session sql(db->pool().connections);
      sql << "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
             "applied_at BIGINT NOT NULL)";
      for (std::size_t i = 0; i < detail::kEmbeddedMigrationCount; ++i) {
        const auto& m = detail::kEmbeddedMigrations[i];
        if (m.backend != backend || m.version > 7) continue;
        for (const std::string& statement : split_sql(m.sql)) sql << statement;
        sql << "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) + ", '" +
                   m.name + "', 0)";
      }
    }
    // Two dossiers of three events, the second with an event edited by hand.
    for (const std::string code : {"000.00.14.H20-261127-0001", "000.00.14.H20-261127-0002"}) {
      engine::Event first;
      first.kind = engine::EventKind::kSubmitted;
      first.at = instant(1795000000);
      first.code = code;
      first.to_state = "a";
      std::vector<engine::Event> events{first, moved("a", "b"), moved("b", "c")};
      engine::Digest h = engine::chain_genesis(code).value();
      engine::Dossier d;
      for (std::size_t i = 0; i < events.size(); ++i) {
        const std::string enc = encoded(events[i], static_cast<std::int64_t>(i) + 1);
        h = engine::chain_link(h, enc).value();
        d = engine::evolve(std::move(d), events[i]);
        const bool edit = code.back() == '2' && i == 1;
        exec(*db, "INSERT INTO dossier_events (dossier_code, seq, encoding, hash) VALUES ('" +
                      code + "', " + std::to_string(i + 1) + ", '" +
                      (edit ? std::string("{\"edited\":1}") : enc) + "', '" + engine::to_hex(h) +
                      "')");
      }
      exec(*db,
           "INSERT INTO dossiers (code, receiving_agency_id, procedure_code, procedure_version, "
           "procedure_hash, channel, agency_ids, state, status, submitted_at, verdict, "
           "supplement_requests, version, head_hash) VALUES ('" +
               code + "', '000.00.14.H20', 'p', 1, 'h', 0, '', 'c', 4, 1795000000, 'none', 0, 3, '" +
               engine::to_hex(h) + "')");
    }
    auto report = migrate(*db, instant(1795000000));
    REQUIRE_MESSAGE(report, describe(report));
    CHECK(report->to == known_schema_version(db->backend()));

    SqlAuditLog log(db);
    auto broken = engine::verify_log(log);
    REQUIRE_MESSAGE(broken, describe(broken));
    REQUIRE(broken->size() == 1);
    CHECK((*broken)[0].code == "000.00.14.H20-261127-0002");
    REQUIRE((*broken)[0].findings.size() == 1);
    CHECK((*broken)[0].findings[0].kind == engine::FindingKind::kAltered);
    CHECK((*broken)[0].findings[0].seq == 2);

    SqlDossierStore store(db);
    auto uow = store.begin().value();
    auto loaded = uow->load("000.00.14.H20-261127-0001").value();
    REQUIRE(loaded);
    REQUIRE(loaded->events.size() == 3);
    CHECK(loaded->events[2].to_state == "c");
  }
}

}  // namespace motcua::store
