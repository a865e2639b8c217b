-- motcua schema 5 (postgresql): which dossiers cite an attachment (the officers' attachment read check, api/
-- routes_attachments.cpp, asks this on every read; without the index it scanned every component).
CREATE INDEX dossier_components_by_attachment ON dossier_components (attachment_sha256, dossier_code);
