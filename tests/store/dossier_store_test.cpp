// The SQL dossier store beyond the ports' contract (tests/store/contract/port_contract.hpp, run
// here by port_contract_test.cpp): codes allocated by threads on several connections at once,
// claims skipped while another unit of work holds them, and attachments with the components citing
// them (the memory store models none of these).
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "store/sql_attachment_store.hpp"
#include "store/sql_dossier_store.hpp"
#include "tests/store/contract/port_contract.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store {
using namespace testing;
using contract::appending;
using contract::fold;
using contract::moved;
using contract::submitted;
using engine::ErrorCode;
using engine::Event;

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

// SQL-only: two open units of work in one process. SQLite serialises them at begin() (the write
// lock), so only PostgreSQL shows the skip: a claimed item is not claimed again until its unit of
// work ends.
TEST_CASE("Dossier store on PostgreSQL skips deadlines another open unit of work claimed") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    if (db->backend() != Backend::kPostgresql) continue;
    SqlDossierStore store(db);
    contract::PortsUnderTest ports;
    ports.store = &store;
    const std::string code = contract::kCode;
    contract::create_with_items(ports, code,
                                {contract::work_item(code, "fire", "consultee", 1795100100),
                                 contract::work_item(code, "land", "consultee", 1795100200)});
    const auto due_by = contract::at(1795100300);
    auto first = store.begin().value();
    auto claimed = first->claim_deadlines(due_by, engine::DeadlineMark::kOverdue, 1);
    REQUIRE(claimed);
    REQUIRE(claimed->size() == 1);
    CHECK(claimed->front().branch == "fire");
    {
      auto second = store.begin().value();
      auto rest = second->claim_deadlines(due_by, engine::DeadlineMark::kOverdue, 10);
      REQUIRE(rest);
      REQUIRE(rest->size() == 1);
      CHECK(rest->front().branch == "land");
    }
    first.reset();  // rolled back: its claim ends
    auto third = store.begin().value();
    CHECK(third->claim_deadlines(due_by, engine::DeadlineMark::kOverdue, 10).value().size() == 2);
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
    contract::PortsUnderTest ports;
    ports.store = &store;
    const std::string code = "000.00.14.H20-261127-0001";
    engine::Dossier d = contract::create(ports, code);
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
