#pragma once
// Work items: who must act next on a dossier, and by when. The lifecycle services derive them from
// the dossier and its procedure after every command and store them with the projection (one
// UnitOfWork); work queues read them and the deadline scheduler marks them.
//
// A dossier that is not in a final state has one item for the dossier itself (branch empty: the
// agency and role owning the current state; due = the statutory due date while the clock runs,
// nothing while it is stopped for a supplement or after the dossier was resolved) and one item per
// open branch of a parallel state (due = the branch's own deadline). A dossier in a final state has
// none.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/procedure.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

// How far the deadline scheduler has got with an item. Ordered: a mark only ever grows while the
// due date stays the same; a new due date resets it to kNone.
enum class DeadlineMark : int {
  kNone = 0,
  kDueSoon = 1,  // due within one working day; notified
  kOverdue = 2,  // past due; notified
};
std::string_view to_string(DeadlineMark mark) noexcept;  // "none", "due-soon", "overdue"

struct WorkItem {
  std::string dossier_code;
  std::string branch;     // empty: the dossier's own item
  std::string agency_id;  // QCVN id of the agency that must act
  std::string role;       // Role::id that acts ("applicant" while waiting for the applicant)
  std::optional<Instant> due;
  DeadlineMark mark = DeadlineMark::kNone;
  friend bool operator==(const WorkItem&, const WorkItem&) = default;
};

// The items of `dossier` as pinned to `procedure` (see the header comment). Pure.
std::vector<WorkItem> work_items(const Procedure& procedure, const Dossier& dossier);

// One line of a work queue, as the queue query returns it.
struct WorkQueueEntry {
  WorkItem item;
  std::string procedure_code;
  int procedure_version = 0;
  std::string state;
  StatusCode status = StatusCode::kSubmitted;
  std::int64_t version = 0;  // the dossier's version, for the next command's expected_version
  Instant submitted_at{};
  bool overdue = false;   // due is at or before now
  bool due_soon = false;  // not overdue, due within one working day of now
};

}  // namespace motcua::engine
