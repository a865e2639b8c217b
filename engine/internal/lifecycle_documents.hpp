#pragma once
// Private to the lifecycle service: which signed documents a command issues, and the rules that
// fill the issuer's requests from a dossier (engine/document_issuer.hpp).
//
//   - The transition whose clock effect is kStart (intake accepts the complete dossier) issues the
//     receipt: received_at = the command's instant, officer = the actor, the dossier's stored
//     components with their digitised flags. Its signer is the receiving desk (kReceiptSignerRole).
//   - A transition with issues_result issues the result, approved; a transition with clock effect
//     kFinish that does not issue the result (refusal after appraisal, DOMAIN.md rule 7) issues it
//     refused, with the command's reason. agency_id = the actor's agency; signer = the actor.
//   - A document is issued once: if the dossier already holds a document of that kind, nothing is
//     issued again. A procedure without results issues no result document.
//
// Applicant name (kApplicantNameFields): the first of these form fields that holds a value, else
// the first required text field of the procedure whose id ends in "-name" and holds a value, else
// "—".
//
// Which result (select_result): a procedure with one result uses it. With N > 1 results, the first
// enum field of the procedure with exactly N options selects by position (the dossier chose the
// k-th option -> the k-th result, e.g. 3.000333 "Phiếu số 2" -> certificate-2); otherwise, or when
// the value is missing, the first result.
#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/error.hpp"
#include "engine/ports/records.hpp"
#include "engine/procedure.hpp"

namespace motcua::engine {

class DocumentIssuer;

namespace lifecycle {

inline constexpr std::array<std::string_view, 8> kApplicantNameFields = {
    "full-name", "applicant-name", "requester-name", "owner-name",
    "head-name", "holder-name",    "investor-name",  "representative-name"};

std::string applicant_name(const Procedure& procedure,
                           const std::map<std::string, std::string>& form);

// nullptr when the procedure declares no result.
const ResultDocument* select_result(const Procedure& procedure,
                                    const std::map<std::string, std::string>& form);

// The transition `action` takes from `state`, or nullptr (a branch answer, an unknown action).
const Transition* find_transition(const Procedure& procedure, std::string_view state,
                                  std::string_view action);

// What the rules read besides the procedure and the dossier.
struct DocumentContext {
  std::vector<DocumentRecord> held;         // documents the dossier holds already
  std::vector<ComponentRecord> components;  // the dossier's components after the command
  std::map<std::string, std::string> form;  // the dossier's form as submitted
  Actor actor;
  std::string reason;
  Instant at{};
  std::vector<LocalDate> due_provisional;  // of the dossier after the command (receipt)
};

// Issues the documents `transition` calls for on `dossier` (the projection after the command) and
// appends them to `out` (the command's DossierWrite::documents), stored before the caller commits.
// Errors: the issuer's (engine/document_issuer.hpp).
Status issue_documents(const DocumentIssuer& issuer, const DocumentContext& context,
                       const Procedure& procedure, const Transition& transition,
                       const Dossier& dossier, std::vector<StoredDocument>& out);

}  // namespace lifecycle
}  // namespace motcua::engine
