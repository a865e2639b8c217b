#pragma once
// Identity ports: the organisation (agencies, the roles each agency staffs, officers) and officers'
// bearer tokens, as the HTTP API needs them (tracking secrets: engine/ports/tracking_secrets.hpp).
// store/ implements them on SQLite and PostgreSQL (store/sql_identity_store.hpp); nothing here
// names SQL. Secrets are never stored: only their hashes (argon2id encodings for passwords,
// lowercase hex SHA-256 for the high-entropy random tokens).
//
// Thread-safe: every method may be called from several threads at once. Errors (common to every
// method): kIo when the database fails; kInvalidInput for malformed arguments. Specific errors are
// listed per method.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/error.hpp"
#include "engine/procedure.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

struct AgencyRecord {
  std::string id;  // QCVN 102 agency id, e.g. "000.01.21.H57"
  std::string
      key;  // the catalogue's agency key it stands for in this deployment, e.g. "commune-ppc"
  Text name;
  friend bool operator==(const AgencyRecord&, const AgencyRecord&) = default;
};

// A role an agency staffs (Role::id of the catalogue, or "admin" for organisation administrators).
struct AgencyRole {
  std::string agency_id;
  std::string role;
  friend bool operator==(const AgencyRole&, const AgencyRole&) = default;
};

inline constexpr std::string_view kAdminRole = "admin";

struct OfficerRecord {
  std::string login;  // 1..64 of [a-z0-9._-]
  std::string display_name;
  std::string agency_id;
  std::vector<std::string> roles;  // each staffed by the agency
  std::string password_hash;       // argon2id encoded string
  bool active = true;
  int failed_logins = 0;  // consecutive failures since the last success
  std::optional<Instant> locked_until;
  Instant created{};
  friend bool operator==(const OfficerRecord&, const OfficerRecord&) = default;
};

struct TokenRecord {
  std::string token_hash;  // lowercase hex SHA-256 of the bearer token
  std::string login;
  Instant issued{};
  Instant expires{};
  std::optional<Instant> revoked;
};

class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;

  // Inserts or replaces an agency (by id).
  virtual Status put_agency(const AgencyRecord& agency) = 0;
  // Every agency ordered by id.
  virtual Result<std::vector<AgencyRecord>> agencies() = 0;
  virtual Result<std::optional<AgencyRecord>> find_agency(std::string_view id) = 0;

  // Adds a role to an agency (no-op when present). Errors: kNotFound (agency).
  virtual Status add_role(const AgencyRole& role) = 0;
  // Removes a role. Errors: kNotFound (not staffed); kConflict while an officer holds it.
  virtual Status remove_role(const AgencyRole& role) = 0;
  // The roles of one agency (all agencies when `agency_id` is empty), ordered.
  virtual Result<std::vector<AgencyRole>> roles(std::string_view agency_id) = 0;

  // Errors: kConflict (login taken), kNotFound (agency), kInvalidInput (a role the agency does not
  // staff).
  virtual Status add_officer(const OfficerRecord& officer) = 0;
  // Replaces display name, agency, roles, password hash and active flag; keeps the failure
  // counters. Errors: kNotFound (officer or agency), kInvalidInput (role not staffed).
  virtual Status update_officer(const OfficerRecord& officer) = 0;
  virtual Result<std::optional<OfficerRecord>> find_officer(std::string_view login) = 0;
  // Officers of one agency (all when empty), ordered by login.
  virtual Result<std::vector<OfficerRecord>> officers(std::string_view agency_id) = 0;

  // Counts one failed login atomically; when the count reaches `lock_after`, sets locked_until to
  // now + lock_for. Returns the count after the increment (0 for an unknown login: nothing is
  // stored for it).
  virtual Result<int> record_login_failure(std::string_view login, Instant now, int lock_after,
                                           std::chrono::seconds lock_for) = 0;
  // Clears the failure count and lock after a successful login.
  virtual Status reset_login_failures(std::string_view login) = 0;

  // Errors: kConflict (same hash already stored), kNotFound (login).
  virtual Status add_token(const TokenRecord& token) = 0;
  virtual Result<std::optional<TokenRecord>> find_token(std::string_view token_hash) = 0;
  // Marks the token revoked (no-op when already revoked). Errors: kNotFound.
  virtual Status revoke_token(std::string_view token_hash, Instant now) = 0;
  // Revokes every live token of the officer (after a password change or deactivation).
  virtual Status revoke_tokens_of(std::string_view login, Instant now) = 0;
};

}  // namespace motcua::engine
