#pragma once
// DocumentIssuer: the engine's port for the signed electronic documents a dossier produces
// (DOMAIN.md lifecycle rule 2 and "Results are issued as signed electronic documents"):
//   - the receipt, Form 01 of Circular 03/2025/TT-VPCP "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
//     issued by the receiving agency when intake accepts a complete dossier, with the dossier code
//     and the due date (the appointment to collect the result);
//   - the result document of the procedure (Procedure::results), issued by the agency that decides,
//     approved, or refused with a reason.
// An implementation renders the document (documents/ renders XML after schemas/receipt.xsd and
// schemas/result.xsd), signs it with the key configured for (issuing agency id, signing role) and
// returns the signed bytes; it stores nothing (the caller stores the bytes, e.g. in the
// AttachmentStore, and records `sha256`). The engine itself never signs.
//
// Inputs are copied; nothing is retained after the call. Implementations are thread-safe: both
// methods are const and may run on several threads at once. They do blocking work (signing): call
// them off the network threads. Every instant is rendered in the implementation's local offset.
//
// Errors:
//   kInvalidInput  the input cannot make a valid document: a component or result the procedure
//                  does not declare, no due date, no receiving agency id, empty applicant, text
//                  that is not UTF-8 or holds characters XML cannot carry, values over the size
//                  limits, a dossier code that is not <agency id>-YYMMDD-NNNN;
//   kReasonRequired a decision of kRefused without a reason;
//   kForbidden     no signing key is configured for (agency id, role); the issuing agency does not
//                  handle the dossier; the signer's role or agency is not the result's;
//   kInternal      rendering or signing failed (library detail in Error::detail).
#include <string>
#include <string_view>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/error.hpp"
#include "engine/procedure.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

enum class DocumentKind { kReceipt, kResult };
std::string_view to_string(DocumentKind kind) noexcept;  // "receipt", "result"

// The role whose key signs receipts: the one-stop desk (Bộ phận Một cửa) of the receiving agency.
inline constexpr std::string_view kReceiptSignerRole = "desk";

// One component handed in, as the receipt lists it (names, originals and copies come from the
// procedure's Component).
struct ReceivedComponent {
  std::string component_id;  // Component::id of the pinned procedure
  bool digitised = false;    // scanned / recorded electronically (số hóa)
};

struct ReceiptRequest {
  std::string applicant_name;  // required, e.g. "Nguyễn Thị Hồng Nhung"
  std::vector<ReceivedComponent> components;
  Instant received_at{};     // when the complete dossier was accepted
  Actor officer;             // the receiving officer (or the system, for online intake)
  std::string officer_name;  // display name; optional (the login is used when empty)
  // The days not yet decreed that the due date depends on (Calendar::provisional_days): when
  // non-empty the receipt says the appointment is provisional and may change.
  std::vector<LocalDate> due_provisional;
};

// What a result document records (named apart from state_machine.hpp's Decision, what decide()
// returns, so both headers may meet in one translation unit).
enum class ResultDecision { kApproved, kRefused };
std::string_view to_string(ResultDecision decision) noexcept;  // "approved", "refused"

struct ResultRequest {
  std::string agency_id;       // QCVN 102 id of the issuing agency (whose key signs)
  std::string applicant_name;  // required
  ResultDecision decision = ResultDecision::kApproved;
  std::string reason;  // required when refused (DOMAIN.md rule 7)
  Instant issued_at{};
  Actor signer;             // the officer who signs; their role must be the result's signer_role
  std::string signer_name;  // display name; optional
};

struct IssuedDocument {
  DocumentKind kind = DocumentKind::kReceipt;
  std::string id;          // the root element's Id, which the signature references ("#id")
  std::string media_type;  // "application/xml"
  std::string xml;         // the signed document, UTF-8
  std::string sha256;      // lowercase hex SHA-256 of `xml`
  std::string agency_id;   // the agency whose key signed
  std::string role;        // the signing role (kReceiptSignerRole or ResultDocument::signer_role)
};

class DocumentIssuer {
 public:
  virtual ~DocumentIssuer() = default;

  // The receipt of `dossier` (which must carry its code and due date). The receiving agency is
  // dossier.agency_ids[procedure.receiving_agency], else that agency's default code; its
  // kReceiptSignerRole key signs.
  virtual Result<IssuedDocument> issue_receipt(const Procedure& procedure, const Dossier& dossier,
                                               const ReceiptRequest& request) const = 0;

  // The result document `result` (one of procedure.results, matched by id) of `dossier`, signed
  // with the key of (request.agency_id, result.signer_role). A request whose signer holds another
  // role than result.signer_role is kForbidden.
  virtual Result<IssuedDocument> issue_result(const Procedure& procedure, const Dossier& dossier,
                                              const ResultDocument& result,
                                              const ResultRequest& request) const = 0;
};

}  // namespace motcua::engine
