#pragma once
// The statements of the lifecycle's units of work (sql_dossier_store.cpp), prepared once per
// connection through the StatementCache: each struct holds the variables it binds and its
// prepared statement. Private to store/.
#include <map>
#include <optional>
#include <string>

#include "engine/time.hpp"
#include "store/internal/soci_support.hpp"

namespace motcua::store::detail {

// The receiving agency is the code minus its "-YYMMDD-NNNN" suffix.
inline std::string receiving_agency(const std::string& code) {
  return code.size() > 12 ? code.substr(0, code.size() - 12) : code;
}

inline std::string agency_ids_text(const std::map<std::string, std::string>& ids) {
  std::string out;
  for (const auto& [key, value] : ids) out += key + "=" + value + "\n";
  return out;
}

struct Nullable {
  long long value = 0;
  soci::indicator ind = soci::i_null;
  Nullable() = default;
  explicit Nullable(const std::optional<engine::Instant>& at) {
    if (at) value = at->time_since_epoch().count(), ind = soci::i_ok;
  }
};

// The statements of the lifecycle commands, prepared once per connection (StatementCache): each
// holds the variables it binds.

using Entry = StatementCache::Entry;

// A statement that returned a row is stepped to its end, so SQLite does not keep it active (an
// unfinished INSERT ... RETURNING would hold up COMMIT); on PostgreSQL this is a no-op.
inline void finish(soci::statement& st) {
  while (st.fetch()) {
  }
}

struct AllocateCode final : Entry {
  std::string agency, day;
  long long last = 0;
  soci::statement st;
  explicit AllocateCode(soci::session& sql)
      : st((sql.prepare << "INSERT INTO dossier_code_sequences (agency_id, day, last) VALUES (:a, "
                           ":d, 1) ON CONFLICT (agency_id, day) DO UPDATE SET last = "
                           "dossier_code_sequences.last + 1 RETURNING last",
            soci::use(agency), soci::use(day), soci::into(last))) {}
};

struct SelectHead final : Entry {
  std::string code, head;
  long long version = 0;
  soci::statement st;
  explicit SelectHead(soci::session& sql)
      : st((sql.prepare << "SELECT version, head_hash FROM dossiers WHERE code = :c",
            soci::use(code), soci::into(version), soci::into(head))) {}
};

struct InsertDossier final : Entry {
  std::string code, agency, procedure_code, ids, state, verdict, head;
  long long procedure_version = 0, channel = 0, status = 0, submitted = 0, supplements = 0,
            version = 0;
  Nullable due, finished;
  soci::statement st;
  explicit InsertDossier(soci::session& sql)
      : st((sql.prepare
                << "INSERT INTO dossiers (code, receiving_agency_id, procedure_code, "
                   "procedure_version, channel, agency_ids, state, status, "
                   "submitted_at, due_at, finished_at, verdict, supplement_requests, version, "
                   "head_hash) VALUES (:code, :agency, :pc, :pv, :ch, :ids, :st, :status, "
                   ":sub, :due, :fin, :verdict, :sup, :ver, :head)",
            soci::use(code), soci::use(agency), soci::use(procedure_code),
            soci::use(procedure_version), soci::use(channel),
            soci::use(ids), soci::use(state), soci::use(status), soci::use(submitted),
            soci::use(due.value, due.ind), soci::use(finished.value, finished.ind),
            soci::use(verdict), soci::use(supplements), soci::use(version), soci::use(head))) {}
};

struct UpdateDossier final : Entry {
  std::string state, verdict, head, code;
  long long status = 0, supplements = 0, version = 0, expected = 0;
  Nullable due, finished;
  soci::statement st;
  explicit UpdateDossier(soci::session& sql)
      : st((sql.prepare << "UPDATE dossiers SET state = :st, status = :status, due_at = :due, "
                           "finished_at = :fin, verdict = :verdict, supplement_requests = :sup, "
                           "version = :ver, head_hash = :head WHERE code = :code AND version = "
                           ":expected",
            soci::use(state), soci::use(status), soci::use(due.value, due.ind),
            soci::use(finished.value, finished.ind), soci::use(verdict), soci::use(supplements),
            soci::use(version), soci::use(head), soci::use(code), soci::use(expected))) {}
};

// Values that travel as lowercase hex text: bytea on PostgreSQL, the hex text itself on SQLite.
inline bool is_postgresql(soci::session& sql) { return sql.get_backend_name() == "postgresql"; }
inline std::string hex_in(soci::session& sql, const std::string& placeholder) {
  return is_postgresql(sql) ? "decode(" + placeholder + ", 'hex')" : placeholder;
}
inline std::string hex_out(soci::session& sql, const std::string& column) {
  return is_postgresql(sql) ? "encode(" + column + ", 'hex')" : column;
}

// One event-log row: the events of one command (store/internal/event_rows.hpp).
struct InsertEventRow final : Entry {
  std::string code, body, hash;  // body and hash as lowercase hex
  long long seq = 0;
  soci::statement st;
  explicit InsertEventRow(soci::session& sql)
      : st((sql.prepare << "INSERT INTO dossier_events (dossier_code, seq, body, hash) VALUES (:c, "
                           ":s, " + hex_in(sql, ":b") + ", " + hex_in(sql, ":h") + ")",
            soci::use(code), soci::use(seq), soci::use(body), soci::use(hash))) {}
};

struct InsertOutbox final : Entry {
  std::string topic, code, payload;
  long long created = 0;
  soci::statement st;
  explicit InsertOutbox(soci::session& sql)
      : st((sql.prepare << "INSERT INTO outbox (topic, dossier_code, payload, created_at) VALUES "
                           "(:t, :d, :p, :c)",
            soci::use(topic), soci::use(code), soci::use(payload), soci::use(created))) {}
};

// One statement that writes only when the dossier and the attachment exist: no failing
// statement, which would abort a PostgreSQL transaction.
struct RecordComponent final : Entry {
  std::string code, component, sha, reused, code_again, sha_again;
  int digitised = 0, citizen = 0;
  soci::statement st;
  explicit RecordComponent(soci::session& sql)
      : st((sql.prepare
                << "INSERT INTO dossier_components (dossier_code, component_id, "
                   "attachment_sha256, digitised, reused_from, from_citizen_store) SELECT :d, :c, "
                   ":a, :g, :r, :f WHERE EXISTS (SELECT 1 FROM dossiers WHERE code = :d2) AND "
                   "EXISTS (SELECT 1 FROM attachments WHERE sha256 = :a2) ON CONFLICT "
                   "(dossier_code, component_id) DO UPDATE SET attachment_sha256 = "
                   "excluded.attachment_sha256, digitised = excluded.digitised, reused_from = "
                   "excluded.reused_from, from_citizen_store = excluded.from_citizen_store",
            soci::use(code), soci::use(component), soci::use(sha), soci::use(digitised),
            soci::use(reused), soci::use(citizen), soci::use(code_again), soci::use(sha_again))) {}
};

struct FindIdempotency final : Entry {
  std::string key, request_hash, outcome;
  long long created = 0;
  soci::statement st;
  explicit FindIdempotency(soci::session& sql)
      : st((sql.prepare << "SELECT request_hash, outcome, created_at FROM idempotency_keys WHERE "
                           "key = :k",
            soci::use(key), soci::into(request_hash), soci::into(outcome), soci::into(created))) {}
};

struct InsertIdempotency final : Entry {
  std::string key, request_hash, outcome;
  long long created = 0;
  soci::statement st;
  explicit InsertIdempotency(soci::session& sql)
      : st((sql.prepare << "INSERT INTO idempotency_keys (key, request_hash, outcome, created_at) "
                           "VALUES (:k, :h, :o, :c)",
            soci::use(key), soci::use(request_hash), soci::use(outcome), soci::use(created))) {}
};

}  // namespace motcua::store::detail
