#pragma once
// ReportFact: what the transparency indicators (DOMAIN.md "Transparency", Decision 766) need to
// know of one dossier after a command, and nothing more: no names, no form values, no reasons.
// It is (1) the input of the report arithmetic, (2) the source of the report tallies a unit of
// work adds to (engine/ports/report_tallies.hpp), and (3) the payload of the dossier's leaf in the
// transparency log, from which anyone can recompute every published figure.
//
// The field set is part of the log's format: a field added later needs a new leaf format version.
// Plain value, no behaviour; derived from a dossier by the lifecycle (engine/report_facts.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include "engine/dossier.hpp"
#include "engine/procedure.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

// How a dossier ended, as the reports count it.
enum class ReportOutcome : int {
  kOpen = 0,       // not finished
  kResult = 1,     // resolved with a result (approved, issued)
  kRefused = 2,    // refused with a reason (at intake or after processing)
  kWithdrawn = 3,  // withdrawn by the applicant
  kStopped = 4,    // stopped (e.g. the applicant never supplemented)
};

struct ReportFact {
  std::string code;            // dossier code
  std::string procedure_code;  // Procedure::code
  int procedure_version = 0;
  std::string agency_id;  // the agency that received the dossier (QCVN 102 id)
  Channel channel = Channel::kOnline;
  int status = 0;  // national status code (1..10) after the command

  Instant received{};                       // submitted_at
  std::optional<Instant> clock_start;       // when intake accepted it (legal clock started)
  std::optional<Instant> due;               // current due date, after re-dating; nullopt before intake
  std::optional<Instant> original_due;      // before an apology re-dated it; nullopt if never re-dated
  int supplement_requests = 0;              // requests made so far (more than one = late, 2.1)
  std::optional<Instant> supplement_requested_at;  // set while a request is pending (clock stopped)
  std::optional<Instant> finished;          // when the dossier was resolved or ended
  ReportOutcome outcome = ReportOutcome::kOpen;
  Verdict verdict = Verdict::kNone;  // the lifecycle's verdict at finish (kEarly/kOnTime/kLate)

  // Resolution time (2.2) in the procedure's own time unit, in thousandths of that unit (working
  // days: 1000 = one working day); nullopt until finished.
  DurationUnit time_unit = DurationUnit::kWorkingDays;
  std::optional<std::int64_t> resolution_milli;

  bool full_online = false;        // the procedure is level 4 and the dossier came online (3.x)
  bool fee_bearing = false;        // a fee above zero is due for this dossier (3.5-3.6)
  bool paid_online = false;        // the fee was paid online
  bool electronic_result = false;  // a signed electronic result was issued (4.1)
  bool digitised = false;          // its components were digitised (4.2)
  bool reused_data = false;        // a component reused digitised data (4.3)
  bool citizen_store = false;      // linked to the citizen's electronic store (4.4)
  bool complaint = false;          // a complaint or a "dislike" evaluation (5.4)

  friend bool operator==(const ReportFact&, const ReportFact&) = default;
};

}  // namespace motcua::engine
