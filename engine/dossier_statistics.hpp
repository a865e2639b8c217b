#pragma once
// DossierStatistics port: the counts the API's /metrics publishes. store/ implements it on SQLite
// and PostgreSQL (store/sql_dossier_statistics.hpp). Thread-safe. Errors: kIo.
#include <cstdint>
#include <map>

#include "engine/error.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

struct DossierCounts {
  std::map<int, std::int64_t> by_status;  // national status code (1..10) -> dossiers
  std::int64_t overdue = 0;  // unfinished, clock running (not waiting for a supplement), past due
};

class DossierStatistics {
 public:
  virtual ~DossierStatistics() = default;
  virtual Result<DossierCounts> counts(Instant now) = 0;
};

}  // namespace motcua::engine
