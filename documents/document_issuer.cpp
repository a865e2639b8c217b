#include "documents/document_issuer.hpp"

#include <set>

#include "documents/document_xml.hpp"
#include "documents/internal/xml_text.hpp"
#include "engine/audit_chain.hpp"
#include "signing/signer.hpp"

namespace motcua::documents {
namespace {

using engine::deny;
using engine::ErrorCode;
using engine::fail;

constexpr std::size_t kMaxNameBytes = 4000;  // the schemas' Text maxLength is 4000 characters
constexpr std::size_t kMaxPersonBytes = 1000;
constexpr std::size_t kMaxReasonBytes = 4000;
constexpr std::size_t kMaxReceiptComponents = 100;
constexpr std::size_t kMaxProvisionalDays = 366;  // schemas/receipt.xsd due-provisional/day

engine::Status check_text(const engine::Text& text, const std::string& what) {
  if (auto ok = check_xml_text(text.vi, what + " (vi)", kMaxNameBytes); !ok) return ok;
  return check_xml_text(text.en, what + " (en)", kMaxNameBytes);
}

bool unset(engine::Instant at) { return at.time_since_epoch().count() <= 0; }

// The QCVN id each procedure agency key stands for in this dossier.
std::string concrete_agency(const engine::Procedure& procedure, const engine::Dossier& dossier,
                            const std::string& key) {
  if (auto it = dossier.agency_ids.find(key); it != dossier.agency_ids.end()) return it->second;
  const engine::Agency* agency = procedure.agency(key);
  return agency == nullptr ? std::string() : agency->code;
}

engine::Status check_pinned(const engine::Procedure& procedure, const engine::Dossier& dossier) {
  if (procedure.code != dossier.procedure_code || procedure.version != dossier.procedure_version)
    return fail(ErrorCode::kInvalidInput,
                "dossier " + dossier.code + " is pinned to procedure " + dossier.procedure_code +
                    " version " + std::to_string(dossier.procedure_version) + ", not " +
                    procedure.code + " version " + std::to_string(procedure.version));
  if (auto ok = check_text(procedure.name, "procedure name"); !ok) return ok;
  return check_xml_text(dossier.code, "dossier code", 64);
}

}  // namespace

engine::Result<std::shared_ptr<const XmlDocumentIssuer>> XmlDocumentIssuer::create(
    DocumentIssuerConfig config) {
  if (!config.keys) return fail(ErrorCode::kInvalidInput, "the document issuer needs agency keys");
  auto receipt = DocumentSchema::load(config.schema_dir + "/receipt.xsd");
  if (!receipt) return tl::unexpected(receipt.error());
  auto result = DocumentSchema::load(config.schema_dir + "/result.xsd");
  if (!result) return tl::unexpected(result.error());
  for (const engine::AgencyRecord& agency : config.agencies) {
    if (!is_agency_id(agency.id))
      return fail(ErrorCode::kInvalidInput, "'" + agency.id + "' is not a QCVN 102 agency id");
    if (auto ok = check_text(agency.name, "name of agency " + agency.id); !ok)
      return tl::unexpected(ok.error());
  }
  return std::shared_ptr<const XmlDocumentIssuer>(
      new XmlDocumentIssuer(std::move(config), std::move(*receipt), std::move(*result)));
}

XmlDocumentIssuer::XmlDocumentIssuer(DocumentIssuerConfig config, DocumentSchema receipt,
                                     DocumentSchema result)
    : keys_(std::move(config.keys)),
      utc_offset_minutes_(config.utc_offset_minutes),
      receipt_schema_(std::move(receipt)),
      result_schema_(std::move(result)) {
  for (engine::AgencyRecord& agency : config.agencies)
    agency_names_[agency.id] = std::move(agency.name);
}

engine::Result<engine::IssuedDocument> XmlDocumentIssuer::issue_receipt(
    const engine::Procedure& procedure, const engine::Dossier& dossier,
    const engine::ReceiptRequest& request) const {
  if (auto ok = check_pinned(procedure, dossier); !ok) return tl::unexpected(ok.error());
  const std::string agency_id = concrete_agency(procedure, dossier, procedure.receiving_agency);
  if (!is_agency_id(agency_id))
    return fail(ErrorCode::kInvalidInput, "dossier " + dossier.code +
                                              " has no QCVN 102 id for its receiving agency '" +
                                              procedure.receiving_agency + "'");
  if (!dossier.due)
    return fail(ErrorCode::kInvalidInput,
                "dossier " + dossier.code + " has no due date: a receipt needs the appointment");
  if (unset(request.received_at))
    return fail(ErrorCode::kInvalidInput, "the receipt needs the instant of reception");
  if (auto ok = check_xml_text(request.applicant_name, "applicant name", kMaxPersonBytes); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = check_xml_text(request.officer.user, "officer login", kMaxPersonBytes); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = check_xml_text(request.officer_name, "officer name", kMaxPersonBytes, false); !ok)
    return tl::unexpected(ok.error());
  if (request.components.size() > kMaxReceiptComponents)
    return fail(ErrorCode::kInvalidInput,
                "a receipt lists at most " + std::to_string(kMaxReceiptComponents) + " components");

  ReceiptContent content;
  content.id = "receipt-" + dossier.code;
  content.agency.id = agency_id;
  if (auto it = agency_names_.find(agency_id); it != agency_names_.end()) {
    content.agency.name = it->second;
  } else if (const engine::Agency* agency = procedure.agency(procedure.receiving_agency)) {
    content.agency.name = agency->name;
  }
  if (auto ok = check_text(content.agency.name, "name of agency " + agency_id); !ok)
    return tl::unexpected(ok.error());
  content.dossier_code = dossier.code;
  content.procedure = {procedure.code, procedure.version, procedure.name};
  content.applicant = request.applicant_name;
  std::set<std::string> seen;
  for (const engine::ReceivedComponent& received : request.components) {
    const engine::Component* component = procedure.component(received.component_id);
    if (component == nullptr)
      return fail(
          ErrorCode::kInvalidInput,
          "procedure " + procedure.code + " declares no component '" + received.component_id + "'");
    if (!seen.insert(received.component_id).second)
      return fail(ErrorCode::kInvalidInput,
                  "component '" + received.component_id + "' is listed twice");
    if (auto ok = check_text(component->name, "name of component " + component->id); !ok)
      return tl::unexpected(ok.error());
    content.components.push_back({component->id, component->name, component->originals,
                                  component->copies, received.digitised});
  }
  content.channel = std::string(engine::to_string(dossier.channel));
  content.received = engine::format_instant(request.received_at, utc_offset_minutes_);
  content.due = engine::format_instant(*dossier.due, utc_offset_minutes_);
  if (request.due_provisional.size() > kMaxProvisionalDays)
    return fail(
        ErrorCode::kInvalidInput,
        "a receipt lists at most " + std::to_string(kMaxProvisionalDays) + " provisional days");
  for (engine::LocalDate day : request.due_provisional)
    content.due_provisional.push_back(engine::format_date(day));
  content.officer = {request.officer.user, request.officer.role, request.officer_name};

  auto xml = render_receipt(content);
  if (!xml) return tl::unexpected(xml.error());
  return sign(engine::DocumentKind::kReceipt, content.id, *xml, receipt_schema_, agency_id,
              std::string(engine::kReceiptSignerRole), request.received_at);
}

engine::Result<engine::IssuedDocument> XmlDocumentIssuer::issue_result(
    const engine::Procedure& procedure, const engine::Dossier& dossier,
    const engine::ResultDocument& result, const engine::ResultRequest& request) const {
  if (auto ok = check_pinned(procedure, dossier); !ok) return tl::unexpected(ok.error());
  const engine::ResultDocument* declared = nullptr;
  for (const engine::ResultDocument& candidate : procedure.results)
    if (candidate.id == result.id) declared = &candidate;
  if (declared == nullptr || declared->code != result.code ||
      declared->signer_role != result.signer_role)
    return fail(ErrorCode::kInvalidInput,
                "procedure " + procedure.code + " declares no result '" + result.id + "'");
  if (auto ok = check_text(declared->name, "result name"); !ok) return tl::unexpected(ok.error());

  // The issuing agency must be one of the agencies this dossier involves.
  std::string agency_key;
  for (const engine::Agency& agency : procedure.agencies)
    if (concrete_agency(procedure, dossier, agency.key) == request.agency_id)
      agency_key = agency.key;
  if (agency_key.empty() || !is_agency_id(request.agency_id))
    return deny(ErrorCode::kForbidden,
                "agency '" + request.agency_id + "' does not handle dossier " + dossier.code);
  if (request.signer.role != declared->signer_role)
    return deny(ErrorCode::kForbidden, "result '" + declared->id + "' is signed by role '" +
                                           declared->signer_role + "', not '" +
                                           request.signer.role + "'");
  if (!request.signer.agency_id.empty() && request.signer.agency_id != request.agency_id)
    return deny(ErrorCode::kForbidden, "the signer belongs to agency " + request.signer.agency_id +
                                           ", not " + request.agency_id);
  if (unset(request.issued_at))
    return fail(ErrorCode::kInvalidInput, "the result needs the instant of issue");
  if (auto ok = check_xml_text(request.applicant_name, "applicant name", kMaxPersonBytes); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = check_xml_text(request.signer.user, "signer login", kMaxPersonBytes); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = check_xml_text(request.signer_name, "signer name", kMaxPersonBytes, false); !ok)
    return tl::unexpected(ok.error());
  const bool approved = request.decision == engine::ResultDecision::kApproved;
  if (!approved) {
    if (request.reason.find_first_not_of(" \t\r\n") == std::string::npos)
      return deny(ErrorCode::kReasonRequired, "a refusal needs a reason");
    if (auto ok = check_xml_text(request.reason, "reason", kMaxReasonBytes); !ok)
      return tl::unexpected(ok.error());
  }

  ResultContent content;
  content.id = "result-" + dossier.code + "-" + declared->id;
  content.agency.id = request.agency_id;
  if (auto it = agency_names_.find(request.agency_id); it != agency_names_.end()) {
    content.agency.name = it->second;
  } else {
    content.agency.name = procedure.agency(agency_key)->name;
  }
  if (auto ok = check_text(content.agency.name, "name of agency " + request.agency_id); !ok)
    return tl::unexpected(ok.error());
  content.dossier_code = dossier.code;
  content.procedure = {procedure.code, procedure.version, procedure.name};
  content.applicant = request.applicant_name;
  content.document_id = declared->id;
  content.document_code = declared->code;
  content.document_name = declared->name;
  content.approved = approved;
  if (!approved) content.reason = request.reason;
  content.issued = engine::format_instant(request.issued_at, utc_offset_minutes_);
  content.signer = {request.signer.user, request.signer.role, request.signer_name};

  auto xml = render_result(content);
  if (!xml) return tl::unexpected(xml.error());
  return sign(engine::DocumentKind::kResult, content.id, *xml, result_schema_, request.agency_id,
              declared->signer_role, request.issued_at);
}

engine::Result<engine::IssuedDocument> XmlDocumentIssuer::sign(
    engine::DocumentKind kind, const std::string& id, const std::string& xml,
    const DocumentSchema& schema, const std::string& agency_id, const std::string& role,
    engine::Instant at) const {
  // Never sign what the schema refuses: the input made an invalid document (e.g. a malformed
  // dossier code), which is the caller's error.
  if (auto ok = schema.validate(xml); !ok) return tl::unexpected(ok.error());
  const signing::Signer* signer = keys_->find(agency_id, role);
  if (signer == nullptr)
    return deny(ErrorCode::kForbidden,
                "no signing key is configured for agency " + agency_id + " and role " + role);

  signing::SignOptions options;
  options.id = id;
  options.xades = true;
  options.signing_time = std::chrono::system_clock::to_time_t(at);
  auto signed_xml = signer->sign(xml, options);
  if (!signed_xml)
    return fail(ErrorCode::kInternal,
                "signing the " + std::string(engine::to_string(kind)) + " failed",
                std::string(signing::to_string(signed_xml.error().code)) + ": " +
                    signed_xml.error().message + " " + signed_xml.error().detail);
  auto digest = engine::sha256(*signed_xml);
  if (!digest) return tl::unexpected(digest.error());

  engine::IssuedDocument document;
  document.kind = kind;
  document.id = id;
  document.media_type = std::string(kDocumentMediaType);
  document.xml = std::move(*signed_xml);
  document.sha256 = engine::to_hex(*digest);
  document.agency_id = agency_id;
  document.role = role;
  return document;
}

}  // namespace motcua::documents
