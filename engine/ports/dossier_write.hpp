#pragma once
// DossierWrite: everything one unit of work writes (engine/ports/unit_of_work.hpp), as one value
// applied by UnitOfWork::write(). A lifecycle command fills the dossier part (events, projection,
// components, work items, documents, idempotency record, tracking secret) and its outbox
// messages; the deadline scheduler fills only `marks` and `outbox`. Plain value, no behaviour.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/ports/records.hpp"
#include "engine/ports/report_tallies.hpp"
#include "engine/report_fact.hpp"
#include "engine/work_item.hpp"

namespace motcua::engine {

// The new mark of a work item claimed in the same unit of work.
struct DeadlineMarkChange {
  std::string dossier_code;
  std::string branch;
  DeadlineMark mark = DeadlineMark::kNone;
};

// One change of a report tally (engine/ports/report_tallies.hpp): the store adds `delta` to the
// value kept under (day, agency_id, procedure_code, metric), creating it at 0 when absent.
struct TallyDelta {
  ReportDay day = 0;
  std::string agency_id;
  std::string procedure_code;
  std::int16_t metric = 0;
  std::int64_t delta = 0;
  friend bool operator==(const TallyDelta&, const TallyDelta&) = default;
};

struct DossierWrite {
  // Appended after the `expected_version` events already stored for `projection.code` (0 creates
  // the dossier) and chained into the audit chain; `projection.version` must equal
  // expected_version + events.size(). Empty `events`: no dossier is written (then components, work
  // items and the tracking secret must stay empty; documents name their dossier themselves).
  std::int64_t expected_version = 0;
  std::vector<Event> events;
  Dossier projection;

  // Provenance of components handed in (recorded or replaced, per component id).
  std::vector<ComponentRecord> components;
  // When set, replaces the dossier's work items (work_item.hpp): an item whose branch already
  // exists with the same due date keeps its stored mark, any other starts at kNone, items not
  // listed are removed.
  std::optional<std::vector<WorkItem>> work_items;
  // Signed documents with their bytes (content-addressed, like AttachmentStore::put).
  std::vector<StoredDocument> documents;
  // The first outcome of an idempotent command.
  std::optional<IdempotencyRecord> idempotency;
  // The lowercase hex SHA-256 of the dossier's tracking secret (engine/ports/tracking_secrets.hpp).
  std::string tracking_secret_sha256;

  // New marks of work items claimed by this unit of work (UnitOfWork::claim_deadlines).
  std::vector<DeadlineMarkChange> marks;
  // Messages delivered only if the unit of work commits.
  std::vector<OutboxMessage> outbox;

  // Report tallies to add (the difference between the dossier's contributions before and after).
  std::vector<TallyDelta> tallies;
  // The dossier's report fact after this command. When set (and `events` is not empty), the store
  // appends a transparency-log leaf holding the fact and the dossier's audit-chain head after
  // these events (engine/transparency_leaf.hpp), in the same transaction.
  std::optional<ReportFact> fact;
};

}  // namespace motcua::engine
