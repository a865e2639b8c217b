#pragma once
// The data step of schema 8 (store/migrations/*/0008_event_rows.sql): copies schema 7's event rows
// (table dossier_events_v7: one event each, text encoding, hex hash) into the new dossier_events,
// one row per old event with the same hash, then drops the old table. Runs inside the migration's
// transaction (store/migrations.cpp). A row edited by hand is copied as it is (a hash that is not
// 64 hex digits keeps its bytes), so `motcua audit verify` still names it afterwards.
// Throws what SOCI throws (the caller turns it into an engine::Error).
#include <soci/soci.h>

namespace motcua::store::detail {

void copy_schema7_events(soci::session& sql);

}  // namespace motcua::store::detail
