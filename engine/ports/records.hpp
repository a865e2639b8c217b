#pragma once
// The records the storage ports (engine/ports/*.hpp) exchange with the engine: plain values, no
// behaviour, no SQL. Copyable; thread-safety is that of any value.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/dossier.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

// A dossier as loaded: its events in order (seq 1..version) and the projection they fold into.
struct StoredDossier {
  Dossier dossier;            // dossier.version == events.size()
  std::vector<Event> events;  // in seq order
  std::string head_hash;      // lowercase hex audit-chain hash of the last event
};

// A message for the outside world (notification, exchange delivery), delivered after commit by a
// worker, at least once; the stored row is deleted once the message is delivered (the outbox is a
// queue: every stored row is pending, in id order).
struct OutboxMessage {
  std::string topic;         // e.g. "dossier.status", "exchange.send"
  std::string dossier_code;  // may be empty
  std::string payload;       // UTF-8 text (JSON) understood by the topic's worker
  Instant created{};
};

// The first outcome of a command carrying an idempotency key.
struct IdempotencyRecord {
  std::string key;  // chosen by the client, 1..200 bytes
  // Fingerprint of the command, so a reused key with another command shows.
  std::string request_hash;
  std::string outcome;  // what the first execution answered (opaque to the store)
  Instant created{};
};

// Provenance flags of one dossier component (DOMAIN.md "Digitisation and only once").
struct ComponentRecord {
  std::string dossier_code;
  std::string component_id;       // Component::id of the pinned procedure
  std::string attachment_sha256;  // lowercase hex; the attachment must exist
  bool digitised = false;         // scanned / recorded electronically from paper
  // Code of the earlier dossier or result it was reused from; empty = not reused.
  std::string reused_from;
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

}  // namespace motcua::engine
