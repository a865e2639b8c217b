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
  std::string code, agency, procedure_code, procedure_hash, ids, state, verdict, head;
  long long procedure_version = 0, channel = 0, status = 0, submitted = 0, supplements = 0,
            version = 0;
  Nullable due, finished;
  soci::statement st;
  explicit InsertDossier(soci::session& sql)
      : st((sql.prepare
                << "INSERT INTO dossiers (code, receiving_agency_id, procedure_code, "
                   "procedure_version, procedure_hash, channel, agency_ids, state, status, "
                   "submitted_at, due_at, finished_at, verdict, supplement_requests, version, "
                   "head_hash) VALUES (:code, :agency, :pc, :pv, :ph, :ch, :ids, :st, :status, "
                   ":sub, :due, :fin, :verdict, :sup, :ver, :head)",
            soci::use(code), soci::use(agency), soci::use(procedure_code),
            soci::use(procedure_version), soci::use(procedure_hash), soci::use(channel),
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

// INSERT of `rows` events in one statement (one round trip).
struct InsertEvents final : Entry {
  static constexpr std::size_t kMaxRows = 8;  // larger appends use several statements
  struct Row {
    std::string code, encoding, hash;
    long long seq = 0;
  };
  std::vector<Row> rows;  // never resized once bound
  soci::statement st;
  InsertEvents(soci::session& sql, std::size_t count) : rows(count), st(prepare(sql)) {}

 private:
  soci::statement prepare(soci::session& sql) {
    std::string values;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::string n = std::to_string(i);
      values +=
          (i ? ", " : "") + std::string("(:c") + n + ", :s" + n + ", :e" + n + ", :h" + n + ")";
    }
    soci::details::prepare_temp_type prepared =
        (sql.prepare << "INSERT INTO dossier_events (dossier_code, seq, encoding, hash) "
                        "VALUES " +
                            values);
    for (Row& r : rows) {
      prepared, soci::use(r.code), soci::use(r.seq), soci::use(r.encoding), soci::use(r.hash);
    }
    return soci::statement(prepared);
  }
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
