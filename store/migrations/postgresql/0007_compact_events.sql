-- motcua schema 7 (postgresql): an event row holds only what is read back. The event's kind and
-- instant are inside its canonical encoding (engine/event_codec.hpp), which the audit chain hashes;
-- the separate columns were written and never read (22 bytes a row).
ALTER TABLE dossier_events DROP COLUMN kind, DROP COLUMN at;
