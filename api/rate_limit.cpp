#include "api/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace motcua::api {

void RateLimiter::refill(Bucket& b, Clock::time_point now) const {
  const double minutes = std::chrono::duration<double, std::ratio<60>>(now - b.updated).count();
  if (minutes > 0) b.tokens = std::min(burst_, b.tokens + minutes * per_minute_);
  b.updated = std::max(b.updated, now);
}

void RateLimiter::prune(Clock::time_point now) {
  if (now - last_prune_ < std::chrono::minutes(1) && buckets_.size() < 100000) return;
  last_prune_ = now;
  // A bucket that has refilled completely holds no information: drop it.
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    refill(it->second, now);
    it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

bool RateLimiter::allow(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  prune(now);
  auto [it, fresh] = buckets_.try_emplace(std::string(key), Bucket{burst_, now});
  if (!fresh) refill(it->second, now);
  if (it->second.tokens < 1) return false;
  it->second.tokens -= 1;
  return true;
}

int RateLimiter::retry_after(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) return 0;
  refill(it->second, now);
  if (it->second.tokens >= 1) return 0;
  return static_cast<int>(std::ceil((1 - it->second.tokens) * 60 / per_minute_));
}

}  // namespace motcua::api
