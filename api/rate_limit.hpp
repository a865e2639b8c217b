#pragma once
// RateLimiter: per-client token buckets (capacity `burst`, refilled at `per_minute` tokens a
// minute), e.g. for logins and tracking look-ups keyed by the client address. Buckets idle for
// long are forgotten so memory stays bounded. Thread-safe (one mutex).
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace motcua::api {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double per_minute, double burst) : per_minute_(per_minute), burst_(burst) {}

  // Takes one token for `key`; false when the bucket is empty. `now` is injectable for tests.
  bool allow(std::string_view key, Clock::time_point now = Clock::now());
  // Seconds until `key` has a token again (0 when it has one).
  int retry_after(std::string_view key, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point updated;
  };
  void refill(Bucket& b, Clock::time_point now) const;
  void prune(Clock::time_point now);

  double per_minute_, burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_prune_{};
};

}  // namespace motcua::api
