#include "engine/internal/lifecycle_documents.hpp"

#include <algorithm>

#include "engine/document_issuer.hpp"

namespace motcua::engine::lifecycle {
namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool holds(const std::vector<DocumentRecord>& documents, DocumentKind kind) {
  return std::any_of(documents.begin(), documents.end(),
                     [&](const DocumentRecord& d) { return d.kind == to_string(kind); });
}

Status store(std::vector<StoredDocument>& out, const std::string& code,
             Result<IssuedDocument> issued, Instant at) {
  if (!issued) return tl::unexpected(issued.error());
  DocumentRecord record{code,
                        issued->id,
                        std::string(to_string(issued->kind)),
                        issued->sha256,
                        issued->media_type,
                        issued->agency_id,
                        issued->role,
                        at};
  out.push_back(StoredDocument{std::move(record), std::move(issued->xml)});
  return {};
}

}  // namespace

std::string applicant_name(const Procedure& procedure,
                           const std::map<std::string, std::string>& form) {
  for (std::string_view id : kApplicantNameFields) {
    auto it = form.find(std::string(id));
    if (it != form.end() && !it->second.empty()) return it->second;
  }
  for (const Field& f : procedure.fields) {
    if (!f.required || f.type != FieldType::kText || !ends_with(f.id, "-name")) continue;
    auto it = form.find(f.id);
    if (it != form.end() && !it->second.empty()) return it->second;
  }
  return "—";
}

const ResultDocument* select_result(const Procedure& procedure,
                                    const std::map<std::string, std::string>& form) {
  const auto& results = procedure.results;
  if (results.empty()) return nullptr;
  if (results.size() == 1) return &results.front();
  for (const Field& f : procedure.fields) {
    if (f.type != FieldType::kEnum || f.options.size() != results.size()) continue;
    auto value = form.find(f.id);
    if (value == form.end()) break;
    auto option = std::find(f.options.begin(), f.options.end(), value->second);
    if (option == f.options.end()) break;
    return &results[static_cast<std::size_t>(option - f.options.begin())];
  }
  return &results.front();
}

const Transition* find_transition(const Procedure& procedure, std::string_view state,
                                  std::string_view action) {
  for (const Transition& t : procedure.transitions) {
    if (t.action == action && std::find(t.from.begin(), t.from.end(), state) != t.from.end())
      return &t;
  }
  return nullptr;
}

Status issue_documents(const DocumentIssuer& issuer, const DocumentContext& context,
                       const Procedure& procedure, const Transition& transition,
                       const Dossier& dossier, std::vector<StoredDocument>& out) {
  const std::map<std::string, std::string>& form = context.form;
  const Actor& actor = context.actor;
  const Instant at = context.at;
  const bool receipt = transition.clock == ClockEffect::kStart;
  const bool approved = transition.issues_result;
  const bool refused = !approved && transition.clock == ClockEffect::kFinish;
  if (!receipt && !approved && !refused) return {};
  const std::vector<DocumentRecord>* documents = &context.held;

  if (receipt && !holds(*documents, DocumentKind::kReceipt)) {
    const std::vector<ComponentRecord>* components = &context.components;
    ReceiptRequest request;
    request.applicant_name = applicant_name(procedure, form);
    for (const ComponentRecord& c : *components)
      request.components.push_back(ReceivedComponent{c.component_id, c.digitised});
    request.received_at = at;
    request.officer = actor;
    request.due_provisional = context.due_provisional;
    if (auto ok = store(out, dossier.code, issuer.issue_receipt(procedure, dossier, request), at);
        !ok)
      return ok;
  }
  if ((approved || refused) && !holds(*documents, DocumentKind::kResult)) {
    const ResultDocument* result = select_result(procedure, form);
    if (result == nullptr) return {};
    ResultRequest request;
    request.agency_id = actor.agency_id;
    request.applicant_name = applicant_name(procedure, form);
    request.decision = approved ? ResultDecision::kApproved : ResultDecision::kRefused;
    if (refused) request.reason = context.reason;
    request.issued_at = at;
    request.signer = actor;
    return store(out, dossier.code, issuer.issue_result(procedure, dossier, *result, request), at);
  }
  return {};
}

}  // namespace motcua::engine::lifecycle
