#include "engine/deadline_scheduler.hpp"

#include <vector>

#include "engine/internal/lifecycle_input.hpp"

namespace motcua::engine {
namespace {

std::string notice(const WorkItem& item, DeadlineMark kind) {
  using lifecycle::json_string;
  return "{\"code\":" + json_string(item.dossier_code) + ",\"branch\":" + json_string(item.branch) +
         ",\"kind\":" + json_string(to_string(kind)) +
         ",\"due\":" + json_string(item.due ? format_instant(*item.due, 0) : "") +
         ",\"agency\":" + json_string(item.agency_id) + ",\"role\":" + json_string(item.role) + "}";
}

// One pass over the items due by `due_by` whose mark is below `below`, in batches, each batch one
// UnitOfWork. Items already due at `now` become overdue; the others due soon.
Status mark_pass(DossierStore& store, Instant now, Instant due_by, DeadlineMark below,
                 std::size_t batch, SchedulerReport& report, std::vector<WorkItem>& overdue) {
  for (;;) {
    auto uow = store.begin();
    if (!uow) return tl::unexpected(uow.error());
    auto items = (*uow)->claim_deadlines(due_by, below, batch);
    if (!items) return tl::unexpected(items.error());
    if (items->empty()) return {};
    std::size_t soon = 0, late = 0;
    std::vector<WorkItem> late_items;
    DossierWrite change;
    for (const WorkItem& item : *items) {
      const DeadlineMark mark =
          item.due && *item.due <= now ? DeadlineMark::kOverdue : DeadlineMark::kDueSoon;
      change.marks.push_back(DeadlineMarkChange{item.dossier_code, item.branch, mark});
      change.outbox.push_back(
          OutboxMessage{std::string(kDeadlineTopic), item.dossier_code, notice(item, mark), now});
      if (mark == DeadlineMark::kOverdue) {
        ++late;
        if (!item.branch.empty()) late_items.push_back(item);
      } else {
        ++soon;
      }
    }
    if (auto ok = (*uow)->write(change); !ok) return ok;
    if (auto ok = (*uow)->commit(); !ok) return ok;
    report.due_soon += soon;
    report.overdue += late;
    overdue.insert(overdue.end(), late_items.begin(), late_items.end());
    if (items->size() < batch) return {};
  }
}

// Records the system's consent for an expired silence-is-consent branch. Returns whether it did.
Result<bool> consent(LifecycleService& service, const WorkItem& item) {
  const LifecycleDeps& deps = service.deps();
  // A concurrent officer may move the dossier between our read and our write: read again then.
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto stored = deps.queries->load(item.dossier_code);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) return false;
    const Dossier& dossier = (*stored)->dossier;
    auto published = deps.procedures->find(dossier.procedure_code, dossier.procedure_version);
    if (!published) return tl::unexpected(published.error());
    const State* state = published->procedure->state(dossier.state);
    if (state == nullptr || state->kind != StateKind::kParallel) return false;
    const Branch* branch = nullptr;
    for (const Branch& b : state->branches) {
      if (b.id == item.branch) branch = &b;
    }
    if (branch == nullptr || !branch->silence_is_consent) return false;
    ActionRequest request;
    request.dossier_code = dossier.code;
    request.expected_version = dossier.version;
    request.action = branch->action;
    request.branch = branch->id;
    request.answer = "silence is consent: no answer by the deadline";
    request.actor = Actor{ActorKind::kSystem, "deadline-scheduler", item.agency_id, branch->role};
    auto done = service.act(request);
    if (done) return true;
    if (done.error().code == ErrorCode::kAlreadyDone ||
        done.error().code == ErrorCode::kIllegalAction) {
      return false;  // answered meanwhile
    }
    if (done.error().code != ErrorCode::kConflict) return tl::unexpected(done.error());
  }
  return false;
}

}  // namespace

Result<SchedulerReport> DeadlineScheduler::run_once() {
  const LifecycleDeps& deps = service_.deps();
  const Instant now = deps.clock->now();
  SchedulerReport report;
  std::vector<WorkItem> overdue;
  if (auto ok = mark_pass(*deps.store, now, now, DeadlineMark::kOverdue, batch_, report, overdue);
      !ok) {
    return tl::unexpected(ok.error());
  }
  // Everything due by this instant has at most one working day left.
  auto horizon = deps.calendar->add(now, Duration{1, DurationUnit::kWorkingDays});
  if (!horizon) return tl::unexpected(horizon.error());
  if (auto ok =
          mark_pass(*deps.store, now, *horizon, DeadlineMark::kDueSoon, batch_, report, overdue);
      !ok) {
    return tl::unexpected(ok.error());
  }
  for (const WorkItem& item : overdue) {
    auto done = consent(service_, item);
    if (!done) return tl::unexpected(done.error());
    if (*done) ++report.consented;
  }
  return report;
}

}  // namespace motcua::engine
