#pragma once
// The storage ports' contract (engine/ports/*.hpp), written once and run against every
// implementation: the in-memory store (tests/engine/port_contract_test.cpp) and the SQL adapters on
// SQLite and PostgreSQL (tests/store/port_contract_test.cpp). Each case takes a factory that calls
// its body with fresh, empty ports once per implementation it stands for:
//   MOTCUA_PORT_CONTRACT(each_memory_store)
// expands into one TEST_CASE per promise. Only what one process can observe is here; promises about
// concurrency across connections and processes stay in the SQL suites (dossier_store_test.cpp,
// process_test.cpp).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "engine/audit_chain.hpp"
#include "engine/ports/dossier_queries.hpp"
#include "engine/ports/dossier_store.hpp"
#include "engine/ports/procedure_versions.hpp"
#include "engine/ports/tracking_secrets.hpp"
#include "engine/state_machine.hpp"

namespace motcua::contract {

struct PortsUnderTest {
  engine::DossierStore* store = nullptr;
  engine::DossierQueries* queries = nullptr;
  engine::TrackingSecrets* secrets = nullptr;
  engine::ProcedureVersionRepository* versions = nullptr;
  // Rows of a table (SQL only, unset for the memory store): the "nothing was written" checks that
  // look past the ports, at tables no port reads.
  std::function<long long(const std::string& table)> rows;
};

// Calls its argument with fresh ports, once per implementation.
using PortsFactory = std::function<void(const std::function<void(PortsUnderTest&)>&)>;

inline engine::Instant at(long long seconds) {
  return engine::Instant{std::chrono::seconds{seconds}};
}

inline engine::Event submitted(const std::string& code) {
  engine::Event e;
  e.kind = engine::EventKind::kSubmitted;
  e.at = at(1795000000);
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

inline engine::Event moved(const std::string& from, const std::string& to, long long seconds) {
  engine::Event e;
  e.kind = engine::EventKind::kTransitioned;
  e.at = at(seconds);
  e.action = "accept";
  e.from_state = from;
  e.to_state = to;
  e.status = engine::StatusCode::kProcessing;
  e.agency_id = "000.00.14.H20";
  return e;
}

inline engine::Dossier fold(engine::Dossier d, const std::vector<engine::Event>& events) {
  for (const engine::Event& e : events) d = engine::evolve(std::move(d), e);
  return d;
}

// Appends `events` after `expected` stored events, with the projection they fold into.
inline engine::DossierWrite appending(std::int64_t expected, std::vector<engine::Event> events,
                                      engine::Dossier projection) {
  engine::DossierWrite w;
  w.expected_version = expected;
  w.events = std::move(events);
  w.projection = std::move(projection);
  return w;
}

inline std::unique_ptr<engine::UnitOfWork> begin(PortsUnderTest& p) {
  auto uow = p.store->begin();
  REQUIRE(uow);
  return std::move(*uow);
}

// Creates a dossier with `n` events in its own committed unit of work.
inline engine::Dossier create(PortsUnderTest& p, const std::string& code, int n = 1) {
  std::vector<engine::Event> events{submitted(code)};
  for (int i = 1; i < n; ++i)
    events.push_back(moved("s" + std::to_string(i), "s" + std::to_string(i + 1), 1795000000 + i));
  engine::Dossier d = fold({}, events);
  auto uow = begin(p);
  auto ok = uow->write(appending(0, events, d));
  REQUIRE_MESSAGE(ok, (ok ? std::string() : ok.error().message));
  REQUIRE(uow->commit());
  return d;
}

inline const engine::LocalDate kDay{std::chrono::year{2026} / 11 / 27};
inline constexpr const char* kCode = "000.00.14.H20-261127-0001";

inline void appends_events_and_loads_the_dossier_back(PortsUnderTest& p) {
  engine::Dossier d = create(p, kCode, 3);
  CHECK(d.version == 3);
  auto uow = begin(p);
  auto loaded = uow->load(kCode);
  REQUIRE(loaded);
  REQUIRE(loaded->has_value());
  CHECK((*loaded)->events.size() == 3);
  CHECK((*loaded)->dossier == d);
  CHECK((*loaded)->events[0].procedure_code == "1.001612");
  CHECK((*loaded)->head_hash.size() == 64);
  CHECK_FALSE(uow->load("000.00.14.H20-261127-0002").value().has_value());
  // The queries read the same dossier without a unit of work.
  auto read = p.queries->load(kCode);
  REQUIRE(read);
  REQUIRE(read->has_value());
  CHECK((*read)->dossier == d);
  CHECK_FALSE(p.queries->load("000.00.14.H20-261127-0002").value().has_value());
}

inline void refuses_a_stale_version_and_writes_nothing(PortsUnderTest& p) {
  engine::Dossier d = create(p, kCode, 2);
  {
    // Someone else moves the dossier on to version 3.
    auto uow = begin(p);
    std::vector<engine::Event> next{moved("s2", "s3", 1795000100)};
    REQUIRE(uow->write(appending(2, next, fold(d, next))));
    REQUIRE(uow->commit());
  }
  {
    // We still think it is at version 2.
    auto uow = begin(p);
    std::vector<engine::Event> mine{moved("s2", "refused", 1795000200)};
    auto r = uow->write(appending(2, mine, fold(d, mine)));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == engine::ErrorCode::kConflict);
  }
  {
    // Creating an existing dossier again is also a conflict.
    auto uow = begin(p);
    std::vector<engine::Event> again{submitted(kCode)};
    auto r = uow->write(appending(0, again, fold({}, again)));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == engine::ErrorCode::kConflict);
  }
  auto uow = begin(p);
  auto loaded = uow->load(kCode).value();
  REQUIRE(loaded);
  CHECK(loaded->dossier.version == 3);
  CHECK(loaded->events.size() == 3);
  CHECK(loaded->events.back().to_state == "s3");
  // One row per command: the creation (two events) and the move to s3, not the refused ones.
  if (p.rows) CHECK(p.rows("dossier_events") == 2);
}

inline void rolls_back_everything_unless_committed(PortsUnderTest& p) {
  {
    auto uow = begin(p);
    auto code = uow->allocate_code("000.00.14.H20", kDay);
    REQUIRE(code);
    CHECK(*code == kCode);
    std::vector<engine::Event> events{submitted(*code)};
    engine::DossierWrite w = appending(0, events, fold({}, events));
    w.outbox.push_back(engine::OutboxMessage{"dossier.status", *code, "{}", at(1795000000)});
    w.idempotency = engine::IdempotencyRecord{"k1", "h", "o", at(1795000000)};
    w.tracking_secret_sha256 = std::string(64, 'c');
    REQUIRE(uow->write(w));
    // Not visible before commit.
    CHECK_FALSE(p.queries->load(kCode).value().has_value());
    CHECK_FALSE(p.secrets->find(kCode).value().has_value());
  }  // no commit
  CHECK_FALSE(p.queries->load(kCode).value().has_value());
  CHECK_FALSE(p.secrets->find(kCode).value().has_value());
  auto uow = begin(p);
  CHECK_FALSE(uow->find_idempotency("k1").value().has_value());
  // The rolled-back code is handed out again.
  CHECK(uow->allocate_code("000.00.14.H20", kDay).value() == kCode);
  uow.reset();
  if (p.rows) {
    for (const char* table :
         {"dossiers", "dossier_events", "outbox", "idempotency_keys", "dossier_code_sequences"}) {
      CAPTURE(table);
      CHECK(p.rows(table) == 0);
    }
  }
}

inline void makes_a_write_visible_at_commit(PortsUnderTest& p) {
  auto uow = begin(p);
  std::vector<engine::Event> events{submitted(kCode)};
  engine::DossierWrite w = appending(0, events, fold({}, events));
  w.tracking_secret_sha256 = std::string(64, 'c');
  REQUIRE(uow->write(w));
  CHECK_FALSE(p.queries->load(kCode).value().has_value());
  REQUIRE(uow->commit());
  uow.reset();
  auto loaded = p.queries->load(kCode).value();
  REQUIRE(loaded);
  CHECK(loaded->dossier.version == 1);
  CHECK(p.secrets->find(kCode).value() == std::string(64, 'c'));
}

inline void writes_once_per_unit_of_work(PortsUnderTest& p) {
  engine::Dossier d = create(p, kCode, 1);
  auto uow = begin(p);
  std::vector<engine::Event> next{moved("s1", "s2", 1795000100)};
  REQUIRE(uow->write(appending(1, next, fold(d, next))));
  std::vector<engine::Event> more{moved("s2", "s3", 1795000200)};
  auto second = uow->write(appending(2, more, fold(fold(d, next), more)));
  REQUIRE_FALSE(second);
  CHECK(second.error().code == engine::ErrorCode::kInvalidInput);
}

inline void keeps_the_first_outcome_of_an_idempotency_key(PortsUnderTest& p) {
  {
    auto uow = begin(p);
    CHECK_FALSE(uow->find_idempotency("submit-42").value().has_value());
    engine::DossierWrite w;
    w.idempotency = engine::IdempotencyRecord{"submit-42", "req", "first", at(1795000000)};
    REQUIRE(uow->write(w));
    REQUIRE(uow->commit());
  }
  auto uow = begin(p);
  engine::DossierWrite second;
  second.idempotency = engine::IdempotencyRecord{"submit-42", "req", "second", at(1795000001)};
  auto again = uow->write(second);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == engine::ErrorCode::kConflict);
  uow.reset();
  auto fresh = begin(p);
  auto found = fresh->find_idempotency("submit-42").value();
  REQUIRE(found);
  CHECK(found->outcome == "first");
  CHECK(found->request_hash == "req");
  engine::DossierWrite empty_key;
  empty_key.idempotency = engine::IdempotencyRecord{"", "", "", {}};
  CHECK_FALSE(fresh->write(empty_key));
}

inline std::string code_number(const std::string& agency, const char* day, int n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", n);
  return agency + "-" + day + "-" + buf;
}

inline void allocates_gap_free_codes_per_agency_and_day(PortsUnderTest& p) {
  // Every third unit of work rolls back: its number goes to the next one.
  std::vector<std::string> committed;
  for (int i = 0; i < 9; ++i) {
    auto uow = begin(p);
    auto code = uow->allocate_code("000.00.14.H20", kDay);
    REQUIRE(code);
    if (i % 3 == 0) continue;
    std::vector<engine::Event> events{submitted(*code)};
    REQUIRE(uow->write(appending(0, events, fold({}, events))));
    REQUIRE(uow->commit());
    committed.push_back(*code);
  }
  std::vector<std::string> expected;
  for (int n = 1; n <= 6; ++n) expected.push_back(code_number("000.00.14.H20", "261127", n));
  CHECK(committed == expected);
  // Another agency and another day start at 0001.
  auto uow = begin(p);
  CHECK(uow->allocate_code("000.00.15.H20", kDay).value() == "000.00.15.H20-261127-0001");
  CHECK(uow->allocate_code("000.00.14.H20", engine::LocalDate{std::chrono::year{2026} / 11 / 28})
            .value() == "000.00.14.H20-261128-0001");
  auto bad = uow->allocate_code("bad-agency", kDay);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == engine::ErrorCode::kInvalidInput);
  CHECK(uow->allocate_code("", kDay).error().code == engine::ErrorCode::kInvalidInput);
}

inline void refuses_the_ten_thousandth_code_of_a_day(PortsUnderTest& p) {
  auto uow = begin(p);
  std::string last;
  for (int n = 1; n <= 9999; ++n) {
    auto code = uow->allocate_code("000.00.14.H20", kDay);
    if (!code) break;  // one CHECK below rather than 9999 assertions
    last = *code;
  }
  CHECK(last == "000.00.14.H20-261127-9999");
  auto over = uow->allocate_code("000.00.14.H20", kDay);
  REQUIRE_FALSE(over);
  CHECK(over.error().code == engine::ErrorCode::kOutOfRange);
}

inline void stores_the_tracking_secret_once(PortsUnderTest& p) {
  CHECK_FALSE(p.secrets->find(kCode).value().has_value());
  auto uow = begin(p);
  std::vector<engine::Event> events{submitted(kCode)};
  engine::DossierWrite w = appending(0, events, fold({}, events));
  w.tracking_secret_sha256 = std::string(64, 'a');
  REQUIRE(uow->write(w));
  REQUIRE(uow->commit());
  CHECK(p.secrets->find(kCode).value() == std::string(64, 'a'));
  CHECK_FALSE(p.secrets->find("000.00.14.H20-261127-0002").value().has_value());
  // A second secret for the dossier is a conflict, and the first stays.
  engine::Dossier d = fold({}, events);
  std::vector<engine::Event> next{moved("s1", "s2", 1795000100)};
  engine::DossierWrite again = appending(1, next, fold(d, next));
  again.tracking_secret_sha256 = std::string(64, 'b');
  auto conflict = begin(p)->write(again);
  REQUIRE_FALSE(conflict);
  CHECK(conflict.error().code == engine::ErrorCode::kConflict);
  CHECK(p.secrets->find(kCode).value() == std::string(64, 'a'));
  // A malformed hash is refused.
  for (const std::string& bad :
       {std::string(63, 'a'), std::string(64, 'A'), std::string(64, 'g')}) {
    std::vector<engine::Event> other{submitted("000.00.14.H20-261127-0002")};
    engine::DossierWrite m = appending(0, other, fold({}, other));
    m.tracking_secret_sha256 = bad;
    auto refused = begin(p)->write(m);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == engine::ErrorCode::kInvalidInput);
  }
}

inline engine::ProcedureVersionRecord procedure_version(int version, std::string definition) {
  std::string hash = engine::to_hex(engine::sha256(definition).value());
  return engine::ProcedureVersionRecord{"1.001612", version, hash, std::move(definition),
                                        at(1795000000)};
}

inline void stores_procedure_versions_that_never_change(PortsUnderTest& p) {
  engine::ProcedureVersionRepository& repo = *p.versions;
  const std::string v1 = "<procedure code=\"1.001612\">Đăng ký kinh doanh</procedure>";
  REQUIRE(repo.save(procedure_version(1, v1)));
  CHECK(repo.save(procedure_version(1, v1)));  // same: no-op
  auto changed = repo.save(procedure_version(1, "<procedure>changed</procedure>"));
  REQUIRE_FALSE(changed);
  CHECK(changed.error().code == engine::ErrorCode::kConflict);
  auto wrong_hash = procedure_version(2, "<v2/>");
  wrong_hash.hash = std::string(64, '0');
  CHECK(repo.save(wrong_hash).error().code == engine::ErrorCode::kInvalidInput);
  REQUIRE(repo.save(procedure_version(2, "<v2/>")));

  auto found = repo.find("1.001612", 1);
  REQUIRE(found);
  CHECK(found->definition == v1);
  CHECK(found->hash == procedure_version(1, found->definition).hash);
  CHECK(repo.latest("1.001612").value().version == 2);
  CHECK(repo.find("1.001612", 3).error().code == engine::ErrorCode::kNotFound);
  CHECK(repo.latest("9.999999").error().code == engine::ErrorCode::kNotFound);
}

inline engine::WorkItem work_item(const std::string& code, const std::string& branch,
                                  const std::string& role, std::optional<long long> due) {
  engine::WorkItem w{code, branch,       "000.00.14.H20",
                     role, std::nullopt, engine::DeadlineMark::kNone};
  if (due) w.due = at(*due);
  return w;
}

// Creates a dossier with its work items in one committed unit of work.
inline engine::Dossier create_with_items(PortsUnderTest& p, const std::string& code,
                                         std::vector<engine::WorkItem> items) {
  std::vector<engine::Event> events{submitted(code)};
  engine::Dossier d = fold({}, events);
  engine::DossierWrite w = appending(0, events, d);
  w.work_items = std::move(items);
  auto uow = begin(p);
  auto ok = uow->write(w);
  REQUIRE_MESSAGE(ok, (ok ? std::string() : ok.error().message));
  REQUIRE(uow->commit());
  return d;
}

inline std::vector<std::string> branches(const std::vector<engine::WorkItem>& items) {
  std::vector<std::string> out;
  for (const engine::WorkItem& w : items) out.push_back(w.branch);
  return out;
}

inline void claims_deadlines_earliest_first_and_replaces_items_keeping_marks(PortsUnderTest& p) {
  const long long t = 1795100000;
  engine::Dossier d = create_with_items(
      p, kCode,
      {work_item(kCode, "", "officer", t + 300), work_item(kCode, "fire", "consultee", t + 100),
       work_item(kCode, "land", "consultee", t + 200),
       work_item(kCode, "wait", "applicant", std::nullopt)});
  {
    auto uow = begin(p);
    auto due = uow->claim_deadlines(at(t + 200), engine::DeadlineMark::kOverdue, 10);
    REQUIRE(due);
    CHECK(branches(*due) == std::vector<std::string>{"fire", "land"});
    CHECK(branches(uow->claim_deadlines(at(t + 300), engine::DeadlineMark::kOverdue, 1).value()) ==
          std::vector<std::string>{"fire"});
    engine::DossierWrite marks;
    marks.marks.push_back(
        engine::DeadlineMarkChange{kCode, "fire", engine::DeadlineMark::kOverdue});
    marks.outbox.push_back(engine::OutboxMessage{"dossier.deadline", kCode, "{}", at(t + 200)});
    REQUIRE(uow->write(marks));
    REQUIRE(uow->commit());
  }
  {
    // An item marked overdue is no longer claimed; the others still are.
    auto uow = begin(p);
    CHECK(branches(uow->claim_deadlines(at(t + 200), engine::DeadlineMark::kOverdue, 10).value()) ==
          std::vector<std::string>{"land"});
    CHECK(branches(uow->claim_deadlines(at(t + 200), engine::DeadlineMark::kDueSoon, 10).value()) ==
          std::vector<std::string>{"land"});
    // Marking an item that does not exist writes nothing.
    engine::DossierWrite ghost;
    ghost.marks.push_back(
        engine::DeadlineMarkChange{kCode, "ghost", engine::DeadlineMark::kOverdue});
    auto refused = uow->write(ghost);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == engine::ErrorCode::kNotFound);
  }
  {
    // Replacing the items: same branch and due date keeps its mark, a new due date starts at none,
    // items not listed are removed.
    auto uow = begin(p);
    std::vector<engine::Event> next{moved("s1", "s2", t)};
    engine::DossierWrite w = appending(1, next, fold(d, next));
    w.work_items = {work_item(kCode, "fire", "consultee", t + 100),
                    work_item(kCode, "land", "consultee", t + 900)};
    REQUIRE(uow->write(w));
    REQUIRE(uow->commit());
  }
  auto queue = p.queries->work_queue("000.00.14.H20", "consultee", 10, 0);
  REQUIRE(queue);
  REQUIRE(queue->size() == 2);
  CHECK((*queue)[0].item.branch == "fire");
  CHECK((*queue)[0].item.mark == engine::DeadlineMark::kOverdue);
  CHECK((*queue)[1].item.branch == "land");
  CHECK((*queue)[1].item.mark == engine::DeadlineMark::kNone);
  CHECK((*queue)[1].item.due == at(t + 900));
  CHECK(p.queries->work_queue("000.00.14.H20", "officer", 10, 0).value().empty());
  CHECK(p.queries->work_queue("000.00.14.H20", "applicant", 10, 0).value().empty());
}

inline void lists_a_work_queue_in_due_order_by_pages(PortsUnderTest& p) {
  const long long t = 1795100000;
  const std::string a = kCode, b = "000.00.14.H20-261127-0002";
  create_with_items(p, a, {work_item(a, "", "officer", t + 200)});
  create_with_items(
      p, b,
      {work_item(b, "", "officer", t + 100), work_item(b, "x", "officer", std::nullopt),
       work_item(b, "y", "consultee", t)});
  auto all = p.queries->work_queue("000.00.14.H20", "officer", 1000, 0);
  REQUIRE(all);
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].item.dossier_code == b);
  CHECK((*all)[1].item.dossier_code == a);
  CHECK((*all)[2].item.branch == "x");
  CHECK_FALSE((*all)[2].item.due);
  CHECK((*all)[0].version == 1);
  CHECK((*all)[0].procedure_code == "1.001612");
  CHECK((*all)[0].procedure_version == 1);
  CHECK((*all)[0].state == "tiếp-nhận");
  CHECK((*all)[0].status == engine::StatusCode::kSubmitted);
  CHECK((*all)[0].submitted_at == at(1795000000));
  CHECK_FALSE((*all)[0].overdue);
  CHECK_FALSE((*all)[0].due_soon);
  auto first = p.queries->work_queue("000.00.14.H20", "officer", 2, 0).value();
  REQUIRE(first.size() == 2);
  CHECK(first[1].item.dossier_code == a);
  auto rest = p.queries->work_queue("000.00.14.H20", "officer", 2, 2).value();
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].item.branch == "x");
  CHECK(p.queries->work_queue("000.00.14.H20", "officer", 2, 5).value().empty());
  CHECK(p.queries->work_queue("000.00.99.H20", "officer", 10, 0).value().empty());
  for (auto [agency, role, limit] :
       {std::tuple{"", "officer", 10}, std::tuple{"x", "", 10}, std::tuple{"x", "officer", 0},
        std::tuple{"x", "officer", 1001}}) {
    auto bad = p.queries->work_queue(agency, role, limit, 0);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == engine::ErrorCode::kInvalidInput);
  }
}

inline engine::StoredDocument document(const std::string& code, const std::string& id,
                                       const std::string& xml, long long issued) {
  engine::DocumentRecord r{code,
                           id,
                           "receipt",
                           engine::to_hex(engine::sha256(xml).value()),
                           "application/xml",
                           "000.00.14.H20",
                           "desk",
                           at(issued)};
  return engine::StoredDocument{r, xml};
}

inline void stores_documents_once_and_views_a_dossier_in_one_read(PortsUnderTest& p) {
  engine::Dossier d = create(p, kCode, 2);
  {
    auto uow = begin(p);
    std::vector<engine::Event> next{moved("s2", "s3", 1795000100)};
    engine::DossierWrite w = appending(2, next, fold(d, next));
    w.documents = {document(kCode, "receipt-1", "<receipt/>", 1795000100),
                   document(kCode, "result-1", "<result/>", 1795000200)};
    REQUIRE(uow->write(w));
    REQUIRE(uow->commit());
    d = fold(d, next);
  }
  auto listed = p.queries->documents(kCode);
  REQUIRE(listed);
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].document_id == "receipt-1");
  CHECK((*listed)[1].document_id == "result-1");
  CHECK((*listed)[0].sha256 == document(kCode, "receipt-1", "<receipt/>", 0).record.sha256);
  CHECK(begin(p)->documents(kCode).value().size() == 2);
  auto one = p.queries->document(kCode, "result-1");
  REQUIRE(one);
  REQUIRE(one->has_value());
  CHECK((*one)->content == "<result/>");
  CHECK((*one)->record.issued_at == at(1795000200));
  CHECK_FALSE(p.queries->document(kCode, "nothing").value().has_value());
  CHECK(p.queries->documents("000.00.14.H20-261127-0002").value().empty());
  {
    // The same id again is a conflict; bytes that do not match their sha256 are refused.
    auto uow = begin(p);
    engine::DossierWrite again;
    again.documents = {document(kCode, "receipt-1", "<other/>", 1795000300)};
    auto conflict = uow->write(again);
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error().code == engine::ErrorCode::kConflict);
  }
  {
    auto uow = begin(p);
    engine::DossierWrite forged;
    forged.documents = {document(kCode, "receipt-2", "<receipt/>", 1795000300)};
    forged.documents[0].content = "<forged/>";
    auto refused = uow->write(forged);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == engine::ErrorCode::kInvalidInput);
  }
  auto view = p.queries->view(kCode);
  REQUIRE(view);
  REQUIRE(view->has_value());
  CHECK((*view)->stored.dossier == d);
  CHECK((*view)->stored.events.size() == 3);
  CHECK((*view)->stored.events[0].code == kCode);
  CHECK((*view)->form == (*view)->stored.events[0].form);
  CHECK((*view)->components.empty());
  REQUIRE((*view)->documents.size() == 2);
  CHECK((*view)->documents[1].document_id == "result-1");
  CHECK_FALSE(p.queries->view("000.00.14.H20-261127-0002").value().has_value());
}

}  // namespace motcua::contract

// One TEST_CASE per promise, each run on every implementation `factory` stands for.
#define MOTCUA_PORT_CONTRACT_CASE(factory, label, body)              \
  TEST_CASE(label) {                                                 \
    factory([](::motcua::contract::PortsUnderTest& p) { body(p); }); \
  }

#define MOTCUA_PORT_CONTRACT(factory, prefix)                                                   \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work appends events and loads them back", \
                            ::motcua::contract::appends_events_and_loads_the_dossier_back)      \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work refuses a stale version",            \
                            ::motcua::contract::refuses_a_stale_version_and_writes_nothing)     \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work rolls back unless it commits",       \
                            ::motcua::contract::rolls_back_everything_unless_committed)         \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work makes its write visible at commit",  \
                            ::motcua::contract::makes_a_write_visible_at_commit)                \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work writes once",                        \
                            ::motcua::contract::writes_once_per_unit_of_work)                   \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work keeps an idempotency key's first",   \
                            ::motcua::contract::keeps_the_first_outcome_of_an_idempotency_key)  \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work allocates gap-free codes",           \
                            ::motcua::contract::allocates_gap_free_codes_per_agency_and_day)    \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " unit of work refuses the 10000th code of a day",  \
                            ::motcua::contract::refuses_the_ten_thousandth_code_of_a_day)       \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " tracking secrets are stored once",                \
                            ::motcua::contract::stores_the_tracking_secret_once)                \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " procedure versions never change",                 \
                            ::motcua::contract::stores_procedure_versions_that_never_change)    \
  MOTCUA_PORT_CONTRACT_CASE(                                                                    \
      factory, prefix " unit of work claims deadlines and replaces work items keeping marks",   \
      ::motcua::contract::claims_deadlines_earliest_first_and_replaces_items_keeping_marks)     \
  MOTCUA_PORT_CONTRACT_CASE(factory, prefix " queries list a work queue in due order by pages", \
                            ::motcua::contract::lists_a_work_queue_in_due_order_by_pages)       \
  MOTCUA_PORT_CONTRACT_CASE(                                                                    \
      factory, prefix " documents are stored once and viewed",                                  \
      ::motcua::contract::stores_documents_once_and_views_a_dossier_in_one_read)
