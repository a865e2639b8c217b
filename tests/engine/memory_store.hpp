#pragma once
// MemoryStore: the engine's storage ports in memory, for unit tests of the lifecycle services
// without SQL. One object implements DossierStore (units of work), DossierQueries, TrackingSecrets,
// Organisation and ProcedureVersionRepository over one shared state.
//
// Transactions: a unit of work reads the committed state and buffers its one write; commit()
// checks it against the state now (kConflict for a stale expected version, a recorded idempotency
// key, a second tracking secret or document id) and applies it atomically. Dossier codes are
// allocated as SQL does: one open unit of work at a time per agency and day (others wait), released
// by a rollback, so they are unique and gap-free. It keeps the ports' contract
// (tests/store/contract/port_contract.hpp, run on it by tests/engine/port_contract_test.cpp) except
// what needs attachments or several units of work at once: attachments are not modelled
// (components are recorded as given) and claim_deadlines does not lock what it claims.
//
// Counters for the tests' budgets: every begin() and every query call is one transaction; every
// load of a dossier (UnitOfWork::load, DossierQueries::load/view) folds its events once.
// fail_commits(n) makes the next n commits fail with kConflict (a concurrent writer won).
// Thread-safe.
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/ports/dossier_queries.hpp"
#include "engine/ports/dossier_store.hpp"
#include "engine/ports/organisation.hpp"
#include "engine/ports/procedure_versions.hpp"
#include "engine/ports/tracking_secrets.hpp"

namespace motcua::engine::testing {

class MemoryStore final : public DossierStore,
                          public DossierQueries,
                          public TrackingSecrets,
                          public Organisation,
                          public ProcedureVersionRepository {
 public:
  // DossierStore
  Result<std::unique_ptr<UnitOfWork>> begin() override;
  // DossierQueries
  Result<std::optional<StoredDossier>> load(std::string_view code) override;
  Result<std::optional<DossierView>> view(std::string_view code) override;
  Result<std::vector<DocumentRecord>> documents(std::string_view code) override;
  Result<std::optional<StoredDocument>> document(std::string_view code,
                                                 std::string_view id) override;
  Result<std::vector<WorkQueueEntry>> work_queue(std::string_view agency_id, std::string_view role,
                                                 std::size_t limit, std::size_t offset) override;
  // TrackingSecrets
  Result<std::optional<std::string>> find(std::string_view code) override;
  // Organisation
  Result<std::map<std::string, std::string>> agency_ids() override;
  // ProcedureVersionRepository
  Status save(const ProcedureVersionRecord& record) override;
  Result<ProcedureVersionRecord> find(std::string_view code, int version) override;
  Result<ProcedureVersionRecord> latest(std::string_view code) override;

  // Test controls and observations.
  void set_agencies(std::map<std::string, std::string> ids);
  void fail_commits(int n) { failing_commits_ = n; }
  long transactions() const { return transactions_; }
  long folds() const { return folds_; }
  long organisation_reads() const { return organisation_reads_; }
  std::vector<OutboxMessage> outbox() const;
  std::vector<WorkItem> work_items(const std::string& code) const;
  // Sizes of everything a command may write (dossiers, events, components, work items and the sum
  // of their marks, documents, idempotency records, secrets, code sequences, outbox, procedure
  // versions), so a test can check that nothing changed.
  std::map<std::string, long long> footprint() const;

 private:
  friend class MemoryUnitOfWork;
  struct State {
    std::map<std::string, std::vector<Event>, std::less<>> events;
    std::map<std::string, std::map<std::string, ComponentRecord>, std::less<>> components;
    std::map<std::string, std::vector<WorkItem>, std::less<>> work;
    std::map<std::string, std::vector<StoredDocument>, std::less<>> documents;
    std::map<std::string, IdempotencyRecord, std::less<>> idempotency;
    std::map<std::string, std::string, std::less<>> secrets;
    std::map<std::string, int, std::less<>> sequences;  // "<agency> <date>" -> last committed
    std::vector<OutboxMessage> outbox;
  };
  std::optional<StoredDossier> fold_locked(std::string_view code) const;
  Status apply_locked(const DossierWrite& w);
  Status check_locked(const DossierWrite& w) const;

  mutable std::mutex mutex_;
  State state_;
  // "<agency> <date>" -> the open unit of work allocating there and the last code it holds.
  std::map<std::string, std::pair<const void*, int>> reserved_;
  std::condition_variable released_;
  std::map<std::string, std::string> agencies_;
  std::map<std::pair<std::string, int>, ProcedureVersionRecord> versions_;
  std::atomic<int> failing_commits_{0};
  mutable std::atomic<long> transactions_{0}, folds_{0}, organisation_reads_{0};
};

}  // namespace motcua::engine::testing
