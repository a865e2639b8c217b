#include "api/auth.hpp"

#include <algorithm>

#include "api/password.hpp"

namespace motcua::api {
namespace {

engine::Error denied() {
  return engine::Error{engine::ErrorCode::kForbidden,
                       "wrong login or password, or the account is locked or inactive",
                       {}};
}

}  // namespace

bool Principal::has_role(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

Authenticator::Authenticator(std::shared_ptr<engine::IdentityRepository> identity,
                             std::shared_ptr<const engine::Clock> clock, AuthSettings settings)
    : identity_(std::move(identity)), clock_(std::move(clock)), settings_(settings) {
  dummy_hash_ = hash_password("motcua: no such officer").value_or("");
}

engine::Result<LoginResult> Authenticator::login(std::string_view login,
                                                 std::string_view password) {
  if (login.size() > 64 || password.size() > 1024) return tl::unexpected(denied());
  auto found = identity_->find_officer(login);
  if (!found) return tl::unexpected(found.error());
  const engine::Instant now = clock_->now();
  if (!found->has_value()) {
    (void)verify_password(dummy_hash_, password);  // same cost as a real check
    return tl::unexpected(denied());
  }
  const engine::OfficerRecord& officer = **found;
  const bool locked = officer.locked_until && *officer.locked_until > now;
  const bool ok = verify_password(officer.password_hash, password);
  if (!ok || locked || !officer.active) {
    if (!ok) {
      auto counted = identity_->record_login_failure(officer.login, now, settings_.lock_after,
                                                     settings_.lock_for);
      if (!counted) return tl::unexpected(counted.error());
    }
    return tl::unexpected(denied());
  }
  if (officer.failed_logins > 0 || officer.locked_until) {
    if (auto reset = identity_->reset_login_failures(officer.login); !reset)
      return tl::unexpected(reset.error());
  }
  auto token = random_secret();
  if (!token) return tl::unexpected(token.error());
  LoginResult result;
  result.token = "mct_" + *token;
  result.expires = now + settings_.token_ttl;
  auto token_hash = sha256_hex(result.token);
  if (!token_hash) return tl::unexpected(token_hash.error());
  engine::TokenRecord record{std::move(*token_hash), officer.login, now, result.expires, {}};
  if (auto stored = identity_->add_token(record); !stored) return tl::unexpected(stored.error());
  result.principal = Principal{officer.login, officer.display_name, officer.agency_id,
                               officer.roles, record.token_hash};
  return result;
}

engine::Result<Principal> Authenticator::authenticate(std::string_view token) {
  if (token.size() < 8 || token.size() > 256) return tl::unexpected(denied());
  auto hashed = sha256_hex(token);
  if (!hashed) return tl::unexpected(hashed.error());
  const std::string& hash = *hashed;
  auto found = identity_->find_token(hash);
  if (!found) return tl::unexpected(found.error());
  if (!found->has_value()) return tl::unexpected(denied());
  const engine::TokenRecord& t = **found;
  // The look-up was by hash; compare again in constant time so no timing reveals a prefix.
  if (!equal_constant_time(t.token_hash, hash)) return tl::unexpected(denied());
  if (t.revoked || t.expires <= clock_->now()) return tl::unexpected(denied());
  auto officer = identity_->find_officer(t.login);
  if (!officer) return tl::unexpected(officer.error());
  if (!officer->has_value() || !(*officer)->active) return tl::unexpected(denied());
  const engine::OfficerRecord& o = **officer;
  return Principal{o.login, o.display_name, o.agency_id, o.roles, hash};
}

engine::Status Authenticator::logout(std::string_view token) {
  auto principal = authenticate(token);
  if (!principal) return tl::unexpected(principal.error());
  return identity_->revoke_token(principal->token_hash, clock_->now());
}

}  // namespace motcua::api
