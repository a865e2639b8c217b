#pragma once
// UnitOfWork: one database transaction of a lifecycle command or a deadline pass. It reads what
// the command needs, then applies ONE DossierWrite (engine/ports/dossier_write.hpp) and commits.
// Begun by a DossierStore (engine/ports/dossier_store.hpp); store/ implements it with SOCI, tests
// in memory.
//
// Everything written becomes visible atomically on commit() and disappears entirely if the
// UnitOfWork is destroyed without commit() or commit() fails. A UnitOfWork is used by one thread
// at a time and must not outlive the store that began it.
//
// Errors (common to every method): kIo when the database is unreachable or a statement fails for
// a reason the caller cannot fix (the message names the operation, the detail carries the driver
// text); kInvalidInput for malformed arguments. Specific errors are listed per method.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"
#include "engine/ports/dossier_write.hpp"
#include "engine/ports/records.hpp"
#include "engine/time.hpp"
#include "engine/work_item.hpp"

namespace motcua::engine {

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;  // rolls back unless commit() succeeded

  // The dossier with its events, or nullopt when no dossier has this code. Folds the events with
  // evolve(). Errors: kInternal when a stored event cannot be decoded.
  virtual Result<std::optional<StoredDossier>> load(std::string_view code) = 0;

  // Allocates the next dossier code `<agency id>-YYMMDD-NNNN` for the agency and local receipt
  // date. Codes are unique, and gap-free: a code allocated by a UnitOfWork that rolls back is
  // handed out again. Concurrent allocations for the same agency and day serialise until the
  // first transaction ends. Errors: kOutOfRange after 9999 codes in one day.
  virtual Result<std::string> allocate_code(std::string_view agency_id, LocalDate date) = 0;

  // The record stored under `key`, or nullopt.
  virtual Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view key) = 0;

  // The dossier's components, ordered by component id.
  virtual Result<std::vector<ComponentRecord>> components(std::string_view dossier_code) = 0;
  // The form table of dossiers whose submitted event carries no form (written before forms were
  // chained); empty for any other dossier.
  virtual Result<std::map<std::string, std::string>> form(std::string_view dossier_code) = 0;
  // The documents recorded for a dossier, in issue order (then id).
  virtual Result<std::vector<DocumentRecord>> documents(std::string_view dossier_code) = 0;

  // Claims up to `limit` work items with a due date <= `due_by` and a mark below `below`, earliest
  // due first, locking them until this UnitOfWork ends. Items another open UnitOfWork has claimed
  // are skipped, not waited for (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the UnitOfWork holds
  // the database's write lock anyway), so several schedulers never process the same item.
  virtual Result<std::vector<WorkItem>> claim_deadlines(Instant due_by, DeadlineMark below,
                                                        std::size_t limit) = 0;

  // Applies `change`, in this order: the events and projection, components, work items, documents,
  // idempotency record, tracking secret, deadline marks, outbox. Called at most once per
  // UnitOfWork. Errors (nothing of `change` is kept; abandon the UnitOfWork):
  //   kConflict: the stored version is not expected_version (someone else wrote first); the
  //     idempotency key is recorded already; the dossier has a tracking secret or a document with
  //     that id already.
  //   kNotFound: a component's attachment does not exist; a marked work item does not exist.
  //   kInvalidInput: an inconsistent version, a second write(), a record naming another dossier,
  //     a document whose sha256 is not that of its bytes, a malformed tracking secret hash.
  virtual Status write(const DossierWrite& change) = 0;

  // Makes everything written visible. Errors: kConflict when the database aborted the transaction
  // because of a concurrent writer (serialisation failure, deadlock); nothing was written.
  virtual Status commit() = 0;
};

}  // namespace motcua::engine
