#include "api/status_cache.hpp"

namespace motcua::api {

std::optional<engine::DossierSummary> StatusCache::find(std::string_view code) const {
  std::shared_lock lock(mutex_);
  if (!live_) return std::nullopt;
  auto it = views_.find(code);
  if (it == views_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t StatusCache::epoch() const {
  std::shared_lock lock(mutex_);
  return epoch_;
}

void StatusCache::put(const engine::DossierSummary& summary, std::uint64_t epoch_before_read) {
  std::unique_lock lock(mutex_);
  if (!live_ || reset_epoch_ > epoch_before_read || epoch_ - epoch_before_read >= kRecent) return;
  for (std::uint64_t e = epoch_before_read + 1; e <= epoch_; ++e) {
    if (recent_[e % kRecent] == summary.code) return;  // changed since it was read
  }
  if (views_.size() >= capacity_) views_.clear();
  views_.insert_or_assign(summary.code, summary);
}

void StatusCache::invalidate(std::string_view code) {
  std::unique_lock lock(mutex_);
  ++epoch_;
  recent_[epoch_ % kRecent].assign(code);
  if (auto it = views_.find(code); it != views_.end()) views_.erase(it);
}

void StatusCache::reset(bool live) {
  std::unique_lock lock(mutex_);
  ++epoch_;
  reset_epoch_ = epoch_;
  recent_[epoch_ % kRecent].clear();
  views_.clear();
  live_ = live;
}

std::size_t StatusCache::size() const {
  std::shared_lock lock(mutex_);
  return views_.size();
}

}  // namespace motcua::api
