#pragma once
// Private to the lifecycle service: the state it keeps between commands (its ports, the procedure
// versions this process has stored) and the steps every command shares: opening an attempt (with
// the idempotent replay), the pinned procedure, the agency ids of a submission, and the
// DossierWrite of a decision. Thread-safe (the pinned-version set is guarded by a mutex).
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/lifecycle_service.hpp"
#include "engine/state_machine.hpp"

namespace motcua::engine::lifecycle {

class Session {
 public:
  explicit Session(LifecycleDeps d) : deps(std::move(d)) {}
  const LifecycleDeps deps;

  // Stores the version in the repository the first time this process uses it.
  Status remember_version(const PublishedProcedure& published);

  // The procedure version a stored dossier is pinned to, checked against its hash.
  Result<std::shared_ptr<const Procedure>> pinned(const Dossier& dossier);

  // The submission's agency ids: the request's, then the organisation's for the procedure's other
  // agency keys.
  Result<std::map<std::string, std::string>> agency_ids(
      const Procedure& procedure, const std::map<std::string, std::string>& requested);

  // One attempt of a command: a fresh UnitOfWork, or (uow null) a busy store to retry, with the
  // conflict kept in `last`; or the first outcome when `key` was seen with this request.
  struct Attempt {
    std::unique_ptr<UnitOfWork> uow;
    std::optional<Outcome> replayed;
  };
  Result<Attempt> open_attempt(const std::string& key, const std::string& hash, Error& last);

  // The DossierWrite of `decision` (events, projection, work items, components, outbox).
  DossierWrite change(const Procedure& procedure, std::int64_t expected, const Decision& decision,
                      StatusCode status_before, bool created,
                      const std::vector<ComponentRecord>& components, const std::string& action,
                      Instant at) const;

  // The idempotency record of a command, or nullopt without a key.
  std::optional<IdempotencyRecord> idempotency(const std::string& key, const std::string& hash,
                                               const std::string& code, std::int64_t from,
                                               std::int64_t to, Instant at) const;

  // The signed documents of the transition (engine/internal/lifecycle_documents.hpp), appended to
  // `out`. The form is the one the audit chain holds (the submitted event), else the form table.
  Status issue(UnitOfWork& uow, const Procedure& procedure, const Transition& transition,
               const Decision& decision, const std::vector<Event>& history,
               const std::vector<ComponentRecord>& components, const Actor& actor,
               const std::string& reason, Instant at, std::vector<StoredDocument>& out);

 private:
  Result<Outcome> replay(UnitOfWork& uow, const IdempotencyRecord& record,
                         const std::string& request_hash);

  std::mutex mutex_;
  std::set<std::pair<std::string, int>> stored_versions_;  // pinned versions known to be stored
};

}  // namespace motcua::engine::lifecycle
