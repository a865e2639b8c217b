#pragma once
// DossierStatistics port: read-side queries of the API that need only the dossiers' projection
// rows: the counts /metrics publishes, the public tracking summary (one indexed row read, no
// events) and whether a dossier cites an attachment (who may read it). store/ implements it on
// SQLite and PostgreSQL (store/sql_dossier_statistics.hpp). Thread-safe. Errors: kIo.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "engine/error.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

struct DossierCounts {
  std::map<int, std::int64_t> by_status;  // national status code (1..10) -> dossiers
  std::int64_t overdue = 0;  // unfinished, clock running (not waiting for a supplement), past due
};

// What public tracking by code shows (DOMAIN.md rule 13): no names, no steps.
struct DossierSummary {
  std::string code;
  std::string state;
  int status = 0;  // national status code
  std::optional<Instant> due;
};

class DossierStatistics {
 public:
  virtual ~DossierStatistics() = default;
  virtual Result<DossierCounts> counts(Instant now) = 0;
  // The summary of one dossier, or nullopt when no dossier has this code.
  virtual Result<std::optional<DossierSummary>> summary(std::string_view code) = 0;
  // True when the current components of some dossier cite the attachment `sha256`; with a
  // non-empty `agency_id`, only dossiers that agency handles (one of their agency ids) count.
  virtual Result<bool> cites_attachment(std::string_view sha256, std::string_view agency_id) = 0;
};

}  // namespace motcua::engine
