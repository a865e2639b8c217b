#include "api/access_log.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <ctime>
#include <utility>

namespace motcua::api {

void AccessLog::write(const Request& request, std::string_view route, int status, std::size_t bytes,
                      double seconds, std::string_view officer) {
  if (out_ == nullptr) return;
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char stamp[64];
  std::snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms));
  boost::json::object line;
  line["ts"] = stamp;
  line["request_id"] = request.request_id;
  line["client"] = request.client;
  line["method"] = request.method;
  line["route"] = route;
  line["path"] = request.path.size() > 512 ? request.path.substr(0, 512) : request.path;
  line["status"] = status;
  line["bytes"] = bytes;
  line["duration_ms"] = seconds * 1000.0;
  if (!officer.empty()) line["officer"] = officer;
  std::string text = boost::json::serialize(line);
  text += '\n';
  std::lock_guard lock(mutex_);
  if (queued_.size() + text.size() > kMaxQueued) {
    ++dropped_;
    return;
  }
  queued_ += text;
}

AccessLog::AccessLog(std::FILE* out) : out_(out) {
  if (out_ != nullptr) writer_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void AccessLog::run() {
  std::string batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, std::chrono::milliseconds(50), [this] { return stop_; });
    batch.swap(queued_);
    const std::size_t dropped = std::exchange(dropped_, 0);
    const bool last = stop_;
    lock.unlock();
    if (dropped > 0) {
      batch += "{\"access_log\":\"dropped\",\"lines\":" + std::to_string(dropped) + "}\n";
    }
    if (!batch.empty()) {
      std::fwrite(batch.data(), 1, batch.size(), out_);
      std::fflush(out_);
      batch.clear();
    }
    if (last) return;
    lock.lock();
  }
}

}  // namespace motcua::api
