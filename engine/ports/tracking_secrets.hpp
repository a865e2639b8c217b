#pragma once
// TrackingSecrets: the stored hash of each dossier's tracking secret (the citizen's capability to
// read the full record and act on the dossier). The hash is written once, with the dossier, by the
// submission's unit of work (DossierWrite::tracking_secret_sha256); this port is where every
// reader finds it (idempotent replays, the API's checks). The secret itself is never stored.
// Thread-safe. Errors: kIo when the database fails.
#include <optional>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::engine {

class TrackingSecrets {
 public:
  virtual ~TrackingSecrets() = default;
  // The lowercase hex SHA-256 stored for the dossier, or nullopt (unknown code, no secret).
  virtual Result<std::optional<std::string>> find(std::string_view dossier_code) = 0;
};

}  // namespace motcua::engine
