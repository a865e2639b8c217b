#pragma once
// Authenticator: officers' logins and bearer tokens. A login checks the argon2id hash; unknown
// logins, wrong passwords, locked and inactive accounts all fail with the same error (and an
// unknown login still spends one argon2id computation), so responses never tell which logins
// exist. `lock_after` consecutive failures lock an account for `lock_for`. Tokens are 32 random
// bytes shown once; only their SHA-256 is stored, with an expiry, and they can be revoked.
// Thread-safe (state lives in the IdentityRepository).
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "engine/clock.hpp"
#include "engine/identity.hpp"

namespace motcua::api {

struct Principal {
  std::string login;
  std::string display_name;
  std::string agency_id;
  std::vector<std::string> roles;
  std::string token_hash;
  bool has_role(std::string_view role) const;
  bool admin() const { return has_role(engine::kAdminRole); }
};

struct AuthSettings {
  std::chrono::seconds token_ttl{8 * 3600};
  int lock_after = 5;
  std::chrono::seconds lock_for{15 * 60};
};

struct LoginResult {
  std::string token;  // the bearer token, shown once
  engine::Instant expires{};
  Principal principal;
};

class Authenticator {
 public:
  Authenticator(std::shared_ptr<engine::IdentityRepository> identity,
                std::shared_ptr<const engine::Clock> clock, AuthSettings settings);

  // Errors: kForbidden for every credential failure (see above); kIo from the store.
  engine::Result<LoginResult> login(std::string_view login, std::string_view password);
  // The principal of a live token. Errors: kForbidden (unknown, expired, revoked, officer
  // inactive); kIo.
  engine::Result<Principal> authenticate(std::string_view token);
  // Revokes the token. Errors: kForbidden when it is not a live token.
  engine::Status logout(std::string_view token);

 private:
  std::shared_ptr<engine::IdentityRepository> identity_;
  std::shared_ptr<const engine::Clock> clock_;
  AuthSettings settings_;
  std::string dummy_hash_;  // hashed once: unknown logins verify against it
};

}  // namespace motcua::api
