#pragma once
// AccessLog: one JSON line per answered request: time, request id, client, method, route name,
// path (never the query string, headers or body, so no secret reaches the log), status, bytes,
// duration and the officer's login when authenticated. Thread-safe (lines are written whole under
// a mutex). A null FILE* disables logging.
#include <cstdio>
#include <mutex>
#include <string_view>

#include "api/http.hpp"

namespace motcua::api {

class AccessLog {
 public:
  explicit AccessLog(std::FILE* out) : out_(out) {}
  void write(const Request& request, std::string_view route, int status, std::size_t bytes,
             double seconds, std::string_view officer);

 private:
  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace motcua::api
