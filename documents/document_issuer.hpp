#pragma once
// XmlDocumentIssuer: engine::DocumentIssuer (engine/document_issuer.hpp, which states the contract)
// that renders the receipt (Form 01) as schemas/receipt.xsd and the result document as
// schemas/result.xsd, checks the rendered bytes against the schema, and signs them: enveloped
// XML-DSig of the root element by its Id (Reference URI="#<Id>", exclusive c14n, SHA-256) with
// XAdES-BES signed properties (SigningTime = the document's received / issued instant,
// SigningCertificateV2), KeyInfo with the certificate chain. The key is the one AgencyKeys holds
// for (issuing agency id, role): kReceiptSignerRole for receipts, ResultDocument::signer_role for
// results.
//
// Document Ids: "receipt-<dossier code>" and "result-<dossier code>-<result id>". Agency names come
// from DocumentIssuerConfig::agencies (the deployment's organisation), else from the procedure's
// generic agency name. Instants are written in ISO 8601 with the configured offset (UTC+7).
//
// Immutable after create(): both issue methods may run on several threads at once. Requires a live
// signing::Library for as long as it is used. Errors: see engine/document_issuer.hpp; create()
// returns kInvalidInput (no key registry), kIo / kInvalidDefinition (schemas).
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/document_issuer.hpp"
#include "engine/identity.hpp"
#include "documents/agency_keys.hpp"
#include "documents/internal/document_schema.hpp"

namespace motcua::documents {

inline constexpr std::string_view kDocumentMediaType = "application/xml";

struct DocumentIssuerConfig {
  std::shared_ptr<const AgencyKeys> keys;      // required
  std::string schema_dir;                      // holds receipt.xsd and result.xsd
  std::vector<engine::AgencyRecord> agencies;  // names of the concrete agencies; may be empty
  int utc_offset_minutes = 7 * 60;             // Vietnam, no DST
};

class XmlDocumentIssuer final : public engine::DocumentIssuer {
 public:
  static engine::Result<std::shared_ptr<const XmlDocumentIssuer>> create(
      DocumentIssuerConfig config);

  engine::Result<engine::IssuedDocument> issue_receipt(
      const engine::Procedure& procedure, const engine::Dossier& dossier,
      const engine::ReceiptRequest& request) const override;

  engine::Result<engine::IssuedDocument> issue_result(
      const engine::Procedure& procedure, const engine::Dossier& dossier,
      const engine::ResultDocument& result, const engine::ResultRequest& request) const override;

 private:
  XmlDocumentIssuer(DocumentIssuerConfig config, DocumentSchema receipt, DocumentSchema result);

  engine::Result<engine::IssuedDocument> sign(engine::DocumentKind kind, const std::string& id,
                                              const std::string& xml, const DocumentSchema& schema,
                                              const std::string& agency_id, const std::string& role,
                                              engine::Instant at) const;

  std::shared_ptr<const AgencyKeys> keys_;
  std::map<std::string, engine::Text> agency_names_;
  int utc_offset_minutes_;
  DocumentSchema receipt_schema_;
  DocumentSchema result_schema_;
};

}  // namespace motcua::documents
