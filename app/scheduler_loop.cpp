#include "app/scheduler_loop.hpp"

#include <cstdio>

namespace motcua::app {

SchedulerLoop::SchedulerLoop(engine::DeadlineScheduler& scheduler, std::chrono::seconds interval)
    : scheduler_(scheduler), interval_(interval), thread_([this] { run(); }) {}

SchedulerLoop::~SchedulerLoop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SchedulerLoop::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto report = scheduler_.run_once();
    if (!report) {
      std::fprintf(stderr, "{\"event\":\"scheduler\",\"error\":\"%s\"}\n",
                   std::string(engine::to_string(report.error().code)).c_str());
    } else if (report->due_soon + report->overdue + report->consented > 0) {
      std::fprintf(stderr,
                   "{\"event\":\"scheduler\",\"due_soon\":%zu,\"overdue\":%zu,\"consented\":%zu}\n",
                   report->due_soon, report->overdue, report->consented);
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace motcua::app
