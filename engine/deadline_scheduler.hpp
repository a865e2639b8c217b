#pragma once
// DeadlineScheduler: the background pass that watches the work items' due dates (work_item.hpp).
// One run_once():
//   1. overdue: claims items due at or before now that are not yet marked overdue, marks them
//      kOverdue and writes one outbox message per item (topic kDeadlineTopic, kind "overdue");
//   2. due soon: claims unmarked items due within one working day of now (calendar arithmetic),
//      marks them kDueSoon and writes one message (kind "due-soon");
//   3. silence is consent: for each branch item found overdue whose branch is silence-is-consent,
//      records the consent through LifecycleService::act with a kSystem actor (its own UnitOfWork;
//      a branch answered meanwhile is skipped).
// Steps 1-2 work in batches of `batch` items, each batch one UnitOfWork: claim (skipping items
// another scheduler holds), mark, enqueue, commit. So every (item, due date, kind) is notified
// exactly once however many schedulers run against one database; a scheduler that dies mid-batch
// leaves its batch unmarked for the next run.
//
// Payload: {"code":"...","branch":"...","kind":"due-soon|overdue","due":"<ISO>","agency":"...",
// "role":"..."}.
//
// Thread-safe: run_once may run concurrently in several threads or processes.
#include <cstddef>
#include <memory>
#include <string_view>

#include "engine/lifecycle_service.hpp"

namespace motcua::engine {

inline constexpr std::string_view kDeadlineTopic = "dossier.deadline";

struct SchedulerReport {
  std::size_t due_soon = 0;   // items marked due soon by this run
  std::size_t overdue = 0;    // items marked overdue by this run
  std::size_t consented = 0;  // silence-is-consent answers recorded by this run
  friend bool operator==(const SchedulerReport&, const SchedulerReport&) = default;
};

class DeadlineScheduler {
 public:
  // `service` supplies the store, calendar, clock and procedures. batch >= 1.
  explicit DeadlineScheduler(LifecycleService& service, std::size_t batch = 100)
      : service_(service), batch_(batch == 0 ? 1 : batch) {}

  // Errors: those of the store (kIo, kConflict when a concurrent writer aborted a batch: the work
  // already committed stays done; run again) and kOutOfRange from the calendar.
  Result<SchedulerReport> run_once();

 private:
  LifecycleService& service_;
  std::size_t batch_;
};

}  // namespace motcua::engine
