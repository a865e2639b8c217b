#pragma once
// SchedulerLoop: runs the deadline scheduler (engine/deadline_scheduler.hpp) every `interval` on a
// thread of its own while `motcua serve` runs, so dossiers due within one working day and overdue
// are marked and notified without anyone asking. Several servers may each run one against a shared
// PostgreSQL: the scheduler claims work with SKIP LOCKED, so nothing is notified twice. The first
// pass runs at once. Errors of a pass are logged (JSON line on stderr) and the next pass tries
// again. The destructor stops the thread and waits for a pass in progress to finish.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/deadline_scheduler.hpp"

namespace motcua::app {

class SchedulerLoop {
 public:
  SchedulerLoop(engine::DeadlineScheduler& scheduler, std::chrono::seconds interval);
  ~SchedulerLoop();
  SchedulerLoop(const SchedulerLoop&) = delete;
  SchedulerLoop& operator=(const SchedulerLoop&) = delete;

 private:
  void run();

  engine::DeadlineScheduler& scheduler_;
  const std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after every other member is ready
};

}  // namespace motcua::app
