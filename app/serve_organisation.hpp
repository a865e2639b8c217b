#pragma once
// Seeds the demo organisation into the identity store at `motcua serve` start: the agencies of
// samples/demo/agencies.tsv, the roles their officers hold, and the officers of
// samples/demo/officers.tsv. An officer that does not exist yet gets a freshly generated password,
// returned here (and printed once by the caller); existing officers are left untouched.
#include <string>
#include <vector>

#include "engine/clock.hpp"
#include "engine/identity.hpp"

namespace motcua::app {

struct NewOfficer {
  std::string login;
  std::string agency_id;
  std::string roles;  // comma-separated
  std::string password;
};

struct SeedReport {
  std::size_t agencies = 0;
  std::size_t officers = 0;         // officers in the file
  std::vector<NewOfficer> created;  // created now, with their one-time passwords
};

// Errors: kIo (unreadable file), kInvalidInput ("file:line" for a malformed row or an unknown
// agency key), store errors.
engine::Result<SeedReport> seed_demo_organisation(engine::IdentityRepository& identity,
                                                  const engine::Clock& clock,
                                                  const std::string& agencies_tsv,
                                                  const std::string& officers_tsv);

}  // namespace motcua::app
