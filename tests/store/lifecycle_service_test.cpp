// The lifecycle service on each database end to end (one smoke from submission to the returned
// result) and codes allocated by two services on one database at once. The service's own logic
// (stale versions, idempotency, tracking secrets, deadline marks) is tested without SQL in
// tests/engine/lifecycle_service_test.cpp; the ports it relies on are the contract in
// tests/store/contract/port_contract.hpp.
#include <set>
#include <thread>

#include "engine/deadline_scheduler.hpp"
#include "store/identity_store.hpp"
#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store {
using namespace testing;
using engine::ErrorCode;
using engine::StatusCode;
using std::chrono::days;
using std::chrono::hours;

TEST_CASE("Lifecycle service takes a construction permit from submission to the returned result") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    engine::SubmitRequest request = good_submission(w);
    engine::Outcome submitted = submit_ok(w, request);
    engine::Dossier d = submitted.dossier;
    CHECK(d.code == std::string(kCentreId) + "-261123-0001");
    CHECK(d.status == StatusCode::kSubmitted);
    CHECK(d.version == 1);
    CHECK(d.procedure_hash.size() == 64);
    REQUIRE(submitted.components.size() == 2);
    CHECK(submitted.components[1].component_id == "design-drawings");
    CHECK(submitted.components[1].digitised);

    // Accept at the desk: the receipt carries the code, the components and the due date.
    w.clock->advance(hours(1));
    auto accepted = w.service->act(action(d, "accept", officer("desk")));
    REQUIRE_MESSAGE(accepted, describe(accepted));
    d = accepted->dossier;
    CHECK(d.state == "appraisal");
    CHECK(d.status == StatusCode::kProcessing);
    REQUIRE(d.due);
    // A detached house: 15 calendar days (1.013225 by work type), counted from Tue 24 Nov.
    CHECK(engine::format_instant(*d.due, 420) == "2026-12-08T17:00:00+07:00");
    CHECK(accepted->components.size() == 2);

    // Appraisal asks once for everything missing, within the supplement window.
    w.clock->advance(days(1));
    auto ask = action(d, "request-supplement", officer("officer"));
    ask.reason = "Bản vẽ thiếu mặt cắt chính";
    ask.components = {"design-drawings"};
    d = act_ok(w, ask);
    CHECK(d.status == StatusCode::kSupplementRequested);
    CHECK(d.supplement_requests == 1);

    // The supplement arrives at the desk, scanned: the clock restarts from zero.
    w.clock->advance(days(1));
    auto received = action(d, "supplement-received", officer("desk"));
    const std::string new_drawings = put(w, "%PDF bản vẽ đầy đủ");
    received.attachments = {{"design-drawings", new_drawings, true, "", false}};
    d = act_ok(w, received);
    CHECK(d.status == StatusCode::kProcessing);
    CHECK(*d.due > *accepted->dossier.due);

    // Consultation: both agencies at once, each with its own deadline and work queue.
    w.clock->advance(days(1));
    d = act_ok(w, action(d, "consult", officer("officer")));
    REQUIRE(d.branches.size() == 2);
    auto fire_queue = w.service->work_queue(kFireId, "consultee");
    REQUIRE_MESSAGE(fire_queue, describe(fire_queue));
    REQUIRE(fire_queue->size() == 1);
    CHECK(fire_queue->front().item.branch == "fire-safety");
    CHECK(fire_queue->front().item.due == d.branches[0].due);
    CHECK(fire_queue->front().version == d.version);
    CHECK_FALSE(fire_queue->front().overdue);
    auto land_queue = w.service->work_queue(kLandId, "consultee").value();
    REQUIRE(land_queue.size() == 1);
    CHECK(land_queue.front().item.branch == "land-use");

    auto answer = action(d, "respond", officer("consultee"));
    answer.branch = "fire-safety";
    answer.answer = "Đạt yêu cầu PCCC";
    d = act_ok(w, answer);
    CHECK(w.service->work_queue(kFireId, "consultee").value().empty());

    // The land office stays silent past its 12 days: the scheduler records consent.
    w.clock->advance(days(13));
    CHECK(w.service->work_queue(kLandId, "consultee").value().front().overdue);
    engine::DeadlineScheduler scheduler(*w.service);
    auto report = scheduler.run_once();
    REQUIRE_MESSAGE(report, describe(report));
    CHECK(report->overdue == 1);
    CHECK(report->consented == 1);
    d = w.service->view(d.code).value().stored.dossier;
    CHECK(d.state == "decision");
    REQUIRE(d.slip.size() == 6);
    CHECK(d.slip[4].state == "consultation");

    // The leader apologises once, more than a working day before the deadline, then approves.
    auto sorry = action(d, "apologise", officer("leader"));
    sorry.reason = "Cần thêm thời gian kiểm tra thực địa";
    sorry.new_due = *d.due + days(3);
    d = act_ok(w, sorry);
    CHECK(d.redated);
    sorry.expected_version = d.version;
    sorry.new_due = *d.due + days(3);
    auto twice = w.service->act(sorry);
    REQUIRE_FALSE(twice);
    CHECK(twice.error().code == ErrorCode::kAlreadyDone);

    auto approve = action(d, "approve", officer("leader"));
    approve.signed_by_actor = true;
    d = act_ok(w, approve);
    CHECK(d.status == StatusCode::kResolved);
    CHECK(d.has_result);
    CHECK(d.verdict == engine::Verdict::kEarly);
    auto desk_queue = w.service->work_queue(kCentreId, "desk").value();
    REQUIRE(desk_queue.size() == 1);
    CHECK_FALSE(desk_queue.front().item.due);  // the clock stopped at resolution
    d = act_ok(w, action(d, "return", officer("desk")));
    CHECK(d.status == StatusCode::kResultReturned);
    CHECK(w.service->work_queue(kCentreId, "desk").value().empty());

    // The stored dossier is the fold of its events; the control slip lists every hand-over.
    auto view = w.service->view(d.code);
    REQUIRE_MESSAGE(view, describe(view));
    CHECK(view->stored.dossier == d);
    CHECK(view->form == request.form);
    REQUIRE(view->components.size() == 2);
    CHECK(view->components[1].attachment_sha256 == new_drawings);
    std::vector<std::string> slip;
    for (const engine::SlipRow& row : d.slip) slip.push_back(row.state);
    CHECK(slip == std::vector<std::string>{"submitted", "appraisal", "supplement-requested",
                                           "appraisal", "consultation", "decision", "resolved",
                                           "returned"});
    CHECK(d.slip[1].agency_id == kPpcId);
    CHECK(d.slip[1].left);
    // Status notifications: 1, 4, 5, 4, 9, 10; one deadline notice.
    CHECK(count_rows(*w.db, "outbox WHERE topic = 'dossier.status'") == 6);
    CHECK(count_rows(*w.db, "outbox WHERE topic = 'dossier.deadline'") == 1);
    CHECK(count_rows(*w.db, "procedure_versions") == 1);
    check_chains(w.db);
  }
}

TEST_CASE("Lifecycle service allocates unique, gap-free codes to concurrent submissions") {
  for (const auto& url : test_database_urls()) {
    World first = world_on(url);
    CAPTURE(backend_name(*first.db));
    // A second "server": its own connection pool and service on the same database.
    auto db2 = Database::open(first.db->url(), 4);
    REQUIRE(db2);
    auto second = make_world(*db2, monday_morning());
    REQUIRE(second);
    const engine::SubmitRequest r = good_submission(first);
    constexpr int kThreads = 4, kEach = 10;
    std::mutex mutex;
    std::set<std::string> codes;
    std::vector<std::string> errors;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        World& w = t % 2 == 0 ? first : *second;
        for (int i = 0; i < kEach; ++i) {
          auto out = w.service->submit(r);
          std::lock_guard lock(mutex);
          if (out)
            codes.insert(out->dossier.code);
          else
            errors.push_back(describe(out));
        }
      });
    }
    for (auto& t : threads) t.join();
    const std::string first_error = errors.empty() ? "" : errors.front();
    for (const auto& e : errors) std::fprintf(stderr, "submit failed: %s\n", e.c_str());
    CHECK(errors.empty());
    REQUIRE(codes.size() == kThreads * kEach);
    int n = 0;
    for (const std::string& code : codes) {
      char expected[16];
      std::snprintf(expected, sizeof expected, "%04d", ++n);
      CHECK(code == std::string(kCentreId) + "-261123-" + expected);
    }
    check_chains(first.db);
  }
}

}  // namespace motcua::store
