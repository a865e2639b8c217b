#pragma once
// DossierQueries: read-only queries for the API and work queues. Each call reads one consistent
// snapshot (one read transaction, no write lock). Thread-safe.
//
// Errors (common): kIo when the database fails (message ours, driver text in the detail).
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"
#include "engine/ports/records.hpp"
#include "engine/work_item.hpp"

namespace motcua::engine {

// A dossier as the API shows it, read in one snapshot.
struct DossierView {
  StoredDossier stored;  // projection (with control slip and branches) and every event
  std::vector<ComponentRecord> components;
  // As submitted: from the audit-chained submitted event (the form table only for dossiers whose
  // event carries no form).
  std::map<std::string, std::string> form;
  std::vector<DocumentRecord> documents;  // issue order
};

class DossierQueries {
 public:
  virtual ~DossierQueries() = default;
  // As UnitOfWork::load, without taking any write lock.
  virtual Result<std::optional<StoredDossier>> load(std::string_view code) = 0;
  // Projection, events, components, form and documents of one dossier in ONE read transaction,
  // or nullopt when no dossier has this code.
  virtual Result<std::optional<DossierView>> view(std::string_view code) = 0;
  // As UnitOfWork::documents.
  virtual Result<std::vector<DocumentRecord>> documents(std::string_view dossier_code) = 0;
  // One document with its bytes, or nullopt when the dossier has no document with this id.
  virtual Result<std::optional<StoredDocument>> document(std::string_view dossier_code,
                                                         std::string_view document_id) = 0;
  // The work items owned by (agency_id, role) joined with their dossiers, ordered by due date
  // (items without one last), then dossier code, then branch; at most `limit` (1..1000) entries
  // after skipping `offset`. WorkQueueEntry::overdue/due_soon are left false (the caller knows the
  // clock and the calendar). Errors: kInvalidInput for an empty agency or role or a bad limit.
  virtual Result<std::vector<WorkQueueEntry>> work_queue(std::string_view agency_id,
                                                         std::string_view role, std::size_t limit,
                                                         std::size_t offset) = 0;
};

}  // namespace motcua::engine
