-- motcua schema 4 (sqlite3): signed documents a dossier produced (engine/document_issuer.hpp).
-- The bytes are an attachment (content-addressed); a row is written once, in the transaction of
-- the command that issued the document, and never rewritten.
CREATE TABLE dossier_documents (
  dossier_code TEXT NOT NULL REFERENCES dossiers (code),
  document_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('receipt', 'result')),
  sha256 TEXT NOT NULL REFERENCES attachments (sha256),
  media_type TEXT NOT NULL,
  agency_id TEXT NOT NULL,
  role TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  PRIMARY KEY (dossier_code, document_id)
);
