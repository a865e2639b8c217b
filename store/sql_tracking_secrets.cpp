#include "store/sql_tracking_secrets.hpp"

#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {

engine::Result<std::optional<std::string>> SqlTrackingSecrets::find(std::string_view code_view) {
  const std::string code(code_view);
  return detail::guarded("reading a tracking secret", [&]() -> std::optional<std::string> {
    std::string hash;
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    sql << "SELECT secret_hash FROM tracking_secrets WHERE dossier_code = :c", soci::use(code),
        soci::into(hash);
    if (!sql.got_data()) return std::nullopt;
    return hash;
  });
}

}  // namespace motcua::store
