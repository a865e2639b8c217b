-- motcua schema 8 (postgresql): one event-log row per command, compressed (store/internal/event_rows.hpp).
-- A row holds the events one unit of work appended: seq is the first event's sequence number, body
-- the events' canonical encodings joined and compressed, hash the raw 32-byte audit-chain hash after
-- the row's last event. The rows of schema 7 (one event each, text encoding, hex hash) are copied
-- into the new table by the migration step of store/migrations.cpp (one row per old event, same
-- hashes), then the old table is dropped.
ALTER TABLE dossier_events RENAME TO dossier_events_v7;
ALTER INDEX dossier_events_pkey RENAME TO dossier_events_v7_pkey;
CREATE TABLE dossier_events (
  dossier_code TEXT NOT NULL,
  seq BIGINT NOT NULL CHECK (seq >= 1),
  body BYTEA NOT NULL,
  hash BYTEA NOT NULL,
  PRIMARY KEY (dossier_code, seq)
);

-- The procedure's hash is recorded in the submitted event (audit-chained) and in
-- procedure_versions; the projection's copy was written and never read.
ALTER TABLE dossiers DROP COLUMN procedure_hash;

-- The outbox is a queue: its dispatcher deletes a message once delivered (in the transaction that
-- records the delivery), so every row is pending and the primary key orders them; no delivery
-- column, no index of pending rows.
DROP INDEX outbox_pending;
ALTER TABLE outbox DROP COLUMN delivered_at;

-- The officers' read check finds the dossiers citing an attachment by its hash alone (few rows
-- each): the index needs no second column.
DROP INDEX dossier_components_by_attachment;
CREATE INDEX dossier_components_by_attachment ON dossier_components (attachment_sha256);

-- Provenance flags are 0 or 1: two bytes each, not eight.
ALTER TABLE dossier_components ALTER COLUMN digitised TYPE SMALLINT,
  ALTER COLUMN from_citizen_store TYPE SMALLINT;
