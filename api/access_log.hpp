#pragma once
// AccessLog: one JSON line per answered request: time, request id, client, method, route name,
// path (never the query string, headers or body, so no secret reaches the log), status, bytes,
// duration and the officer's login when authenticated.
//
// write() only formats the line and queues it (it may run on a network thread); a writer thread
// of its own hands queued lines to the FILE every 50 ms and flushes, so a slow sink (a pipe, a
// journal under back-pressure) never stalls request handling. When more than kMaxQueued bytes wait
// because the sink is stuck, further lines are dropped and counted, and a line saying how many
// were dropped follows when it drains. The destructor writes what is queued. Thread-safe. A null
// FILE* disables logging.
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "api/http.hpp"

namespace motcua::api {

class AccessLog {
 public:
  static constexpr std::size_t kMaxQueued = 8u << 20;

  explicit AccessLog(std::FILE* out);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const Request& request, std::string_view route, int status, std::size_t bytes,
             double seconds, std::string_view officer);

 private:
  void run();

  std::FILE* out_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::string queued_;
  std::size_t dropped_ = 0;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace motcua::api
