-- motcua schema 2 (sqlite3): what the lifecycle services add to schema 1.

-- Form values of a dossier as submitted (validated against the pinned procedure's fields).
CREATE TABLE dossier_form_values (
  dossier_code TEXT NOT NULL REFERENCES dossiers (code),
  field_id TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (dossier_code, field_id)
);

-- Work items (engine/work_item.hpp): who must act on an unfinished dossier and by when; branch ''
-- is the dossier's own item, other rows are open parallel branches. mark: 0 none, 1 due soon
-- (notified), 2 overdue (notified); reset to 0 when due_at changes.
CREATE TABLE work_items (
  dossier_code TEXT NOT NULL REFERENCES dossiers (code),
  branch TEXT NOT NULL,
  agency_id TEXT NOT NULL,
  role TEXT NOT NULL,
  due_at INTEGER,
  mark INTEGER NOT NULL CHECK (mark IN (0, 1, 2)),
  PRIMARY KEY (dossier_code, branch)
);
-- Work queues: one agency and role, earliest due first.
CREATE INDEX work_items_queue ON work_items (agency_id, role, due_at);
-- The deadline scheduler: items not yet overdue, by due date.
CREATE INDEX work_items_deadlines ON work_items (due_at) WHERE mark < 2 AND due_at IS NOT NULL;
