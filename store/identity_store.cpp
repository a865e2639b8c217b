#include "store/identity_store.hpp"

#include <algorithm>

#include "store/internal/guarded.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store {
namespace {

using detail::guarded;
using engine::deny;
using engine::ErrorCode;

long long seconds(engine::Instant at) { return at.time_since_epoch().count(); }
engine::Instant instant(long long s) { return engine::Instant{std::chrono::seconds{s}}; }

bool valid_login(std::string_view login) {
  if (login.empty() || login.size() > 64) return false;
  return std::all_of(login.begin(), login.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
}

engine::Status check_officer(const engine::OfficerRecord& o) {
  if (!valid_login(o.login))
    return deny(ErrorCode::kInvalidInput, "a login is 1-64 characters of a-z 0-9 . _ -");
  if (o.password_hash.empty())
    return deny(ErrorCode::kInvalidInput, "an officer needs a password hash");
  if (o.agency_id.empty()) return deny(ErrorCode::kInvalidInput, "an officer needs an agency");
  return {};
}

bool agency_exists(soci::session& sql, const std::string& id) {
  int n = 0;
  sql << "SELECT COUNT(*) FROM agencies WHERE id = :i", soci::use(id), soci::into(n);
  return n > 0;
}

// Writes the officer's roles, replacing any; each must be staffed by the agency.
engine::Status write_roles(soci::session& sql, const engine::OfficerRecord& o) {
  sql << "DELETE FROM officer_roles WHERE login = :l", soci::use(o.login);
  for (const std::string& role : o.roles) {
    int n = 0;
    sql << "SELECT COUNT(*) FROM agency_roles WHERE agency_id = :a AND role = :r",
        soci::use(o.agency_id), soci::use(role), soci::into(n);
    if (n == 0)
      return deny(ErrorCode::kInvalidInput,
                  "agency " + o.agency_id + " does not staff the role " + role);
    sql << "INSERT INTO officer_roles (login, agency_id, role) VALUES (:l, :a, :r)",
        soci::use(o.login), soci::use(o.agency_id), soci::use(role);
  }
  return {};
}

std::vector<std::string> read_roles(soci::session& sql, const std::string& login) {
  std::vector<std::string> roles;
  soci::rowset<std::string> rows =
      (sql.prepare << "SELECT role FROM officer_roles WHERE login = :l ORDER BY role",
       soci::use(login));
  for (const std::string& r : rows) roles.push_back(r);
  return roles;
}

constexpr const char* kOfficerColumns =
    "SELECT login, display_name, agency_id, password_hash, active, failed_logins, locked_until, "
    "created_at FROM officers";

engine::OfficerRecord read_officer(const soci::row& row) {
  engine::OfficerRecord o;
  o.login = row.get<std::string>(0);
  o.display_name = row.get<std::string>(1);
  o.agency_id = row.get<std::string>(2);
  o.password_hash = row.get<std::string>(3);
  const auto number = [&](std::size_t i) { return detail::row_int(row, i); };
  o.active = number(4) != 0;
  o.failed_logins = static_cast<int>(number(5));
  if (row.get_indicator(6) != soci::i_null) o.locked_until = instant(number(6));
  o.created = instant(number(7));
  return o;
}

}  // namespace

engine::Status SqlIdentityStore::put_agency(const engine::AgencyRecord& a) {
  if (a.id.empty() || a.id.size() > 64)
    return deny(ErrorCode::kInvalidInput, "an agency needs an id of at most 64 characters");
  auto done = guarded("storing an agency", [&] {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    sql << "INSERT INTO agencies (id, agency_key, name_vi, name_en) VALUES (:i, :k, :v, :e) "
           "ON CONFLICT (id) DO UPDATE SET agency_key = excluded.agency_key, "
           "name_vi = excluded.name_vi, name_en = excluded.name_en",
        soci::use(a.id), soci::use(a.key), soci::use(a.name.vi), soci::use(a.name.en);
  });
  if (done) db_->organisation_changed();
  return done;
}

engine::Result<std::vector<engine::AgencyRecord>> SqlIdentityStore::agencies() {
  return guarded("listing agencies", [&] {
    std::vector<engine::AgencyRecord> out;
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    soci::rowset<soci::row> rows =
        sql.prepare << "SELECT id, agency_key, name_vi, name_en FROM agencies ORDER BY id";
    for (const soci::row& r : rows)
      out.push_back({r.get<std::string>(0),
                     r.get<std::string>(1),
                     {r.get<std::string>(2), r.get<std::string>(3)}});
    return out;
  });
}

engine::Result<std::optional<engine::AgencyRecord>> SqlIdentityStore::find_agency(
    std::string_view id_view) {
  std::string id(id_view);
  return guarded("reading an agency", [&]() -> std::optional<engine::AgencyRecord> {
    engine::AgencyRecord a;
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    sql << "SELECT id, agency_key, name_vi, name_en FROM agencies WHERE id = :i", soci::use(id),
        soci::into(a.id), soci::into(a.key), soci::into(a.name.vi), soci::into(a.name.en);
    if (!sql.got_data()) return std::nullopt;
    return a;
  });
}

engine::Status SqlIdentityStore::add_role(const engine::AgencyRole& r) {
  if (r.role.empty() || r.role.size() > 64)
    return deny(ErrorCode::kInvalidInput, "a role id is 1-64 characters");
  return guarded("adding a role", [&]() -> engine::Status {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    if (!agency_exists(sql, r.agency_id))
      return deny(ErrorCode::kNotFound, "no agency " + r.agency_id);
    sql << "INSERT INTO agency_roles (agency_id, role) VALUES (:a, :r) ON CONFLICT DO NOTHING",
        soci::use(r.agency_id), soci::use(r.role);
    return {};
  });
}

engine::Status SqlIdentityStore::remove_role(const engine::AgencyRole& r) {
  auto tx = detail::Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  auto done = guarded("removing a role", [&]() -> engine::Status {
    soci::session& sql = (*tx)->sql();
    int held = 0, staffed = 0;
    sql << "SELECT COUNT(*) FROM agency_roles WHERE agency_id = :a AND role = :r",
        soci::use(r.agency_id), soci::use(r.role), soci::into(staffed);
    if (staffed == 0)
      return deny(ErrorCode::kNotFound, "agency " + r.agency_id + " does not staff " + r.role);
    sql << "SELECT COUNT(*) FROM officer_roles WHERE agency_id = :a AND role = :r",
        soci::use(r.agency_id), soci::use(r.role), soci::into(held);
    if (held > 0) return deny(ErrorCode::kConflict, "officers still hold the role " + r.role);
    sql << "DELETE FROM agency_roles WHERE agency_id = :a AND role = :r", soci::use(r.agency_id),
        soci::use(r.role);
    return {};
  });
  if (!done) return done;
  return (*tx)->commit();
}

engine::Result<std::vector<engine::AgencyRole>> SqlIdentityStore::roles(
    std::string_view agency_view) {
  std::string agency(agency_view);
  return guarded("listing roles", [&] {
    std::vector<engine::AgencyRole> out;
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    soci::rowset<soci::row> rows =
        (sql.prepare
             << "SELECT agency_id, role FROM agency_roles WHERE :a1 = '' OR agency_id = :a2 "
                "ORDER BY agency_id, role",
         soci::use(agency), soci::use(agency));
    for (const soci::row& r : rows) out.push_back({r.get<std::string>(0), r.get<std::string>(1)});
    return out;
  });
}

engine::Status SqlIdentityStore::add_officer(const engine::OfficerRecord& o) {
  if (auto ok = check_officer(o); !ok) return ok;
  auto tx = detail::Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  auto done = guarded(
      "adding an officer",
      [&]() -> engine::Status {
        soci::session& sql = (*tx)->sql();
        if (!agency_exists(sql, o.agency_id))
          return deny(ErrorCode::kNotFound, "no agency " + o.agency_id);
        int taken = 0;
        sql << "SELECT COUNT(*) FROM officers WHERE login = :l", soci::use(o.login),
            soci::into(taken);
        if (taken) return deny(ErrorCode::kConflict, "the login " + o.login + " is taken");
        int active = o.active ? 1 : 0;
        long long created = seconds(o.created);
        sql << "INSERT INTO officers (login, display_name, agency_id, password_hash, active, "
               "failed_logins, locked_until, created_at) VALUES (:l, :d, :a, :p, :x, 0, NULL, :c)",
            soci::use(o.login), soci::use(o.display_name), soci::use(o.agency_id),
            soci::use(o.password_hash), soci::use(active), soci::use(created);
        return write_roles(sql, o);
      },
      engine::Error{ErrorCode::kConflict, "the login " + o.login + " is taken", "",
                    "the login " + o.login + " is taken"});
  if (!done) return done;
  return (*tx)->commit();
}

engine::Status SqlIdentityStore::update_officer(const engine::OfficerRecord& o) {
  if (auto ok = check_officer(o); !ok) return ok;
  auto tx = detail::Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  auto done = guarded("updating an officer", [&]() -> engine::Status {
    soci::session& sql = (*tx)->sql();
    if (!agency_exists(sql, o.agency_id))
      return deny(ErrorCode::kNotFound, "no agency " + o.agency_id);
    int active = o.active ? 1 : 0;
    soci::statement st =
        (sql.prepare << "UPDATE officers SET display_name = :d, agency_id = :a, password_hash = "
                        ":p, active = :x WHERE login = :l",
         soci::use(o.display_name), soci::use(o.agency_id), soci::use(o.password_hash),
         soci::use(active), soci::use(o.login));
    st.execute(true);
    if (st.get_affected_rows() == 0) return deny(ErrorCode::kNotFound, "no officer " + o.login);
    return write_roles(sql, o);
  });
  if (!done) return done;
  return (*tx)->commit();
}

engine::Result<std::optional<engine::OfficerRecord>> SqlIdentityStore::find_officer(
    std::string_view login_view) {
  std::string login(login_view);
  return guarded("reading an officer", [&]() -> std::optional<engine::OfficerRecord> {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    soci::rowset<soci::row> rows =
        (sql.prepare << std::string(kOfficerColumns) + " WHERE login = :l", soci::use(login));
    for (const soci::row& r : rows) {
      engine::OfficerRecord o = read_officer(r);
      o.roles = read_roles(sql, o.login);
      return o;
    }
    return std::nullopt;
  });
}

engine::Result<std::vector<engine::OfficerRecord>> SqlIdentityStore::officers(
    std::string_view agency_view) {
  std::string agency(agency_view);
  return guarded("listing officers", [&] {
    std::vector<engine::OfficerRecord> out;
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    {
      soci::rowset<soci::row> rows =
          (sql.prepare << std::string(kOfficerColumns) +
                              " WHERE :a1 = '' OR agency_id = :a2 ORDER BY login",
           soci::use(agency), soci::use(agency));
      for (const soci::row& r : rows) out.push_back(read_officer(r));
    }
    for (engine::OfficerRecord& o : out) o.roles = read_roles(sql, o.login);
    return out;
  });
}

engine::Result<int> SqlIdentityStore::record_login_failure(std::string_view login_view,
                                                           engine::Instant now, int lock_after,
                                                           std::chrono::seconds lock_for) {
  std::string login(login_view);
  long long until = seconds(now) + lock_for.count();
  auto tx = detail::Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  auto count = guarded("counting a failed login", [&] {
    int count = 0;
    soci::session& sql = (*tx)->sql();
    // One UPDATE increments atomically; the lock is set in the same statement.
    sql << "UPDATE officers SET failed_logins = failed_logins + 1, locked_until = CASE WHEN "
           "failed_logins + 1 >= :n THEN :u ELSE locked_until END WHERE login = :l",
        soci::use(lock_after), soci::use(until), soci::use(login);
    sql << "SELECT failed_logins FROM officers WHERE login = :l", soci::use(login),
        soci::into(count);
    if (!sql.got_data()) count = 0;
    return count;
  });
  if (!count) return count;
  if (auto ok = (*tx)->commit(); !ok) return tl::unexpected(ok.error());
  return count;
}

engine::Status SqlIdentityStore::reset_login_failures(std::string_view login_view) {
  std::string login(login_view);
  return guarded("clearing failed logins", [&] {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    sql << "UPDATE officers SET failed_logins = 0, locked_until = NULL WHERE login = :l",
        soci::use(login);
  });
}

engine::Status SqlIdentityStore::add_token(const engine::TokenRecord& t) {
  long long issued = seconds(t.issued), expires = seconds(t.expires);
  return guarded(
      "storing a token",
      [&]() -> engine::Status {
        detail::Lease lease(*db_);
        soci::session& sql = lease.sql();
        int known = 0;
        sql << "SELECT COUNT(*) FROM officers WHERE login = :l", soci::use(t.login),
            soci::into(known);
        if (!known) return deny(ErrorCode::kNotFound, "no officer " + t.login);
        sql << "INSERT INTO officer_tokens (token_hash, login, issued_at, expires_at, revoked_at) "
               "VALUES (:h, :l, :i, :e, NULL)",
            soci::use(t.token_hash), soci::use(t.login), soci::use(issued), soci::use(expires);
        return {};
      },
      engine::Error{ErrorCode::kConflict, "token already stored", ""});
}

engine::Result<std::optional<engine::TokenRecord>> SqlIdentityStore::find_token(
    std::string_view hash_view) {
  return guarded("reading a token", [&]() -> std::optional<engine::TokenRecord> {
    engine::TokenRecord t;
    t.token_hash = std::string(hash_view);
    long long issued = 0, expires = 0, revoked = 0;
    soci::indicator revoked_ind = soci::i_null;
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    sql << "SELECT login, issued_at, expires_at, revoked_at FROM officer_tokens WHERE "
           "token_hash = :h",
        soci::use(t.token_hash), soci::into(t.login), soci::into(issued), soci::into(expires),
        soci::into(revoked, revoked_ind);
    if (!sql.got_data()) return std::nullopt;
    t.issued = instant(issued);
    t.expires = instant(expires);
    if (revoked_ind != soci::i_null) t.revoked = instant(revoked);
    return t;
  });
}

engine::Status SqlIdentityStore::revoke_token(std::string_view hash_view, engine::Instant now) {
  std::string hash(hash_view);
  long long at = seconds(now);
  return guarded("revoking a token", [&]() -> engine::Status {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    int known = 0;
    sql << "SELECT COUNT(*) FROM officer_tokens WHERE token_hash = :h", soci::use(hash),
        soci::into(known);
    if (!known) return deny(ErrorCode::kNotFound, "no such token");
    sql << "UPDATE officer_tokens SET revoked_at = :a WHERE token_hash = :h AND revoked_at IS "
           "NULL",
        soci::use(at), soci::use(hash);
    return {};
  });
}

engine::Status SqlIdentityStore::revoke_tokens_of(std::string_view login_view,
                                                  engine::Instant now) {
  std::string login(login_view);
  long long at = seconds(now);
  return guarded("revoking tokens", [&] {
    detail::Lease lease(*db_);
    soci::session& sql = lease.sql();
    sql << "UPDATE officer_tokens SET revoked_at = :a WHERE login = :l AND revoked_at IS NULL",
        soci::use(at), soci::use(login);
  });
}

}  // namespace motcua::store
