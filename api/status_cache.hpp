#pragma once
// StatusCache: the public tracking view (code, state, status, due date) of dossiers looked up
// recently, kept in memory so that GET /api/v1/tracking/{code} is answered on the network thread
// without a database round trip (Route::immediate).
//
// It is only as fresh as what tells it about changes (store/change_feed.hpp wired by app/):
// invalidate(code) after a committed change of that dossier, reset(live) when changes may have
// been missed; while not live nothing is served. A view read from the database is put with the
// epoch taken before the read and dropped if its dossier was invalidated since, or the cache was
// reset, or more than kRecent invalidations happened meanwhile, so a read racing a change never
// refills the cache with the older state (while reads of other dossiers still fill it). Unknown
// codes are never cached. At most `capacity` views are held (a full cache is emptied). Thread-safe.
#include <cstdint>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/dossier_statistics.hpp"

namespace motcua::api {

class StatusCache {
 public:
  static constexpr std::size_t kRecent = 1024;  // invalidated codes remembered for put()

  explicit StatusCache(std::size_t capacity = 100000) : capacity_(capacity) {}

  // The view, when live and held.
  std::optional<engine::DossierSummary> find(std::string_view code) const;
  // Take before reading the database; pass to put().
  std::uint64_t epoch() const;
  void put(const engine::DossierSummary& summary, std::uint64_t epoch_before_read);

  void invalidate(std::string_view code);
  void reset(bool live);

  std::size_t size() const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, engine::DossierSummary, Hash, std::equal_to<>> views_;
  std::uint64_t epoch_ = 0;
  std::uint64_t reset_epoch_ = 0;  // the epoch of the last reset
  std::vector<std::string> recent_ = std::vector<std::string>(kRecent);  // code at epoch % kRecent
  bool live_ = false;
  std::size_t capacity_;
};

}  // namespace motcua::api
