#pragma once
// ReportTallies port: the per-day counters the transparency reports sum instead of scanning
// dossiers. A unit of work adds TallyDeltas (engine/ports/dossier_write.hpp) in the same
// transaction as the command they describe, so the tallies are exactly the sum of every committed
// dossier's contribution (engine/report_tallies.hpp says which metric counts what). The store knows
// nothing of what a metric means: it keeps (day, agency, procedure, metric) -> value and sums.
// store/ implements it on SQLite and PostgreSQL. Thread-safe. Errors: kIo; kInvalidInput when
// from_day > to_day.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/error.hpp"

namespace motcua::engine {

// Local (deployment time zone) calendar day, as days since 1970-01-01.
using ReportDay = std::int32_t;

struct TallyFilter {
  ReportDay from_day = 0;      // inclusive
  ReportDay to_day = 0;        // inclusive
  std::string agency_id;       // empty = every agency
  std::string procedure_code;  // empty = every procedure
};

// The sum of one metric over the filter's days, for one agency and procedure.
struct TallySum {
  std::string agency_id;
  std::string procedure_code;
  std::int16_t metric = 0;
  std::int64_t value = 0;
  friend bool operator==(const TallySum&, const TallySum&) = default;
};

class ReportTallies {
 public:
  virtual ~ReportTallies() = default;
  // Sums grouped by (agency_id, procedure_code, metric), ordered by them; zero sums may be left
  // out.
  virtual Result<std::vector<TallySum>> sums(const TallyFilter& filter) = 0;
};

}  // namespace motcua::engine
