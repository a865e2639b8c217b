#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "engine/state_machine.hpp"
#include "store/sql_attachment_store.hpp"
#include "store/sql_dossier_store.hpp"
#include "tests/store/dossier_writes.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store {
using namespace testing;
using engine::ErrorCode;
using engine::Event;
using engine::EventKind;

namespace {

Event submitted(const std::string& code) {
  Event e;
  e.kind = EventKind::kSubmitted;
  e.at = instant(1795000000);
  e.actor = engine::Actor{engine::ActorKind::kApplicant, "nguyễn.văn.a", "", "applicant"};
  e.code = code;
  e.procedure_code = "1.001612";
  e.procedure_version = 1;
  e.procedure_hash = std::string(64, 'a');
  e.to_state = "tiếp-nhận";
  e.status = engine::StatusCode::kSubmitted;
  e.agency_id = "000.00.14.H20";
  return e;
}

Event moved(const std::string& from, const std::string& to, long long at) {
  Event e;
  e.kind = EventKind::kTransitioned;
  e.at = instant(at);
  e.action = "accept";
  e.from_state = from;
  e.to_state = to;
  e.status = engine::StatusCode::kProcessing;
  e.agency_id = "000.00.14.H20";
  return e;
}

engine::Dossier fold(engine::Dossier d, const std::vector<Event>& events) {
  for (const Event& e : events) d = engine::evolve(std::move(d), e);
  return d;
}

// Creates a dossier with `n` events in its own committed unit of work.
engine::Dossier create(SqlDossierStore& store, const std::string& code, int n = 1) {
  std::vector<Event> events{submitted(code)};
  for (int i = 1; i < n; ++i)
    events.push_back(moved("s" + std::to_string(i), "s" + std::to_string(i + 1), 1795000000 + i));
  engine::Dossier d = fold({}, events);
  auto uow = store.begin();
  REQUIRE(uow);
  auto ok = (*uow)->write(appending(0, events, d));
  REQUIRE_MESSAGE(ok, describe(ok));
  REQUIRE((*uow)->commit());
  return d;
}

}  // namespace

TEST_CASE("Dossier store appends events and loads the dossier back") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    SqlDossierStore store(db);
    const std::string code = "000.00.14.H20-261127-0001";
    engine::Dossier d = create(store, code, 3);
    CHECK(d.version == 3);
    auto uow = store.begin().value();
    auto loaded = uow->load(code);
    REQUIRE(loaded);
    REQUIRE(loaded->has_value());
    CHECK((*loaded)->events.size() == 3);
    CHECK((*loaded)->dossier == d);
    CHECK((*loaded)->events[0].procedure_code == "1.001612");
    CHECK((*loaded)->head_hash.size() == 64);
    CHECK_FALSE(uow->load("000.00.14.H20-261127-0002").value().has_value());
  }
}

TEST_CASE("Dossier store refuses a stale version and writes nothing") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    SqlDossierStore store(db);
    const std::string code = "000.00.14.H20-261127-0001";
    engine::Dossier d = create(store, code, 2);
    {
      // Someone else moves the dossier on to version 3.
      auto uow = store.begin().value();
      std::vector<Event> next{moved("s2", "s3", 1795000100)};
      REQUIRE(uow->write(appending(2, next, fold(d, next))));
      REQUIRE(uow->commit());
    }
    {
      // We still think it is at version 2.
      auto uow = store.begin().value();
      std::vector<Event> mine{moved("s2", "refused", 1795000200)};
      auto r = uow->write(appending(2, mine, fold(d, mine)));
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::kConflict);
    }
    {
      // Creating an existing dossier again is also a conflict.
      auto uow = store.begin().value();
      std::vector<Event> again{submitted(code)};
      auto r = uow->write(appending(0, again, fold({}, again)));
      REQUIRE_FALSE(r);
      CHECK(r.error().code == ErrorCode::kConflict);
    }
    auto uow = store.begin().value();
    auto loaded = uow->load(code).value();
    REQUIRE(loaded);
    CHECK(loaded->dossier.version == 3);
    CHECK(loaded->events.back().to_state == "s3");
    soci::session sql(db->pool().connections);
    long long events = 0;
    sql << "SELECT COUNT(*) FROM dossier_events", soci::into(events);
    CHECK(events == 3);
  }
}

TEST_CASE("Dossier store rolls back everything a unit of work wrote unless it commits") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    SqlDossierStore store(db);
    {
      auto uow = store.begin().value();
      auto code =
          uow->allocate_code("000.00.14.H20", engine::LocalDate{std::chrono::year{2026} / 11 / 27});
      REQUIRE(code);
      CHECK(*code == "000.00.14.H20-261127-0001");
      std::vector<Event> events{submitted(*code)};
      engine::DossierWrite w = appending(0, events, fold({}, events));
      w.outbox.push_back(engine::OutboxMessage{"dossier.status", *code, "{}", instant(1795000000)});
      w.idempotency = engine::IdempotencyRecord{"k1", "h", "o", instant(1795000000)};
      REQUIRE(uow->write(w));
    }  // no commit
    soci::session sql(db->pool().connections);
    for (const char* table :
         {"dossiers", "dossier_events", "outbox", "idempotency_keys", "dossier_code_sequences"}) {
      CAPTURE(table);
      long long rows = -1;
      sql << std::string("SELECT COUNT(*) FROM ") + table, soci::into(rows);
      CHECK(rows == 0);
    }
  }
}

TEST_CASE("Dossier store keeps the first outcome of an idempotency key") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    SqlDossierStore store(db);
    {
      auto uow = store.begin().value();
      CHECK_FALSE(uow->find_idempotency("submit-42").value().has_value());
      engine::DossierWrite w;
      w.idempotency = engine::IdempotencyRecord{"submit-42", "req", "first", instant(1795000000)};
      REQUIRE(uow->write(w));
      REQUIRE(uow->commit());
    }
    auto uow = store.begin().value();
    engine::DossierWrite second;
    second.idempotency =
        engine::IdempotencyRecord{"submit-42", "req", "second", instant(1795000001)};
    auto again = uow->write(second);
    REQUIRE_FALSE(again);
    CHECK(again.error().code == ErrorCode::kConflict);
    uow.reset();
    auto fresh = store.begin().value();
    auto found = fresh->find_idempotency("submit-42").value();
    REQUIRE(found);
    CHECK(found->outcome == "first");
    CHECK(found->request_hash == "req");
    engine::DossierWrite empty_key;
    empty_key.idempotency = engine::IdempotencyRecord{"", "", "", {}};
    CHECK_FALSE(fresh->write(empty_key));
  }
}

TEST_CASE("Dossier codes are unique and gap-free under concurrent submissions") {
  for (const auto& url : test_database_urls()) {
    constexpr int kThreads = 6, kEach = 8;
    auto db = fresh_database(url, kThreads);
    CAPTURE(backend_name(*db));
    SqlDossierStore store(db);
    const engine::LocalDate day{std::chrono::year{2026} / 11 / 27};
    std::mutex mutex;
    std::vector<std::string> committed;
    std::vector<std::string> errors;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          auto uow = store.begin();
          if (!uow) {
            std::lock_guard lock(mutex);
            errors.push_back(describe(uow));
            continue;
          }
          auto code = (*uow)->allocate_code("000.00.14.H20", day);
          if (!code) {
            std::lock_guard lock(mutex);
            errors.push_back(describe(code));
            continue;
          }
          if ((t + i) % 3 == 0) continue;  // this submission fails: rolled back, its number reused
          std::vector<Event> events{submitted(*code)};
          auto ok = (*uow)->write(appending(0, events, fold({}, events)));
          if (ok) ok = (*uow)->commit();
          std::lock_guard lock(mutex);
          if (ok)
            committed.push_back(*code);
          else
            errors.push_back(describe(ok));
        }
      });
    }
    for (auto& t : threads) t.join();
    CHECK(errors.empty());
    if (!errors.empty()) MESSAGE(errors.front());
    std::set<std::string> unique(committed.begin(), committed.end());
    CHECK(unique.size() == committed.size());
    std::set<std::string> expected;
    for (std::size_t n = 1; n <= committed.size(); ++n) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "000.00.14.H20-261127-%04zu", n);
      expected.insert(buf);
    }
    CHECK(unique == expected);
    // Another agency and another day start at 0001.
    auto uow = store.begin().value();
    CHECK(uow->allocate_code("000.00.15.H20", day).value() == "000.00.15.H20-261127-0001");
    CHECK(uow->allocate_code("000.00.14.H20", engine::LocalDate{std::chrono::year{2026} / 11 / 28})
              .value() == "000.00.14.H20-261128-0001");
    CHECK_FALSE(uow->allocate_code("bad-agency", day));
  }
}

TEST_CASE("Attachments are stored once by SHA-256 and components record their provenance") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    SqlAttachmentStore attachments(db);
    std::string pdf = "%PDF-1.7\n";
    pdf += std::string("\0\x01\xff binary", 10);
    auto a = attachments.put(pdf, "application/pdf");
    REQUIRE_MESSAGE(a, describe(a));
    auto b = attachments.put(pdf, "application/pdf");
    REQUIRE(b);
    CHECK(*a == *b);
    auto back = attachments.get(*a);
    REQUIRE(back);
    CHECK(back->content == pdf);
    CHECK(back->size == static_cast<long long>(pdf.size()));
    CHECK(back->media_type == "application/pdf");
    soci::session sql(db->pool().connections);
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM attachments", soci::into(rows);
    CHECK(rows == 1);
    CHECK(attachments.get(std::string(64, '0')).error().code == ErrorCode::kNotFound);
    CHECK(attachments.put("x", "").error().code == ErrorCode::kInvalidInput);

    SqlDossierStore store(db);
    const std::string code = "000.00.14.H20-261127-0001";
    engine::Dossier d = create(store, code);
    {
      // A component citing an attachment that does not exist: nothing of the write is kept.
      auto uow = store.begin().value();
      std::vector<Event> next{moved("s1", "s2", 1795000100)};
      engine::DossierWrite w = appending(1, next, fold(d, next));
      w.components.push_back(
          engine::ComponentRecord{code, "x", std::string(64, '1'), false, "", false});
      CHECK(uow->write(w).error().code == ErrorCode::kNotFound);
    }
    auto uow = store.begin().value();
    std::vector<Event> next{moved("s1", "s2", 1795000100)};
    engine::DossierWrite w = appending(1, next, fold(d, next));
    w.components.push_back(engine::ComponentRecord{code, "don", *a, true, "", false});
    w.components.push_back(
        engine::ComponentRecord{code, "so-do", *a, false, "000.00.14.H20-250101-0003", true});
    REQUIRE(uow->write(w));
    REQUIRE(uow->commit());
    auto list = store.begin().value()->components(code).value();
    REQUIRE(list.size() == 2);
    CHECK(list[0].component_id == "don");
    CHECK(list[0].digitised);
    CHECK_FALSE(list[0].from_citizen_store);
    CHECK(list[1].reused_from == "000.00.14.H20-250101-0003");
    CHECK(list[1].from_citizen_store);
  }
}

}  // namespace motcua::store
