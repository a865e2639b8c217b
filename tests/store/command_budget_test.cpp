// The budget of an officer's action on a real database: one write transaction, one load (one fold
// of the events), no read transactions besides; with the API's two authentication reads that is 3
// transactions per action. Counted by decorators around the SQL adapters: every begin() is one
// write transaction, every DossierQueries call one read transaction (their contracts).
#include <atomic>

#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store::testing {
namespace {

struct Counts {
  std::atomic<int> writes{0}, reads{0}, loads{0};
};

class CountingUnitOfWork final : public engine::UnitOfWork {
 public:
  CountingUnitOfWork(std::unique_ptr<engine::UnitOfWork> inner, Counts& counts)
      : inner_(std::move(inner)), counts_(counts) {}
  engine::Result<std::optional<engine::StoredDossier>> load(std::string_view code) override {
    ++counts_.loads;
    return inner_->load(code);
  }
  engine::Result<std::string> allocate_code(std::string_view agency, engine::LocalDate d) override {
    return inner_->allocate_code(agency, d);
  }
  engine::Result<std::optional<engine::IdempotencyRecord>> find_idempotency(
      std::string_view key) override {
    return inner_->find_idempotency(key);
  }
  engine::Result<std::vector<engine::ComponentRecord>> components(std::string_view c) override {
    return inner_->components(c);
  }
  engine::Result<std::map<std::string, std::string>> form(std::string_view c) override {
    return inner_->form(c);
  }
  engine::Result<std::vector<engine::DocumentRecord>> documents(std::string_view c) override {
    return inner_->documents(c);
  }
  engine::Result<std::vector<engine::WorkItem>> claim_deadlines(engine::Instant due_by,
                                                                engine::DeadlineMark below,
                                                                std::size_t limit) override {
    return inner_->claim_deadlines(due_by, below, limit);
  }
  engine::Status write(const engine::DossierWrite& change) override {
    return inner_->write(change);
  }
  engine::Status commit() override { return inner_->commit(); }

 private:
  std::unique_ptr<engine::UnitOfWork> inner_;
  Counts& counts_;
};

class CountingStore final : public engine::DossierStore {
 public:
  CountingStore(std::shared_ptr<Database> db, Counts& counts) : inner_(db), counts_(counts) {}
  engine::Result<std::unique_ptr<engine::UnitOfWork>> begin() override {
    ++counts_.writes;
    auto uow = inner_.begin();
    if (!uow) return uow;
    return std::unique_ptr<engine::UnitOfWork>(new CountingUnitOfWork(std::move(*uow), counts_));
  }

 private:
  SqlDossierStore inner_;
  Counts& counts_;
};

class CountingQueries final : public engine::DossierQueries {
 public:
  CountingQueries(std::shared_ptr<Database> db, Counts& counts) : inner_(db), counts_(counts) {}
  engine::Result<std::optional<engine::StoredDossier>> load(std::string_view code) override {
    ++counts_.reads, ++counts_.loads;
    return inner_.load(code);
  }
  engine::Result<std::optional<engine::DossierView>> view(std::string_view code) override {
    ++counts_.reads, ++counts_.loads;
    return inner_.view(code);
  }
  engine::Result<std::vector<engine::DocumentRecord>> documents(std::string_view code) override {
    ++counts_.reads;
    return inner_.documents(code);
  }
  engine::Result<std::optional<engine::StoredDocument>> document(std::string_view code,
                                                                 std::string_view id) override {
    ++counts_.reads;
    return inner_.document(code, id);
  }
  engine::Result<std::vector<engine::WorkQueueEntry>> work_queue(std::string_view agency,
                                                                 std::string_view role,
                                                                 std::size_t limit,
                                                                 std::size_t offset) override {
    ++counts_.reads;
    return inner_.work_queue(agency, role, limit, offset);
  }

 private:
  SqlDossierQueries inner_;
  Counts& counts_;
};

}  // namespace

TEST_CASE("An officer action with two roles is one write transaction and one fold") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    Counts counts;
    engine::LifecycleDeps deps = w.service->deps();
    deps.store = std::make_shared<CountingStore>(w.db, counts);
    deps.queries = std::make_shared<CountingQueries>(w.db, counts);
    auto service = engine::LifecycleService::create(deps).value();

    engine::Dossier d = submit_ok(w, good_submission(w)).dossier;
    d = act_ok(w, action(d, "accept", officer("desk")));
    engine::ActionRequest consult = action(d, "consult", officer("officer"));
    consult.actor.role.clear();  // the service chooses among the officer's roles
    consult.roles = {"leader", "officer"};
    auto out = service->act(consult);
    REQUIRE_MESSAGE(out, describe(out));
    CHECK(out->role == "officer");
    CHECK(counts.writes == 1);
    CHECK(counts.reads == 0);
    CHECK(counts.loads == 1);

    // A stale version costs the same: the error carries the current version.
    auto stale = service->act(consult);
    REQUIRE_FALSE(stale);
    CHECK(engine::stale_version(stale.error()) == out->dossier.version);
    CHECK(counts.writes == 2);
    CHECK(counts.reads == 0);

    // The officer's GET reads the whole dossier in one snapshot.
    auto view = service->view(d.code);
    REQUIRE(view);
    CHECK(view->documents.empty());  // no issuer in this world
    CHECK(view->components.size() == 2);
    CHECK(counts.reads == 1);
  }
}

}  // namespace motcua::store::testing
