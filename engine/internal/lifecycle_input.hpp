#pragma once
// Internal to the lifecycle services (lifecycle_service.cpp, deadline_scheduler.cpp): checks of
// request sizes and components, request fingerprints for idempotency keys, and the outbox payloads.
// Pure functions, thread-safe.
#include <string>
#include <string_view>
#include <vector>

#include "engine/lifecycle_service.hpp"

namespace motcua::engine::lifecycle {

// Sizes and shapes of a submission (form values against the procedure's fields included).
Status check_submit(const Procedure& procedure, const SubmitRequest& request);
// Who may claim the channel (DOMAIN.md "Decisions taken"): a desk or postal submission is recorded
// by an officer acting in kDeskRole for the receiving agency `receiving_agency_id` (the id the
// submission resolved); anyone else submits online. Errors: kForbidden with a Vietnamese and
// English sentence.
Status check_channel(const SubmitRequest& request, std::string_view receiving_agency_id);
// Sizes and shapes of an action; attachments must name declared components.
Status check_action(const Procedure& procedure, const ActionRequest& request);
// Sizes only (before the procedure is known).
Status check_action_sizes(const ActionRequest& request);

// A stable SHA-256 fingerprint of everything the request asks for (not its idempotency key).
Result<std::string> fingerprint(const SubmitRequest& request);
Result<std::string> fingerprint(const ActionRequest& request);

// The idempotency record's outcome: which dossier, and which events the first execution appended.
std::string encode_outcome(std::string_view code, std::int64_t from_version,
                           std::int64_t to_version);
struct OutcomeRef {
  std::string code;
  std::int64_t from_version = 0;
  std::int64_t to_version = 0;
};
Result<OutcomeRef> decode_outcome(std::string_view text);

// The dossier's components after a command: `held` with `inputs` recorded over them (per
// component id), ordered by component id as the stores return them.
std::vector<ComponentRecord> merge_components(std::vector<ComponentRecord> held,
                                              const std::string& code,
                                              const std::vector<ComponentInput>& inputs);

// JSON string literal (with quotes) of UTF-8 text.
std::string json_string(std::string_view text);

// The kStatusTopic payload for the dossier after `action`:
//   {"action":"accept","state":"appraisal","status":4,"version":3}
// The dossier code and the instant are the outbox message's own dossier_code and created.
std::string status_payload(const Dossier& dossier, std::string_view action);

}  // namespace motcua::engine::lifecycle
