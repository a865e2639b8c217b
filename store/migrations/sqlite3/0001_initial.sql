-- motcua schema 1 (SQLite). Instants are integer seconds since 1970-01-01T00:00:00Z (UTC).
CREATE TABLE procedure_versions (
  code TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  hash TEXT NOT NULL,
  definition TEXT NOT NULL,
  stored_at INTEGER NOT NULL,
  PRIMARY KEY (code, version)
);

CREATE TABLE dossiers (
  code TEXT PRIMARY KEY,
  receiving_agency_id TEXT NOT NULL,
  procedure_code TEXT NOT NULL,
  procedure_version INTEGER NOT NULL,
  procedure_hash TEXT NOT NULL,
  channel INTEGER NOT NULL,
  agency_ids TEXT NOT NULL,
  state TEXT NOT NULL,
  status INTEGER NOT NULL,
  submitted_at INTEGER NOT NULL,
  due_at INTEGER,
  finished_at INTEGER,
  verdict TEXT NOT NULL,
  supplement_requests INTEGER NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  head_hash TEXT NOT NULL
);
CREATE INDEX dossiers_by_due ON dossiers (due_at) WHERE finished_at IS NULL;
CREATE INDEX dossiers_by_procedure ON dossiers (procedure_code, procedure_version);

CREATE TABLE dossier_events (
  dossier_code TEXT NOT NULL,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  kind TEXT NOT NULL,
  at INTEGER NOT NULL,
  encoding TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (dossier_code, seq)
);

CREATE TABLE dossier_code_sequences (
  agency_id TEXT NOT NULL,
  day TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (agency_id, day)
);

CREATE TABLE attachments (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  media_type TEXT NOT NULL,
  content TEXT NOT NULL
);

CREATE TABLE dossier_components (
  dossier_code TEXT NOT NULL REFERENCES dossiers (code),
  component_id TEXT NOT NULL,
  attachment_sha256 TEXT NOT NULL REFERENCES attachments (sha256),
  digitised INTEGER NOT NULL CHECK (digitised IN (0, 1)),
  reused_from TEXT NOT NULL,
  from_citizen_store INTEGER NOT NULL CHECK (from_citizen_store IN (0, 1)),
  PRIMARY KEY (dossier_code, component_id)
);

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  outcome TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  dossier_code TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  delivered_at INTEGER
);
CREATE INDEX outbox_pending ON outbox (id) WHERE delivered_at IS NULL;
