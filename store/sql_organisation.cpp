#include "store/sql_organisation.hpp"

#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {

engine::Result<std::map<std::string, std::string>> SqlOrganisation::agency_ids() {
  const std::uint64_t epoch = db_->organisation_epoch();
  const engine::Instant now = clock_->now();
  {
    std::lock_guard lock(mutex_);
    if (cached_ && epoch_ == epoch && now >= read_at_ && now - read_at_ < max_age_) return ids_;
  }
  auto read = detail::guarded("reading the agencies", [&] {
    std::map<std::string, std::string> ids;
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    soci::rowset<soci::row> rows =
        sql.prepare << "SELECT agency_key, id FROM agencies WHERE agency_key <> '' ORDER BY id";
    for (const soci::row& r : rows) ids.emplace(r.get<std::string>(0), r.get<std::string>(1));
    return ids;
  });
  if (!read) return read;
  std::lock_guard lock(mutex_);
  // A change during the read bumped the epoch past `epoch`: the next call reads again.
  ids_ = *read;
  epoch_ = epoch;
  read_at_ = now;
  cached_ = true;
  return read;
}

}  // namespace motcua::store
