#include "store/internal/sql_documents.hpp"

#include "engine/audit_chain.hpp"
#include "store/internal/hex_text.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store::detail {
namespace {

using engine::ErrorCode;
using engine::fail;

engine::DocumentRecord record_of(const soci::row& r) {
  engine::DocumentRecord d;
  d.dossier_code = r.get<std::string>(0);
  d.document_id = r.get<std::string>(1);
  d.kind = r.get<std::string>(2);
  d.sha256 = r.get<std::string>(3);
  d.media_type = r.get<std::string>(4);
  d.agency_id = r.get<std::string>(5);
  d.role = r.get<std::string>(6);
  d.issued_at = engine::Instant{std::chrono::seconds{row_int(r, 7)}};
  return d;
}

constexpr const char* kColumns =
    "d.dossier_code, d.document_id, d.kind, d.sha256, d.media_type, d.agency_id, d.role, "
    "d.issued_at";

}  // namespace

engine::Status insert_document(soci::session& sql, Backend backend, const engine::DocumentRecord& r,
                               std::string_view content) {
  if (r.dossier_code.empty() || r.document_id.empty() || r.agency_id.empty() || r.role.empty() ||
      r.media_type.empty() || (r.kind != "receipt" && r.kind != "result"))
    return fail(ErrorCode::kInvalidInput, "a document record needs every field");
  if (content.empty()) return fail(ErrorCode::kInvalidInput, "a document has no bytes");
  auto digest = engine::sha256(content);
  if (!digest) return tl::unexpected(digest.error());
  if (engine::to_hex(*digest) != r.sha256)
    return fail(ErrorCode::kInvalidInput, "the document's SHA-256 does not match its bytes");

  std::string code = r.dossier_code, id = r.document_id;
  long long dossiers = 0, existing = 0;
  sql << "SELECT COUNT(*) FROM dossiers WHERE code = :c", soci::use(code), soci::into(dossiers);
  if (dossiers == 0) return fail(ErrorCode::kNotFound, "no dossier " + code);
  sql << "SELECT COUNT(*) FROM dossier_documents WHERE dossier_code = :c AND document_id = :i",
      soci::use(code), soci::use(id), soci::into(existing);
  if (existing != 0)
    return fail(ErrorCode::kConflict, "dossier " + code + " already has document " + id);

  std::string sha = r.sha256, type = r.media_type, data = to_hex_text(content), kind = r.kind,
              agency = r.agency_id, role = r.role;
  long long size = static_cast<long long>(content.size());
  long long at = r.issued_at.time_since_epoch().count();
  sql << std::string(
             "INSERT INTO attachments (sha256, size, media_type, content) VALUES (:s, :n, :t, ") +
             (backend == Backend::kPostgresql ? "decode(:c, 'hex')" : ":c") +
             ") ON CONFLICT (sha256) DO NOTHING",
      soci::use(sha), soci::use(size), soci::use(type), soci::use(data);
  sql << "INSERT INTO dossier_documents (dossier_code, document_id, kind, sha256, media_type, "
         "agency_id, role, issued_at) VALUES (:c, :i, :k, :s, :t, :a, :r, :at)",
      soci::use(code), soci::use(id), soci::use(kind), soci::use(sha), soci::use(type),
      soci::use(agency), soci::use(role), soci::use(at);
  return {};
}

std::vector<engine::DocumentRecord> read_documents(soci::session& sql, const std::string& code) {
  std::vector<engine::DocumentRecord> out;
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + kColumns +
                          " FROM dossier_documents d WHERE d.dossier_code = :c "
                          "ORDER BY d.issued_at, d.document_id",
       soci::use(code));
  for (const soci::row& r : rows) out.push_back(record_of(r));
  return out;
}

engine::Result<std::optional<engine::StoredDocument>> read_document(soci::session& sql,
                                                                    Backend backend,
                                                                    const std::string& code,
                                                                    const std::string& id) {
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT ") + kColumns + ", " +
                          (backend == Backend::kPostgresql ? "encode(a.content, 'hex')"
                                                           : "a.content") +
                          " FROM dossier_documents d JOIN attachments a ON a.sha256 = d.sha256 "
                          "WHERE d.dossier_code = :c AND d.document_id = :i",
       soci::use(code), soci::use(id));
  for (const soci::row& r : rows) {
    engine::StoredDocument doc;
    doc.record = record_of(r);
    auto bytes = from_hex_text(r.get<std::string>(8), "document");
    if (!bytes) return tl::unexpected(bytes.error());
    doc.content = std::move(*bytes);
    return std::optional<engine::StoredDocument>(std::move(doc));
  }
  return std::optional<engine::StoredDocument>();
}

}  // namespace motcua::store::detail
