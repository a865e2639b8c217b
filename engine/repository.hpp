#pragma once
// Storage ports of the engine: what the lifecycle services need from a database, as small abstract
// classes. store/ implements them with SOCI on PostgreSQL and SQLite; tests may implement them in
// memory. Nothing here names SQL.
//
// Transactions: every lifecycle command runs inside one UnitOfWork. Everything written through a
// UnitOfWork (events, projection, dossier code, idempotency record, outbox rows, components)
// becomes visible atomically on commit() and disappears entirely if the UnitOfWork is destroyed
// without commit() or commit() fails. A UnitOfWork is used by one thread at a time and must not
// outlive the store that began it.
//
// Errors (common to every method): kIo when the database is unreachable or a statement fails for
// a reason the caller cannot fix (the message names the operation, the detail carries the driver
// text); kInvalidInput for malformed arguments. Specific errors are listed per method.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/error.hpp"
#include "engine/time.hpp"
#include "engine/work_item.hpp"

namespace motcua::engine {

// A dossier as loaded: its events in order (seq 1..version) and the projection they fold into.
struct StoredDossier {
  Dossier dossier;            // dossier.version == events.size()
  std::vector<Event> events;  // in seq order
  std::string head_hash;      // lowercase hex audit-chain hash of the last event
};

// A message for the outside world (notification, exchange delivery), delivered after commit by a
// worker, at least once.
struct OutboxMessage {
  std::string topic;         // e.g. "dossier.status", "exchange.send"
  std::string dossier_code;  // may be empty
  std::string payload;       // UTF-8 text (JSON) understood by the topic's worker
  Instant created{};
};

// The first outcome of a command carrying an idempotency key.
struct IdempotencyRecord {
  std::string key;  // chosen by the client, 1..200 bytes
  std::string
      request_hash;     // fingerprint of the command, so a reused key with another command shows
  std::string outcome;  // what the first execution answered (opaque to the store)
  Instant created{};
};

// Provenance flags of one dossier component (DOMAIN.md "Digitisation and only once").
struct ComponentRecord {
  std::string dossier_code;
  std::string component_id;       // Component::id of the pinned procedure
  std::string attachment_sha256;  // lowercase hex; the attachment must exist
  bool digitised = false;         // scanned / recorded electronically from paper
  std::string
      reused_from;  // code of the earlier dossier or result it was reused from; empty = not reused
  bool from_citizen_store = false;
};

// A signed document a dossier produced (engine/document_issuer.hpp), as stored: the bytes live in
// the AttachmentStore under `sha256`; this row says what they are. Never rewritten once stored.
struct DocumentRecord {
  std::string dossier_code;
  std::string document_id;  // IssuedDocument::id, unique per dossier
  std::string kind;         // to_string(DocumentKind): "receipt" or "result"
  std::string sha256;       // lowercase hex of the stored bytes
  std::string media_type;   // "application/xml"
  std::string agency_id;    // the agency whose key signed
  std::string role;         // the signing role
  Instant issued_at{};
};

// A stored document with its bytes.
struct StoredDocument {
  DocumentRecord record;
  std::string content;
};

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;  // rolls back unless commit() succeeded

  // The dossier with its events, or nullopt when no dossier has this code. Folds the events with
  // evolve(). Errors: kInternal when a stored event cannot be decoded.
  virtual Result<std::optional<StoredDossier>> load(std::string_view code) = 0;

  // Appends `events` after the `expected_version` events already stored for `projection.code`
  // (0 creates the dossier), chains them into the audit chain, and stores `projection` (whose
  // version must equal expected_version + events.size()). Errors: kConflict when the stored version
  // is not expected_version (someone else wrote first); nothing is written and the caller should
  // abandon this UnitOfWork. kInvalidInput for an empty event list or an inconsistent version.
  virtual Status append(std::int64_t expected_version, const std::vector<Event>& events,
                        const Dossier& projection) = 0;

  // Allocates the next dossier code `<agency id>-YYMMDD-NNNN` for the agency and local receipt
  // date. Codes are unique, and gap-free: a code allocated by a UnitOfWork that rolls back is
  // handed out again. Concurrent allocations for the same agency and day serialise until the
  // first transaction ends. Errors: kOutOfRange after 9999 codes in one day.
  virtual Result<std::string> allocate_code(std::string_view agency_id, LocalDate date) = 0;

  // The record stored under `key`, or nullopt.
  virtual Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view key) = 0;
  // Records the first outcome under `key`. Errors: kConflict when the key is already recorded
  // (possibly by a concurrent transaction): the caller rolls back and reads the first outcome.
  virtual Status remember_idempotency(const IdempotencyRecord& record) = 0;

  // Queues a message, delivered only if this UnitOfWork commits.
  virtual Status enqueue(const OutboxMessage& message) = 0;

  // Records or replaces the provenance of one component. Errors: kNotFound when the dossier or the
  // attachment does not exist.
  virtual Status record_component(const ComponentRecord& component) = 0;
  virtual Result<std::vector<ComponentRecord>> components(std::string_view dossier_code) = 0;

  // Records the SHA-256 (64 lowercase hex) of the dossier's tracking secret. Errors: kInvalidInput
  // for another shape; kConflict when the dossier has one already.
  virtual Status put_tracking_secret(std::string_view dossier_code,
                                     std::string_view secret_sha256) = 0;

  // Stores the form values of a dossier (field id -> value), replacing any stored before.
  // Errors: kNotFound when the dossier does not exist.
  virtual Status save_form(std::string_view dossier_code,
                           const std::map<std::string, std::string>& values) = 0;
  virtual Result<std::map<std::string, std::string>> form(std::string_view dossier_code) = 0;

  // Replaces the work items of a dossier (work_item.hpp) by `items`, which all name that dossier.
  // An item whose (branch) already exists with the same due date keeps its stored mark; any other
  // item starts at DeadlineMark::kNone. Items not in `items` are removed.
  virtual Status replace_work_items(std::string_view dossier_code,
                                    const std::vector<WorkItem>& items) = 0;

  // Claims up to `limit` work items with a due date <= `due_by` and a mark below `below`, earliest
  // due first, locking them until this UnitOfWork ends. Items another open UnitOfWork has claimed
  // are skipped, not waited for (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: the UnitOfWork holds
  // the database's write lock anyway), so several schedulers never process the same item.
  virtual Result<std::vector<WorkItem>> claim_deadlines(Instant due_by, DeadlineMark below,
                                                        std::size_t limit) = 0;
  // Sets the mark of a claimed item. Errors: kNotFound when the item no longer exists.
  virtual Status mark_deadline(std::string_view dossier_code, std::string_view branch,
                               DeadlineMark mark) = 0;

  // Stores `content` (content-addressed, like AttachmentStore::put) and records `record` for its
  // dossier, both inside this UnitOfWork. Errors: kInvalidInput when record.sha256 is not the
  // SHA-256 of `content` or a field is empty; kNotFound when the dossier does not exist;
  // kConflict when the dossier already has a document with this id (documents are never
  // regenerated).
  virtual Status store_document(const DocumentRecord& record, std::string_view content) = 0;
  // The documents recorded for a dossier, in issue order (then id).
  virtual Result<std::vector<DocumentRecord>> documents(std::string_view dossier_code) = 0;

  // Makes everything written visible. Errors: kConflict when the database aborted the transaction
  // because of a concurrent writer (serialisation failure, deadlock); nothing was written.
  virtual Status commit() = 0;
};

// Begins units of work. Thread-safe: each thread begins its own.
class DossierStore {
 public:
  virtual ~DossierStore() = default;
  virtual Result<std::unique_ptr<UnitOfWork>> begin() = 0;
};

// Read-only queries for the API and work queues; each call reads one consistent snapshot.
// Thread-safe.
class DossierQueries {
 public:
  virtual ~DossierQueries() = default;
  // As UnitOfWork::load, without taking any write lock.
  virtual Result<std::optional<StoredDossier>> load(std::string_view code) = 0;
  virtual Result<std::vector<ComponentRecord>> components(std::string_view dossier_code) = 0;
  virtual Result<std::map<std::string, std::string>> form(std::string_view dossier_code) = 0;
  // As UnitOfWork::documents.
  virtual Result<std::vector<DocumentRecord>> documents(std::string_view dossier_code) = 0;
  // One document with its bytes, or nullopt when the dossier has no document with this id.
  virtual Result<std::optional<StoredDocument>> document(std::string_view dossier_code,
                                                         std::string_view document_id) = 0;
  // The work items owned by (agency_id, role) joined with their dossiers, ordered by due date
  // (items without one last), then dossier code, then branch; at most `limit` (1..1000) entries
  // after skipping `offset`. WorkQueueEntry::overdue/due_soon are left false (the caller knows the
  // clock and the calendar). Errors: kInvalidInput for an empty agency or role or a bad limit.
  virtual Result<std::vector<WorkQueueEntry>> work_queue(std::string_view agency_id,
                                                         std::string_view role, std::size_t limit,
                                                         std::size_t offset) = 0;
};

// One procedure version as published. Immutable once stored.
struct ProcedureVersionRecord {
  std::string code;        // national procedure code
  int version = 0;         // >= 1
  std::string hash;        // lowercase hex SHA-256 of `definition`
  std::string definition;  // the definition bytes (XML) exactly as published
  Instant stored{};
};

// Thread-safe.
class ProcedureVersionRepository {
 public:
  virtual ~ProcedureVersionRepository() = default;
  // Stores a version. Storing the same (code, version, hash) again is a no-op. Errors: kConflict
  // when (code, version) already exists with another hash (published versions never change);
  // kInvalidInput when `hash` is not the SHA-256 of `definition`.
  virtual Status save(const ProcedureVersionRecord& record) = 0;
  // Errors: kNotFound.
  virtual Result<ProcedureVersionRecord> find(std::string_view code, int version) = 0;
  // The highest stored version of `code`. Errors: kNotFound.
  virtual Result<ProcedureVersionRecord> latest(std::string_view code) = 0;
};

// Content-addressed attachments: stored once however many dossiers cite them. Thread-safe.
struct Attachment {
  std::string sha256;      // lowercase hex of `content`
  std::int64_t size = 0;   // bytes
  std::string media_type;  // e.g. "application/pdf"
  std::string content;     // the bytes
};

class AttachmentStore {
 public:
  virtual ~AttachmentStore() = default;
  // Stores the bytes unless an attachment with the same SHA-256 exists; returns the SHA-256.
  // Errors: kInvalidInput for an empty media type or content larger than the store's limit.
  virtual Result<std::string> put(std::string_view content, std::string_view media_type) = 0;
  // Errors: kNotFound.
  virtual Result<Attachment> get(std::string_view sha256) = 0;
};

// One stored audit-chain row, as the verifier reads it (see audit_chain.hpp).
struct ChainRow {
  std::int64_t seq = 0;
  std::string encoding;  // canonical event encoding (event_codec.hpp)
  std::string hash;      // stored lowercase hex hash
};

// What the projection row says about the chain's end.
struct ChainHead {
  std::int64_t version = 0;  // number of events the dossier row claims
  std::string hash;          // hash of the last event as recorded in the dossier row
};

// Read-only access for `motcua audit verify`. Thread-safe.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // Every dossier code that has a projection row or at least one event, sorted.
  virtual Result<std::vector<std::string>> dossier_codes() = 0;
  // The rows of one dossier ordered by seq, and its head (nullopt when there is no dossier row).
  virtual Result<std::vector<ChainRow>> rows(std::string_view code) = 0;
  virtual Result<std::optional<ChainHead>> head(std::string_view code) = 0;
};

}  // namespace motcua::engine
