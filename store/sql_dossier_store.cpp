#include "store/sql_dossier_store.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "base/hex.hpp"
#include "base/limits.hpp"
#include "engine/audit_chain.hpp"
#include "engine/event_codec.hpp"
#include "engine/state_machine.hpp"
#include "store/internal/event_rows.hpp"
#include "store/internal/guarded.hpp"
#include "store/internal/hex_text.hpp"
#include "store/internal/soci_support.hpp"
#include "store/internal/sql_documents.hpp"
#include "store/internal/sql_dossier_rows.hpp"
#include "store/internal/sql_dossier_statements.hpp"

namespace motcua::store {
namespace {

using engine::deny;
using engine::ErrorCode;
using engine::fail;
using engine::Result;
using engine::Status;
using namespace detail;  // the statements (sql_dossier_statements.hpp), guarded()

class SqlUnitOfWork final : public engine::UnitOfWork {
 public:
  SqlUnitOfWork(const Database& db, std::unique_ptr<detail::Transaction> tx)
      : db_(db), tx_(std::move(tx)) {}

  Result<std::optional<engine::StoredDossier>> load(std::string_view code_view) override {
    const std::string code(code_view);
    return guarded("loading dossier " + code,
                   [&] { return detail::load_dossier(tx_->sql(), tx_->statements(), code); });
  }

  Result<std::string> allocate_code(std::string_view agency_view, engine::LocalDate date) override {
    if (agency_view.empty() || agency_view.size() > 64 ||
        agency_view.find_first_of("- \t\r\n") != std::string_view::npos)
      return fail(ErrorCode::kInvalidInput,
                  "agency id must be non-empty, at most 64 bytes, without '-' or spaces");
    if (!date.ok()) return fail(ErrorCode::kInvalidInput, "invalid receipt date");
    const std::string agency(agency_view);
    const std::string day = engine::format_date(date);
    auto last = guarded("allocating a dossier code for " + agency, [&] {
      auto allocate_statement = tx_->statements().use<AllocateCode>(tx_->sql());
      AllocateCode& allocate = *allocate_statement;
      allocate.agency = agency;
      allocate.day = day;
      allocate.st.execute(true);
      finish(allocate.st);
      return allocate.last;
    });
    if (!last) return tl::unexpected(last.error());
    if (*last > 9999)
      return deny(ErrorCode::kOutOfRange,
                  "agency " + agency + " has used all 9999 dossier codes of " + day);
    char suffix[40];
    std::snprintf(suffix, sizeof suffix, "-%02d%02u%02u-%04lld",
                  static_cast<int>(date.year()) % 100, static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), *last);
    return agency + suffix;
  }

  Result<std::optional<engine::IdempotencyRecord>> find_idempotency(
      std::string_view key_view) override {
    return guarded("reading an idempotency key", [&]() -> std::optional<engine::IdempotencyRecord> {
      auto find_statement = tx_->statements().use<FindIdempotency>(tx_->sql());
      FindIdempotency& find = *find_statement;
      find.key = std::string(key_view);
      const bool found = find.st.execute(true);
      finish(find.st);
      if (!found) return std::nullopt;
      return engine::IdempotencyRecord{find.key, find.request_hash, find.outcome,
                                       engine::Instant{std::chrono::seconds{find.created}}};
    });
  }

  Result<std::vector<engine::ComponentRecord>> components(std::string_view code_view) override {
    const std::string code(code_view);
    return guarded("reading components",
                   [&] { return detail::read_components(tx_->sql(), tx_->statements(), code); });
  }

  Result<std::map<std::string, std::string>> form(std::string_view code_view) override {
    const std::string code(code_view);
    return guarded("reading the form of " + code,
                   [&] { return detail::read_form(tx_->sql(), code); });
  }

  Result<std::vector<engine::DocumentRecord>> documents(std::string_view code_view) override {
    const std::string code(code_view);
    return guarded("reading the documents of " + code,
                   [&] { return detail::read_documents(tx_->sql(), code); });
  }

  Result<std::vector<engine::WorkItem>> claim_deadlines(engine::Instant due_by,
                                                        engine::DeadlineMark below,
                                                        std::size_t limit) override {
    if (limit == 0 || limit > 10000)
      return fail(ErrorCode::kInvalidInput, "claim between 1 and 10000 work items");
    return guarded("claiming deadlines", [&] {
      return detail::claim_work_items(tx_->sql(), tx_->backend(), due_by, below, limit);
    });
  }

  Status write(const engine::DossierWrite& w) override {
    if (written_) return fail(ErrorCode::kInvalidInput, "a unit of work writes once");
    written_ = true;
    const std::string& code = w.projection.code;
    if (w.events.empty()) {
      if (!w.components.empty() || w.work_items || !w.tracking_secret_sha256.empty())
        return fail(ErrorCode::kInvalidInput, "a dossier write without events changes a dossier");
    } else if (auto ok = append(w.expected_version, w.events, w.projection); !ok) {
      return ok;
    }
    for (const engine::ComponentRecord& c : w.components)
      if (auto ok = record_component(code, c); !ok) return ok;
    if (w.work_items)
      if (auto ok = replace_work_items(code, *w.work_items); !ok) return ok;
    for (const engine::StoredDocument& d : w.documents) {
      if (!w.events.empty() && d.record.dossier_code != code)
        return fail(ErrorCode::kInvalidInput, "a document names another dossier");
      if (auto ok = guarded("storing a document of " + d.record.dossier_code,
                            [&] {
                              return detail::insert_document(tx_->sql(), tx_->backend(), d.record,
                                                             d.content);
                            });
          !ok)
        return ok;
    }
    if (w.idempotency)
      if (auto ok = remember_idempotency(*w.idempotency); !ok) return ok;
    if (!w.tracking_secret_sha256.empty())
      if (auto ok = put_tracking_secret(code, w.tracking_secret_sha256); !ok) return ok;
    for (const engine::DeadlineMarkChange& m : w.marks)
      if (auto ok = mark_deadline(m); !ok) return ok;
    for (const engine::OutboxMessage& m : w.outbox)
      if (auto ok = enqueue(m); !ok) return ok;
    return {};
  }

  Status commit() override {
    Status done = tx_->commit();
    if (done) db_.dossiers_committed(changed_);
    return done;
  }

 private:
  Status append(std::int64_t expected_version, const std::vector<engine::Event>& events,
                const engine::Dossier& p) {
    if (expected_version < 0 ||
        p.version != expected_version + static_cast<std::int64_t>(events.size()))
      return fail(ErrorCode::kInvalidInput,
                  "the projection's version does not follow the appended events");
    if (p.code.empty()) return fail(ErrorCode::kInvalidInput, "the projection has no dossier code");
    const std::string& code = p.code;
    return guarded(
        "appending to dossier " + code,
        [&]() -> Status {
          soci::session& sql = tx_->sql();
          engine::Digest prev{};
          if (expected_version == 0) {
            auto g = engine::chain_genesis(code);
            if (!g) return tl::unexpected(g.error());
            prev = *g;
          } else {
            auto select_statement = tx_->statements().use<SelectHead>(sql);
            SelectHead& select = *select_statement;
            select.code = code;
            const bool found = select.st.execute(true);
            finish(select.st);
            if (!found) return fail(ErrorCode::kNotFound, "no dossier " + code);
            if (select.version != expected_version) return stale(code, expected_version);
            auto h = engine::digest_from_hex(select.head);
            if (!h)
              return fail(ErrorCode::kInternal, "dossier " + code + " has a malformed head hash");
            prev = *h;
          }
          // Each event is encoded once; the same bytes are hashed into the chain and stored, all
          // of them in one row (store/internal/event_rows.hpp).
          std::vector<std::string> encodings;
          encodings.reserve(events.size());
          for (std::size_t i = 0; i < events.size(); ++i) {
            auto enc = engine::encode_event(events[i], expected_version + 1 + static_cast<long long>(i));
            if (!enc) return tl::unexpected(enc.error());
            auto h = engine::chain_link(prev, *enc);
            if (!h) return tl::unexpected(h.error());
            prev = *h;
            encodings.push_back(std::move(*enc));
          }
          auto body = pack_events(encodings);
          if (!body) return tl::unexpected(body.error());
          auto insert_statement = tx_->statements().use<InsertEventRow>(sql);
          InsertEventRow& insert = *insert_statement;
          insert.code = code;
          insert.seq = expected_version + 1;
          insert.body = to_hex_text(*body);
          insert.hash = engine::to_hex(prev);
          if (auto s = write_projection(sql, expected_version, p, insert.hash); !s) return s;
          insert.st.execute(true);
          if (expected_version == 0) created_ = true;
          changed_.push_back(code);
          return {};
        },
        stale(code, expected_version).value());
  }

  Status remember_idempotency(const engine::IdempotencyRecord& r) {
    if (r.key.empty() || r.key.size() > base::limits::kIdempotencyKeyBytes)
      return fail(ErrorCode::kInvalidInput, "idempotency keys are 1 to " +
                                                std::to_string(base::limits::kIdempotencyKeyBytes) +
                                                " bytes");
    return guarded(
        "recording an idempotency key",
        [&] {
          auto insert_statement = tx_->statements().use<InsertIdempotency>(tx_->sql());
          InsertIdempotency& insert = *insert_statement;
          insert.key = r.key;
          insert.request_hash = r.request_hash;
          insert.outcome = r.outcome;
          insert.created = r.created.time_since_epoch().count();
          insert.st.execute(true);
        },
        engine::Error{ErrorCode::kConflict, "idempotency key already used", r.key});
  }

  Status enqueue(const engine::OutboxMessage& m) {
    if (m.topic.empty()) return fail(ErrorCode::kInvalidInput, "an outbox message needs a topic");
    return guarded("writing an outbox message", [&] {
      auto insert_statement = tx_->statements().use<InsertOutbox>(tx_->sql());
      InsertOutbox& insert = *insert_statement;
      insert.topic = m.topic;
      insert.code = m.dossier_code;
      insert.payload = m.payload;
      insert.created = m.created.time_since_epoch().count();
      insert.st.execute(true);
    });
  }

  Status record_component(const std::string& code, const engine::ComponentRecord& c) {
    if (c.component_id.empty()) return fail(ErrorCode::kInvalidInput, "a component needs an id");
    if (c.dossier_code != code)
      return fail(ErrorCode::kInvalidInput, "a component names another dossier");
    return guarded("recording a component", [&]() -> Status {
      auto record_statement = tx_->statements().use<RecordComponent>(tx_->sql());
      RecordComponent& record = *record_statement;
      record.code = c.dossier_code;
      record.component = c.component_id;
      record.sha = c.attachment_sha256;
      record.digitised = c.digitised ? 1 : 0;
      record.reused = c.reused_from;
      record.citizen = c.from_citizen_store ? 1 : 0;
      record.code_again = c.dossier_code;
      record.sha_again = c.attachment_sha256;
      record.st.execute(true);
      if (record.st.get_affected_rows() == 0)
        return deny(ErrorCode::kNotFound,
                    "no dossier " + c.dossier_code + " or no attachment " + c.attachment_sha256);
      return {};
    });
  }

  Status put_tracking_secret(const std::string& code, const std::string& hash) {
    if (code.empty() || !base::is_sha256_hex(hash))
      return fail(ErrorCode::kInvalidInput,
                  "a tracking secret hash is 64 lowercase hex characters");
    return guarded(
        "storing the tracking secret of " + code,
        [&] {
          tx_->sql() << "INSERT INTO tracking_secrets (dossier_code, secret_hash) VALUES (:c, :h)",
              soci::use(code), soci::use(hash);
        },
        engine::Error{ErrorCode::kConflict, "dossier " + code + " already has a tracking secret",
                      ""});
  }

  Status replace_work_items(const std::string& code, const std::vector<engine::WorkItem>& items) {
    for (const engine::WorkItem& w : items)
      if (w.dossier_code != code)
        return fail(ErrorCode::kInvalidInput, "a work item names another dossier");
    return guarded("storing the work items of " + code, [&] {
      detail::write_work_items(tx_->sql(), tx_->statements(), code, items, created_);
    });
  }

  Status mark_deadline(const engine::DeadlineMarkChange& m) {
    return guarded("marking a deadline of " + m.dossier_code, [&]() -> Status {
      if (!detail::set_mark(tx_->sql(), m.dossier_code, m.branch, m.mark))
        return fail(ErrorCode::kNotFound, "no work item " + m.dossier_code + " " + m.branch);
      return {};
    });
  }

  static tl::unexpected<engine::Error> stale(const std::string& code, std::int64_t expected) {
    return fail(ErrorCode::kConflict, "dossier " + code + " changed since version " +
                                          std::to_string(expected) + " was read; reload and retry");
  }

  Status write_projection(soci::session& sql, std::int64_t expected_version,
                          const engine::Dossier& p, const std::string& head) {
    if (expected_version == 0) {
      auto insert_statement = tx_->statements().use<InsertDossier>(sql);
      InsertDossier& insert = *insert_statement;
      insert.code = p.code;
      insert.agency = receiving_agency(p.code);
      insert.procedure_code = p.procedure_code;
      insert.procedure_version = p.procedure_version;
      insert.channel = static_cast<int>(p.channel);
      insert.ids = agency_ids_text(p.agency_ids);
      insert.state = p.state;
      insert.status = static_cast<int>(p.status);
      insert.submitted = p.submitted_at.time_since_epoch().count();
      insert.due = Nullable(p.due);
      insert.finished = Nullable(p.finished_at);
      insert.verdict = engine::to_string(p.verdict);
      insert.supplements = p.supplement_requests;
      insert.version = p.version;
      insert.head = head;
      insert.st.execute(true);
      return {};
    }
    auto update_statement = tx_->statements().use<UpdateDossier>(sql);
    UpdateDossier& update = *update_statement;
    update.state = p.state;
    update.status = static_cast<int>(p.status);
    update.due = Nullable(p.due);
    update.finished = Nullable(p.finished_at);
    update.verdict = engine::to_string(p.verdict);
    update.supplements = p.supplement_requests;
    update.version = p.version;
    update.head = head;
    update.code = p.code;
    update.expected = expected_version;
    update.st.execute(true);
    if (update.st.get_affected_rows() != 1) return stale(p.code, expected_version);
    return {};
  }

  bool written_ = false;
  bool created_ = false;              // the write created its dossier: no older rows to replace
  std::vector<std::string> changed_;  // dossiers appended to, reported after commit
  const Database& db_;
  std::unique_ptr<detail::Transaction> tx_;
};

}  // namespace

Result<std::unique_ptr<engine::UnitOfWork>> SqlDossierStore::begin() {
  auto tx = detail::Transaction::begin(*db_);
  if (!tx) return tl::unexpected(tx.error());
  return std::unique_ptr<engine::UnitOfWork>(new SqlUnitOfWork(*db_, std::move(*tx)));
}

}  // namespace motcua::store
