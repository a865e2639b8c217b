#include "engine/work_item.hpp"

namespace motcua::engine {

std::string_view to_string(DeadlineMark mark) noexcept {
  switch (mark) {
    case DeadlineMark::kNone:
      return "none";
    case DeadlineMark::kDueSoon:
      return "due-soon";
    case DeadlineMark::kOverdue:
      return "overdue";
  }
  return "none";
}

std::vector<WorkItem> work_items(const Procedure& procedure, const Dossier& dossier) {
  std::vector<WorkItem> items;
  const State* state = procedure.state(dossier.state);
  if (state == nullptr || state->kind == StateKind::kFinal) return items;
  // States the applicant owns (waiting for a supplement) sit with the receiving desk's agency, the
  // only point of contact with the applicant.
  const std::string& key = state->agency.empty() ? procedure.receiving_agency : state->agency;
  WorkItem own;
  own.dossier_code = dossier.code;
  if (auto it = dossier.agency_ids.find(key); it != dossier.agency_ids.end()) {
    own.agency_id = it->second;
  }
  own.role = state->role;
  // The statutory clock does not run while the applicant is asked for a supplement, nor after the
  // dossier was resolved or ended.
  if (dossier.due && !dossier.supplement_requested_at && !dossier.finished_at)
    own.due = dossier.due;
  items.push_back(std::move(own));
  if (state->kind != StateKind::kParallel || dossier.finished_at) return items;
  for (const BranchTask& task : dossier.branches) {
    if (task.completed) continue;
    WorkItem item;
    item.dossier_code = dossier.code;
    item.branch = task.branch;
    item.agency_id = task.agency_id;
    item.role = task.role;
    item.due = task.due;
    items.push_back(std::move(item));
  }
  return items;
}

}  // namespace motcua::engine
