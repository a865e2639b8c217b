#pragma once
// DossierStatistics port: read-side queries of the API that need only the dossiers' projection
// rows: the counts /metrics publishes and the public tracking summary (one indexed row read, no
// events). store/ implements it on SQLite and PostgreSQL (store/sql_dossier_statistics.hpp).
// Thread-safe. Errors: kIo.
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
};

}  // namespace motcua::engine
