// The lifecycle service on the in-memory ports (tests/engine/memory_store.hpp): idempotency,
// replays, conflict retries, documents issued inside the unit of work, the officer's role and
// participation, agencies from the organisation, and the command's budget of transactions and
// folds. No SQL: the adapters' contract tests are in tests/store.
#include "engine/lifecycle_service.hpp"

#include <doctest/doctest.h>

#include "engine/audit_chain.hpp"
#include "engine/deadline_scheduler.hpp"
#include "engine/document_issuer.hpp"
#include "tests/engine/memory_store.hpp"
#include "tests/engine/shipped_catalog.hpp"

namespace motcua::engine::testing {
namespace {

constexpr const char* kCentre = "000.21.14.H57";  // commune-centre: the receiving desk
constexpr const char* kPpc = "000.20.14.H57";     // commune-ppc: officer and leader
constexpr const char* kFire = "000.00.45.H57";
constexpr const char* kLand = "000.22.14.H57";
constexpr const char* kPermit = "1.013225";

class FakeIssuer final : public DocumentIssuer {
 public:
  Result<IssuedDocument> issue_receipt(const Procedure&, const Dossier& dossier,
                                       const ReceiptRequest& request) const override {
    if (refuse) return fail(ErrorCode::kNotFound, "no key for the desk");
    receipts_components = request.components.size();
    receipt_provisional = request.due_provisional;
    return document(DocumentKind::kReceipt, "receipt-" + dossier.code, "<receipt/>");
  }
  Result<IssuedDocument> issue_result(const Procedure&, const Dossier& dossier,
                                      const ResultDocument& result,
                                      const ResultRequest&) const override {
    return document(DocumentKind::kResult, "result-" + dossier.code + "-" + result.id, "<result/>");
  }
  bool refuse = false;
  mutable std::size_t receipts_components = 0;
  mutable std::vector<LocalDate> receipt_provisional;

 private:
  static IssuedDocument document(DocumentKind kind, std::string id, std::string xml) {
    IssuedDocument d{kind,    std::move(id), "application/xml", xml, to_hex(*sha256(xml)),
                     kCentre, "desk"};
    return d;
  }
};

struct Fixture {
  std::shared_ptr<MemoryStore> store = std::make_shared<MemoryStore>();
  std::shared_ptr<ManualClock> clock =
      std::make_shared<ManualClock>(parse_instant("2026-11-23T09:00:00+07:00").value());
  std::shared_ptr<FakeIssuer> issuer = std::make_shared<FakeIssuer>();
  std::unique_ptr<LifecycleService> service;

  explicit Fixture(std::shared_ptr<const LegalRuleBook> rules = nullptr) {
    store->set_agencies({{"commune-centre", kCentre},
                         {"commune-ppc", kPpc},
                         {"fire-police", kFire},
                         {"land-office", kLand},
                         {"elsewhere", "000.99.99.H57"}});  // no agency of the permit
    LifecycleDeps deps;
    deps.procedures = shipped_procedures().value();
    deps.versions = store;
    deps.calendar = shipped_calendar().value();
    deps.store = store;
    deps.queries = store;
    deps.clock = clock;
    deps.issuer = issuer;
    deps.organisation = store;
    deps.tracking = store;
    deps.rules = std::move(rules);
    service = LifecycleService::create(std::move(deps)).value();
  }

  SubmitRequest submission() const {
    SubmitRequest r;
    r.procedure_code = kPermit;
    r.form = permit_form();
    r.components = {{"application", std::string(64, 'a'), false, "", false},
                    {"design-drawings", std::string(64, 'b'), true, "", false}};
    r.actor = Actor{ActorKind::kApplicant, "anonymous", "", "applicant"};
    return r;
  }

  Dossier submit() {
    auto out = service->submit(submission());
    const std::string why = out ? "" : out.error().message;
    REQUIRE_MESSAGE(out.has_value(), why);
    return out->dossier;
  }

  // An officer's action with every role they hold; the service chooses among them.
  ActionRequest officer_action(const Dossier& d, std::string action, std::string agency,
                               std::vector<std::string> roles) const {
    ActionRequest r;
    r.dossier_code = d.code;
    r.expected_version = d.version;
    r.action = std::move(action);
    r.actor = Actor{ActorKind::kOfficer, "cb", std::move(agency), ""};
    r.roles = std::move(roles);
    return r;
  }

  Dossier act(const ActionRequest& r) {
    auto out = service->act(r);
    const std::string why = out ? "" : r.action + ": " + out.error().message;
    REQUIRE_MESSAGE(out.has_value(), why);
    return out->dossier;
  }

  Dossier accepted() { return act(officer_action(submit(), "accept", kCentre, {"desk"})); }
};

}  // namespace

TEST_CASE("Lifecycle service resolves agencies through the organisation and stores the form once") {
  Fixture f;
  const Dossier d = f.submit();
  CHECK(d.code == std::string(kCentre) + "-261123-0001");
  CHECK(d.agency_ids.at("commune-ppc") == kPpc);
  CHECK(d.agency_ids.at("fire-police") == kFire);
  CHECK(d.agency_ids.count("elsewhere") == 0);
  CHECK(f.store->organisation_reads() == 1);
  auto view = f.service->view(d.code);
  REQUIRE(view);
  CHECK(view->form == f.submission().form);
  CHECK(view->stored.events.front().form == f.submission().form);
  CHECK(view->components.size() == 2);
  // The request's own ids win over the organisation's.
  SubmitRequest other = f.submission();
  other.agency_ids["commune-ppc"] = "000.20.99.H57";
  auto second = f.service->submit(other);
  REQUIRE(second);
  CHECK(second->dossier.agency_ids.at("commune-ppc") == "000.20.99.H57");
}

TEST_CASE("Lifecycle service refuses a submission without touching the store or using a code") {
  Fixture f;
  SubmitRequest bad = f.submission();
  bad.actor = Actor{ActorKind::kOfficer, "cb", kPpc, "officer"};  // not the receiving desk
  const long before = f.store->transactions();
  auto refused = f.service->submit(bad);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kForbidden);
  CHECK(f.store->transactions() == before);
  // A submission whose commit fails every attempt rolls its code back.
  f.store->fail_commits(100);
  auto lost = f.service->submit(f.submission());
  REQUIRE_FALSE(lost);
  CHECK(lost.error().code == ErrorCode::kConflict);
  f.store->fail_commits(0);
  CHECK(f.submit().code == std::string(kCentre) + "-261123-0001");
}

TEST_CASE("Lifecycle service replays an idempotent command and refuses the key for another one") {
  Fixture f;
  SubmitRequest r = f.submission();
  r.idempotency_key = "submit-1";
  r.tracking_secret_sha256 = std::string(64, 'c');
  auto first = f.service->submit(r);
  REQUIRE(first);
  CHECK_FALSE(first->replayed);
  CHECK(**f.store->find(first->dossier.code) == std::string(64, 'c'));  // in the same transaction
  f.clock->advance(std::chrono::hours(2));
  r.tracking_secret_sha256 = std::string(64, 'd');  // a retry's fresh secret is not stored
  auto again = f.service->submit(r);
  REQUIRE(again);
  CHECK(again->replayed);
  CHECK(again->dossier == first->dossier);
  CHECK(again->events == first->events);
  CHECK(f.store->footprint().at("dossiers") == 1);
  CHECK(**f.service->tracking_secret(first->dossier.code) == std::string(64, 'c'));
  CHECK(**f.store->find(first->dossier.code) == std::string(64, 'c'));
  r.form["storeys"] = "4";
  auto other = f.service->submit(r);
  REQUIRE_FALSE(other);
  CHECK(other.error().code == ErrorCode::kConflict);

  // An action retried at once (the client never saw the first answer) changes nothing.
  ActionRequest accept = f.officer_action(first->dossier, "accept", kCentre, {"desk"});
  accept.idempotency_key = "accept-1";
  auto accepted = f.service->act(accept);
  REQUIRE(accepted);
  const auto before = f.store->footprint();
  auto retried = f.service->act(accept);
  REQUIRE(retried);
  CHECK(retried->replayed);
  CHECK(retried->dossier == accepted->dossier);
  CHECK(retried->events.size() == 2);  // transitioned + clock started
  CHECK(f.store->footprint() == before);
  // Its replay is its first outcome, even after the dossier moved on.
  f.act(f.officer_action(accepted->dossier, "consult", kPpc, {"officer"}));
  auto replayed = f.service->act(accept);
  REQUIRE(replayed);
  CHECK(replayed->replayed);
  CHECK(replayed->dossier == accepted->dossier);
  CHECK(replayed->events == accepted->events);
  CHECK(replayed->role == "desk");
  CHECK(replayed->from_state == "submitted");
  CHECK(replayed->to_state == "appraisal");
  CHECK(f.store->load(first->dossier.code).value()->dossier.version == 4);
}

// Moved from tests/store/lifecycle_service_test.cpp, where they tested the service's logic through
// SQL (their idempotency and tracking-secret replays are merged into the replay case above); the
// memory store's footprint() stands for the table counts.
TEST_CASE("Lifecycle service refuses a stale version and changes nothing") {
  Fixture f;
  Dossier d = f.submit();
  ActionRequest accept = f.officer_action(d, "accept", kCentre, {"desk"});
  ActionRequest refuse = f.officer_action(d, "refuse-intake", kCentre, {"desk"});
  refuse.reason = "Sai thẩm quyền";
  f.act(accept);
  const auto before = f.store->footprint();
  auto stale = f.service->act(refuse);  // still at version 1
  REQUIRE_FALSE(stale);
  CHECK(stale.error().code == ErrorCode::kConflict);
  CHECK(f.store->footprint() == before);
}

TEST_CASE(
    "Lifecycle service refuses a reason a refusal document could not carry, changing nothing") {
  Fixture f;
  const Dossier d = f.submit();
  const auto before = f.store->footprint();
  for (const char* reason : {"Sai th\xEF\xBF\xBE"
                             " quyền",
                             "Sai\xEF\xB7\xA0", "Sai\x1b[0m"}) {
    CAPTURE(reason);
    ActionRequest refuse = f.officer_action(d, "refuse-intake", kCentre, {"desk"});
    refuse.reason = reason;
    auto refused = f.service->act(refuse);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kInvalidInput);
    CHECK(refused.error().public_message.find("the reason contains the character U+") !=
          std::string::npos);
  }
  CHECK(f.store->footprint() == before);
}

TEST_CASE("Lifecycle service refuses a malformed tracking secret hash before writing anything") {
  Fixture f;
  SubmitRequest r = f.submission();
  r.tracking_secret_sha256 = std::string(64, 'a');
  REQUIRE(f.service->submit(r));
  // A malformed hash is refused before anything is written.
  const auto before = f.store->footprint();
  for (const std::string& bad :
       {std::string(63, 'a'), std::string(64, 'A'), std::string(64, 'g')}) {
    SubmitRequest other = f.submission();
    other.tracking_secret_sha256 = bad;
    auto refused = f.service->submit(other);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kInvalidInput);
  }
  CHECK(f.store->footprint() == before);
  CHECK(f.store->footprint().at("secrets") == 1);
}

TEST_CASE("Deadline scheduler notifies due-soon and overdue once per deadline") {
  Fixture f;
  SubmitRequest r = f.submission();
  r.channel = Channel::kOnline;
  r.form["work-type"] = "công trình cấp III";  // 20 days (a detached house has 15)
  auto submitted = f.service->submit(r);
  REQUIRE(submitted);
  Dossier d = f.act(f.officer_action(submitted->dossier, "accept", kCentre, {"desk"}));
  // 20 calendar days end on Sunday 13 December: due by the end of the next working day.
  REQUIRE(format_instant(*d.due, 420) == "2026-12-14T17:00:00+07:00");
  DeadlineScheduler scheduler(*f.service, 1);  // batches of one item
  CHECK(scheduler.run_once().value() == SchedulerReport{});

  // Friday 11 Dec 16:00: more than one working day left.
  f.clock->set(parse_instant("2026-12-11T16:00:00+07:00").value());
  CHECK(scheduler.run_once().value() == SchedulerReport{});
  // Monday 14 Dec 08:00: less than one working day left.
  f.clock->set(parse_instant("2026-12-14T08:00:00+07:00").value());
  CHECK(scheduler.run_once().value() == SchedulerReport{1, 0, 0});
  CHECK(scheduler.run_once().value() == SchedulerReport{});
  auto queue = f.service->work_queue(kPpc, "officer").value();
  REQUIRE(queue.size() == 1);
  CHECK(queue.front().due_soon);
  CHECK(queue.front().item.mark == DeadlineMark::kDueSoon);

  f.clock->set(parse_instant("2026-12-14T17:00:01+07:00").value());
  CHECK(scheduler.run_once().value() == SchedulerReport{0, 1, 0});
  CHECK(scheduler.run_once().value() == SchedulerReport{});
  long deadline_notices = 0;
  for (const OutboxMessage& m : f.store->outbox())
    deadline_notices += m.topic == "dossier.deadline";
  CHECK(deadline_notices == 2);
  queue = f.service->work_queue(kPpc, "officer").value();
  CHECK(queue.front().overdue);

  // Too late for appraisal to ask for a supplement now.
  ActionRequest ask = f.officer_action(d, "request-supplement", kPpc, {"officer"});
  ask.reason = "Thiếu bản vẽ";
  ask.components = {"design-drawings"};
  auto late = f.service->act(ask);
  REQUIRE_FALSE(late);  // past the 7-working-day window
  CHECK(late.error().code == ErrorCode::kDeadlinePassed);
}

TEST_CASE("Lifecycle service retries a commit a concurrent writer aborted") {
  Fixture f;
  Dossier d = f.submit();
  f.store->fail_commits(1);
  d = f.act(f.officer_action(d, "accept", kCentre, {"desk"}));
  CHECK(d.version == 3);  // transitioned + clock started, applied once
  CHECK(f.store->load(d.code).value()->events.size() == 3);
  // A stale expected version is refused with the current version, and changes nothing.
  ActionRequest stale = f.officer_action(d, "consult", kPpc, {"officer"});
  stale.expected_version = 1;
  auto refused = f.service->act(stale);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kConflict);
  CHECK(stale_version(refused.error()) == 3);
  CHECK(f.store->load(d.code).value()->dossier.version == 3);
}

TEST_CASE("Lifecycle service issues documents inside the command's unit of work") {
  Fixture f;
  Dossier d = f.submit();
  f.issuer->refuse = true;
  auto refused = f.service->act(f.officer_action(d, "accept", kCentre, {"desk"}));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kNotFound);
  CHECK(f.store->load(d.code).value()->dossier.version == 1);
  CHECK(f.service->documents(d.code).value().empty());
  f.issuer->refuse = false;
  d = f.act(f.officer_action(d, "accept", kCentre, {"desk"}));
  auto documents = f.service->documents(d.code);
  REQUIRE(documents);
  REQUIRE(documents->size() == 1);
  CHECK(documents->front().kind == "receipt");
  CHECK(f.issuer->receipts_components == 2);
  CHECK(f.service->document(d.code, "receipt-" + d.code).value().content == "<receipt/>");
}

TEST_CASE("Lifecycle service chooses the officer's role, checks participation, and reports it") {
  Fixture f;
  Dossier d = f.accepted();
  SUBCASE("the role for which the action is available, in one transaction and one fold") {
    const long transactions = f.store->transactions(), folds = f.store->folds();
    auto out = f.service->act(f.officer_action(d, "consult", kPpc, {"leader", "officer"}));
    REQUIRE(out);
    // The API adds its two authentication reads: 3 transactions per officer action.
    CHECK(f.store->transactions() - transactions == 1);
    CHECK(f.store->folds() - folds == 1);
    CHECK(out->role == "officer");
    CHECK(out->from_state == "appraisal");
    CHECK(out->to_state == "consultation");
    CHECK(out->events.front().actor.role == "officer");
  }
  SUBCASE("an agency that does not handle the dossier, even with a stale version") {
    ActionRequest r = f.officer_action(d, "consult", "000.99.99.H57", {"officer"});
    auto out = f.service->act(r);
    REQUIRE_FALSE(out);
    CHECK(out.error().code == ErrorCode::kForbidden);
    CHECK(out.error().message == "the dossier is not handled by your agency");
    r.expected_version = 1;
    out = f.service->act(r);
    REQUIRE_FALSE(out);
    CHECK(out.error().code == ErrorCode::kForbidden);
    CHECK(f.store->load(d.code).value()->dossier.version == d.version);
  }
  SUBCASE("a requested role the officer does not hold") {
    ActionRequest r = f.officer_action(d, "consult", kPpc, {"leader"});
    r.actor.role = "officer";
    auto out = f.service->act(r);
    REQUIRE_FALSE(out);
    CHECK(out.error().code == ErrorCode::kForbidden);
  }
  SUBCASE("no role can: the first one acts and decide() says why") {
    auto out = f.service->act(f.officer_action(d, "consult", kPpc, {"leader", "desk"}));
    REQUIRE_FALSE(out);
    CHECK(out.error().code == ErrorCode::kForbidden);
  }
  CHECK(f.store->outbox().size() >= 2);
}

}  // namespace motcua::engine::testing

namespace motcua::engine::testing {

TEST_CASE(
    "Lifecycle service lets only the receiving desk officer claim the desk or postal channel") {
  Fixture f;
  const long before = f.store->transactions();
  struct Claim {
    const char* who;
    Channel channel;
    Actor actor;
  };
  const Actor anonymous{ActorKind::kApplicant, "anonymous", "", "applicant"};
  for (const Claim& claim :
       {Claim{"anonymous at the desk", Channel::kDesk, anonymous},
        Claim{"anonymous by post", Channel::kPostal, anonymous},
        Claim{"an officer of the receiving agency without the desk role", Channel::kDesk,
              Actor{ActorKind::kOfficer, "cb", kCentre, "officer"}},
        Claim{"a desk officer of another agency", Channel::kPostal,
              Actor{ActorKind::kOfficer, "cb", kPpc, "desk"}}}) {
    CAPTURE(claim.who);
    SubmitRequest r = f.submission();
    r.channel = claim.channel;
    r.actor = claim.actor;
    auto refused = f.service->submit(r);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == ErrorCode::kForbidden);
    // Vietnamese and English, both for the client.
    const std::string& told = refused.error().public_message;
    const bool vietnamese = told.find("Bộ phận Một cửa") != std::string::npos ||
                            told.find("vai trò một cửa") != std::string::npos;
    CHECK(vietnamese);
    CHECK(told.find("may record a dossier received on the") != std::string::npos);
  }
  // Nothing was written and no code was spent.
  CHECK(f.store->transactions() == before);
  CHECK(f.submit().code == std::string(kCentre) + "-261123-0001");  // online, anonymous

  SubmitRequest desk = f.submission();
  desk.channel = Channel::kPostal;
  desk.actor = Actor{ActorKind::kOfficer, "cb.desk", kCentre, "desk"};
  auto received = f.service->submit(desk);
  REQUIRE_MESSAGE(received, (received ? "" : received.error().message));
  CHECK(received->dossier.channel == Channel::kPostal);
  CHECK(received->dossier.code == std::string(kCentre) + "-261123-0002");
}

TEST_CASE(
    "Lifecycle service marks a due date over undecreed Tết days provisional, on the receipt too") {
  Fixture f;
  SUBCASE("firm: November 2026") {
    const Dossier d = f.accepted();
    REQUIRE(d.due);
    CHECK(f.service->due_provisional(d).value().empty());
    CHECK(f.issuer->receipt_provisional.empty());
  }
  SUBCASE("provisional: 15 calendar days from Monday 25 January 2027 end in Tết 2027") {
    f.clock->set(parse_instant("2027-01-25T09:00:00+07:00").value());
    const Dossier d = f.accepted();
    REQUIRE(d.due);
    // Counting starts on 26 January; the 15th day, 9 February, is Tết (provisional), so the
    // appointment moves to the close of Friday 12 February (Civil Code art. 148).
    CHECK(format_instant(*d.due, 7 * 60) == "2027-02-12T17:00:00+07:00");
    const std::vector<LocalDate> expected{*parse_date("2027-02-09"), *parse_date("2027-02-10"),
                                          *parse_date("2027-02-11")};
    CHECK(f.service->due_provisional(d).value() == expected);
    CHECK(f.issuer->receipt_provisional == expected);
    // From the code and due alone: every provisional day since the receipt date (a superset).
    const auto bound = f.service->due_provisional(d.code, *d.due);
    REQUIRE(bound.size() == 7u);
    CHECK(bound.front() == *parse_date("2027-02-05"));
    CHECK(bound.back() == *parse_date("2027-02-11"));
  }
  CHECK(f.service->due_provisional("not-a-code", f.clock->now()).empty());
}

// A new rule set applies to dossiers received from its effective date on; a dossier received
// before keeps the rules it was received under (engine/legal_rules.hpp).
TEST_CASE("Lifecycle service applies the lifecycle rules in force on the dossier's receipt date") {
  LegalRules v1;
  v1.name = "vn-one-stop";
  v1.version = 1;
  v1.effective_from = std::chrono::year{2025} / 7 / 1;
  LegalRules v2 = v1;
  v2.version = 2;
  v2.effective_from = std::chrono::year{2026} / 11 / 24;
  v2.apology_lead = Duration{20, DurationUnit::kWorkingDays};  // longer than the permit's limit
  Fixture f(std::make_shared<const LegalRuleBook>(LegalRuleBook::create({v2, v1}).value()));
  const Dossier before = f.accepted();  // received Mon 23 Nov 2026
  f.clock->advance(std::chrono::hours(24));
  const Dossier after = f.accepted();  // received Tue 24 Nov 2026
  auto apology = [&](const Dossier& d) {
    ActionRequest r = f.officer_action(d, "apologise", kPpc, {"leader"});
    r.reason = "Chờ ý kiến cơ quan phòng cháy";
    r.new_due = *d.due + std::chrono::hours(24 * 30);
    return r;
  };
  CHECK(f.service->act(apology(before)).has_value());
  auto refused = f.service->act(apology(after));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kDeadlinePassed);
  CHECK(refused.error().message.find("20 working-days") != std::string::npos);
}

}  // namespace motcua::engine::testing
