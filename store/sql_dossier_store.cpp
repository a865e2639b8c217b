#include "store/sql_dossier_store.hpp"

#include <cstdio>

#include "engine/audit_chain.hpp"
#include "engine/event_codec.hpp"
#include "engine/state_machine.hpp"
#include "store/soci_support.hpp"
#include "store/sql_dossier_rows.hpp"

namespace motcua::store {
namespace {

using engine::ErrorCode;
using engine::fail;
using engine::Result;
using engine::Status;

// The receiving agency is the code minus its "-YYMMDD-NNNN" suffix.
std::string receiving_agency(const std::string& code) {
  return code.size() > 12 ? code.substr(0, code.size() - 12) : code;
}

std::string agency_ids_text(const std::map<std::string, std::string>& ids) {
  std::string out;
  for (const auto& [key, value] : ids) out += key + "=" + value + "\n";
  return out;
}

struct Nullable {
  long long value = 0;
  soci::indicator ind = soci::i_null;
  explicit Nullable(const std::optional<engine::Instant>& at) {
    if (at) value = at->time_since_epoch().count(), ind = soci::i_ok;
  }
};

class SqlUnitOfWork final : public engine::UnitOfWork {
 public:
  explicit SqlUnitOfWork(std::unique_ptr<detail::Transaction> tx) : tx_(std::move(tx)) {}

  Result<std::optional<engine::StoredDossier>> load(std::string_view code_view) override {
    const std::string code(code_view);
    try {
      return detail::load_dossier(tx_->sql(), code);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "loading dossier " + code));
    }
  }

  Status append(std::int64_t expected_version, const std::vector<engine::Event>& events,
                const engine::Dossier& p) override {
    if (events.empty()) return fail(ErrorCode::kInvalidInput, "append needs at least one event");
    if (expected_version < 0 ||
        p.version != expected_version + static_cast<std::int64_t>(events.size()))
      return fail(ErrorCode::kInvalidInput,
                  "the projection's version does not follow the appended events");
    if (p.code.empty()) return fail(ErrorCode::kInvalidInput, "the projection has no dossier code");
    const std::string code = p.code;
    try {
      soci::session& sql = tx_->sql();
      engine::Digest prev{};
      if (expected_version == 0) {
        auto g = engine::chain_genesis(code);
        if (!g) return tl::unexpected(g.error());
        prev = *g;
      } else {
        long long stored_version = 0;
        std::string head;
        sql << "SELECT version, head_hash FROM dossiers WHERE code = :c", soci::use(code),
            soci::into(stored_version), soci::into(head);
        if (!sql.got_data()) return fail(ErrorCode::kNotFound, "no dossier " + code);
        if (stored_version != expected_version) return stale(code, expected_version);
        auto h = engine::digest_from_hex(head);
        if (!h) return fail(ErrorCode::kInternal, "dossier " + code + " has a malformed head hash");
        prev = *h;
      }
      std::vector<std::string> encodings, hashes;
      for (std::size_t i = 0; i < events.size(); ++i) {
        auto enc =
            engine::encode_event(events[i], expected_version + static_cast<std::int64_t>(i) + 1);
        if (!enc) return tl::unexpected(enc.error());
        auto h = engine::chain_link(prev, *enc);
        if (!h) return tl::unexpected(h.error());
        prev = *h;
        encodings.push_back(std::move(*enc));
        hashes.push_back(engine::to_hex(prev));
      }
      if (auto s = write_projection(sql, expected_version, p, hashes.back()); !s) return s;
      for (std::size_t i = 0; i < events.size(); ++i) {
        long long seq = expected_version + static_cast<long long>(i) + 1;
        long long at = events[i].at.time_since_epoch().count();
        std::string kind(engine::event_kind_name(events[i].kind));
        sql << "INSERT INTO dossier_events (dossier_code, seq, kind, at, encoding, hash) "
               "VALUES (:c, :s, :k, :a, :e, :h)",
            soci::use(code), soci::use(seq), soci::use(kind), soci::use(at),
            soci::use(encodings[i]), soci::use(hashes[i]);
      }
    } catch (const std::exception& e) {
      if (detail::classify(e) == detail::SqlFailure::kUniqueViolation)
        return stale(code, expected_version);
      return tl::unexpected(detail::sql_error(e, "appending to dossier " + code));
    }
    return {};
  }

  Result<std::string> allocate_code(std::string_view agency_view, engine::LocalDate date) override {
    if (agency_view.empty() || agency_view.size() > 64 ||
        agency_view.find_first_of("- \t\r\n") != std::string_view::npos)
      return fail(ErrorCode::kInvalidInput,
                  "agency id must be non-empty, at most 64 bytes, without '-' or spaces");
    if (!date.ok()) return fail(ErrorCode::kInvalidInput, "invalid receipt date");
    const std::string agency(agency_view);
    const std::string day = engine::format_date(date);
    long long last = 0;
    try {
      tx_->sql()
          << "INSERT INTO dossier_code_sequences (agency_id, day, last) VALUES (:a, :d, 1) "
             "ON CONFLICT (agency_id, day) DO UPDATE SET last = dossier_code_sequences.last + 1 "
             "RETURNING last",
          soci::use(agency), soci::use(day), soci::into(last);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "allocating a dossier code for " + agency));
    }
    if (last > 9999)
      return fail(ErrorCode::kOutOfRange,
                  "agency " + agency + " has used all 9999 dossier codes of " + day);
    char suffix[40];
    std::snprintf(suffix, sizeof suffix, "-%02d%02u%02u-%04lld",
                  static_cast<int>(date.year()) % 100, static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), last);
    return agency + suffix;
  }

  Result<std::optional<engine::IdempotencyRecord>> find_idempotency(
      std::string_view key_view) override {
    engine::IdempotencyRecord r;
    r.key = std::string(key_view);
    long long created = 0;
    try {
      soci::session& sql = tx_->sql();
      sql << "SELECT request_hash, outcome, created_at FROM idempotency_keys WHERE key = :k",
          soci::use(r.key), soci::into(r.request_hash), soci::into(r.outcome), soci::into(created);
      if (!sql.got_data()) return std::nullopt;
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "reading an idempotency key"));
    }
    r.created = engine::Instant{std::chrono::seconds{created}};
    return r;
  }

  Status remember_idempotency(const engine::IdempotencyRecord& r) override {
    if (r.key.empty() || r.key.size() > 200)
      return fail(ErrorCode::kInvalidInput, "idempotency keys are 1 to 200 bytes");
    long long created = r.created.time_since_epoch().count();
    try {
      tx_->sql() << "INSERT INTO idempotency_keys (key, request_hash, outcome, created_at) VALUES "
                    "(:k, :h, :o, :c)",
          soci::use(r.key), soci::use(r.request_hash), soci::use(r.outcome), soci::use(created);
    } catch (const std::exception& e) {
      if (detail::classify(e) == detail::SqlFailure::kUniqueViolation)
        return fail(ErrorCode::kConflict, "idempotency key already used", r.key);
      return tl::unexpected(detail::sql_error(e, "recording an idempotency key"));
    }
    return {};
  }

  Status enqueue(const engine::OutboxMessage& m) override {
    if (m.topic.empty()) return fail(ErrorCode::kInvalidInput, "an outbox message needs a topic");
    long long created = m.created.time_since_epoch().count();
    try {
      tx_->sql() << "INSERT INTO outbox (topic, dossier_code, payload, created_at) VALUES (:t, :d, "
                    ":p, :c)",
          soci::use(m.topic), soci::use(m.dossier_code), soci::use(m.payload), soci::use(created);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "writing an outbox message"));
    }
    return {};
  }

  Status record_component(const engine::ComponentRecord& c) override {
    if (c.component_id.empty()) return fail(ErrorCode::kInvalidInput, "a component needs an id");
    try {
      soci::session& sql = tx_->sql();
      int digitised = c.digitised ? 1 : 0, citizen = c.from_citizen_store ? 1 : 0;
      // One statement that writes only when the dossier and the attachment exist: no failing
      // statement, which would abort a PostgreSQL transaction.
      soci::statement st =
          (sql.prepare
               << "INSERT INTO dossier_components (dossier_code, component_id, attachment_sha256, "
                  "digitised, reused_from, from_citizen_store) SELECT :d, :c, :a, :g, :r, :f "
                  "WHERE EXISTS (SELECT 1 FROM dossiers WHERE code = :d2) AND EXISTS (SELECT 1 "
                  "FROM attachments WHERE sha256 = :a2) "
                  "ON CONFLICT (dossier_code, component_id) DO UPDATE SET attachment_sha256 = "
                  "excluded.attachment_sha256, digitised = excluded.digitised, reused_from = "
                  "excluded.reused_from, from_citizen_store = excluded.from_citizen_store",
           soci::use(c.dossier_code), soci::use(c.component_id), soci::use(c.attachment_sha256),
           soci::use(digitised), soci::use(c.reused_from), soci::use(citizen),
           soci::use(c.dossier_code), soci::use(c.attachment_sha256));
      st.execute(true);
      if (st.get_affected_rows() == 0)
        return fail(ErrorCode::kNotFound,
                    "no dossier " + c.dossier_code + " or no attachment " + c.attachment_sha256);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "recording a component"));
    }
    return {};
  }

  Result<std::vector<engine::ComponentRecord>> components(std::string_view code_view) override {
    const std::string code(code_view);
    try {
      return detail::read_components(tx_->sql(), code);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "reading components"));
    }
  }

  Status save_form(std::string_view code_view,
                   const std::map<std::string, std::string>& values) override {
    const std::string code(code_view);
    try {
      if (!detail::write_form(tx_->sql(), code, values))
        return fail(ErrorCode::kNotFound, "no dossier " + code);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "storing the form of " + code));
    }
    return {};
  }

  Result<std::map<std::string, std::string>> form(std::string_view code_view) override {
    const std::string code(code_view);
    try {
      return detail::read_form(tx_->sql(), code);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "reading the form of " + code));
    }
  }

  Status replace_work_items(std::string_view code_view,
                            const std::vector<engine::WorkItem>& items) override {
    const std::string code(code_view);
    for (const engine::WorkItem& w : items)
      if (w.dossier_code != code)
        return fail(ErrorCode::kInvalidInput, "a work item names another dossier");
    try {
      detail::write_work_items(tx_->sql(), code, items);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "storing the work items of " + code));
    }
    return {};
  }

  Result<std::vector<engine::WorkItem>> claim_deadlines(engine::Instant due_by,
                                                        engine::DeadlineMark below,
                                                        std::size_t limit) override {
    if (limit == 0 || limit > 10000)
      return fail(ErrorCode::kInvalidInput, "claim between 1 and 10000 work items");
    try {
      return detail::claim_work_items(tx_->sql(), tx_->backend(), due_by, below, limit);
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "claiming deadlines"));
    }
  }

  Status mark_deadline(std::string_view code_view, std::string_view branch,
                       engine::DeadlineMark mark) override {
    const std::string code(code_view);
    try {
      if (!detail::set_mark(tx_->sql(), code, std::string(branch), mark))
        return fail(ErrorCode::kNotFound, "no work item " + code + " " + std::string(branch));
    } catch (const std::exception& e) {
      return tl::unexpected(detail::sql_error(e, "marking a deadline of " + code));
    }
    return {};
  }

  Status commit() override { return tx_->commit(); }

 private:
  static tl::unexpected<engine::Error> stale(const std::string& code, std::int64_t expected) {
    return fail(ErrorCode::kConflict, "dossier " + code + " changed since version " +
                                          std::to_string(expected) + " was read; reload and retry");
  }

  Status write_projection(soci::session& sql, std::int64_t expected_version,
                          const engine::Dossier& p, const std::string& head) {
    const std::string agency = receiving_agency(p.code), ids = agency_ids_text(p.agency_ids);
    const std::string verdict(engine::to_string(p.verdict));
    long long procedure_version = p.procedure_version, channel = static_cast<int>(p.channel),
              status = static_cast<int>(p.status),
              submitted = p.submitted_at.time_since_epoch().count(),
              supplements = p.supplement_requests, version = p.version, expected = expected_version;
    Nullable due(p.due), finished(p.finished_at);
    if (expected_version == 0) {
      sql << "INSERT INTO dossiers (code, receiving_agency_id, procedure_code, procedure_version, "
             "procedure_hash, "
             "channel, agency_ids, state, status, submitted_at, due_at, finished_at, verdict, "
             "supplement_requests, "
             "version, head_hash) VALUES (:code, :agency, :pc, :pv, :ph, :ch, :ids, :st, :status, "
             ":sub, :due, :fin, "
             ":verdict, :sup, :ver, :head)",
          soci::use(p.code), soci::use(agency), soci::use(p.procedure_code),
          soci::use(procedure_version), soci::use(p.procedure_hash), soci::use(channel),
          soci::use(ids), soci::use(p.state), soci::use(status), soci::use(submitted),
          soci::use(due.value, due.ind), soci::use(finished.value, finished.ind),
          soci::use(verdict), soci::use(supplements), soci::use(version), soci::use(head);
      return {};
    }
    soci::statement st =
        (sql.prepare
             << "UPDATE dossiers SET state = :st, status = :status, due_at = :due, finished_at = "
                ":fin, "
                "verdict = :verdict, supplement_requests = :sup, version = :ver, head_hash = :head "
                "WHERE code = :code AND version = :expected",
         soci::use(p.state), soci::use(status), soci::use(due.value, due.ind),
         soci::use(finished.value, finished.ind), soci::use(verdict), soci::use(supplements),
         soci::use(version), soci::use(head), soci::use(p.code), soci::use(expected));
    st.execute(true);
    if (st.get_affected_rows() != 1) return stale(p.code, expected_version);
    return {};
  }

  std::unique_ptr<detail::Transaction> tx_;
};

}  // namespace

Result<std::unique_ptr<engine::UnitOfWork>> SqlDossierStore::begin() {
  auto tx = detail::Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  return std::unique_ptr<engine::UnitOfWork>(new SqlUnitOfWork(std::move(*tx)));
}

}  // namespace motcua::store
