#include "store/internal/sql_dossier_rows.hpp"

#include <algorithm>
#include <set>

#include "engine/event_codec.hpp"
#include "engine/state_machine.hpp"
#include "store/internal/event_rows.hpp"
#include "store/internal/hex_text.hpp"
#include "store/internal/soci_support.hpp"
#include "store/internal/sql_dossier_statements.hpp"

namespace motcua::store::detail {

using engine::ErrorCode;
using engine::fail;

namespace {

engine::Instant instant_of(long long seconds) {
  return engine::Instant{std::chrono::seconds{seconds}};
}

engine::WorkItem item_of(const soci::row& r) {
  engine::WorkItem w;
  w.dossier_code = r.get<std::string>(0);
  w.branch = r.get<std::string>(1);
  w.agency_id = r.get<std::string>(2);
  w.role = r.get<std::string>(3);
  if (r.get_indicator(4) != soci::i_null) w.due = instant_of(row_int(r, 4));
  w.mark = static_cast<engine::DeadlineMark>(row_int(r, 5));
  return w;
}

}  // namespace

namespace {

struct SelectDossier final : StatementCache::Entry {
  std::string code, head;
  long long version = 0;
  soci::statement st;
  explicit SelectDossier(soci::session& sql)
      : st((sql.prepare << "SELECT version, head_hash FROM dossiers WHERE code = :c",
            soci::use(code), soci::into(version), soci::into(head))) {}
};

struct SelectEvents final : StatementCache::Entry {
  std::string code, body;
  long long seq = 0;
  soci::statement st;
  explicit SelectEvents(soci::session& sql)
      : st((sql.prepare << "SELECT seq, " + hex_out(sql, "body") +
                               " FROM dossier_events WHERE dossier_code = :c ORDER BY seq",
            soci::use(code), soci::into(seq), soci::into(body))) {}
};

struct SelectComponents final : StatementCache::Entry {
  std::string code, component, sha, reused;
  long long digitised = 0, citizen = 0;
  soci::statement st;
  explicit SelectComponents(soci::session& sql)
      : st((sql.prepare << "SELECT component_id, attachment_sha256, digitised, reused_from, "
                           "from_citizen_store FROM dossier_components WHERE dossier_code = :d "
                           "ORDER BY component_id",
            soci::use(code), soci::into(component), soci::into(sha), soci::into(digitised),
            soci::into(reused), soci::into(citizen))) {}
};

}  // namespace

engine::Result<std::optional<engine::StoredDossier>> load_dossier(soci::session& sql,
                                                                  StatementCache& statements,
                                                                  const std::string& code) {
  engine::StoredDossier out;
  auto dossier_statement = statements.use<SelectDossier>(sql);
  SelectDossier& dossier = *dossier_statement;
  dossier.code = code;
  const bool found = dossier.st.execute(true);
  finish(dossier.st);
  if (!found) return std::nullopt;
  out.head_hash = dossier.head;
  const long long version = dossier.version;
  out.events.reserve(static_cast<std::size_t>(std::max(0LL, std::min(version, 1024LL))));
  auto events_statement = statements.use<SelectEvents>(sql);
  SelectEvents& events = *events_statement;
  events.code = code;
  events.st.execute();
  while (events.st.fetch()) {
    const long long seq = events.seq;
    auto unreadable = [&](const std::string& why) {
      finish(events.st);
      return fail(ErrorCode::kInternal,
                  "stored event row " + std::to_string(seq) + " of dossier " + code +
                      " is unreadable; run motcua audit verify",
                  why);
    };
    auto body = from_hex_text(events.body, "event row");
    auto encodings = body ? unpack_events(*body)
                          : engine::Result<std::vector<std::string>>(tl::unexpected(body.error()));
    if (!encodings) return unreadable(encodings.error().message);
    if (seq != static_cast<long long>(out.events.size()) + 1) return unreadable("out of sequence");
    for (const std::string& encoding : *encodings) {
      auto decoded = engine::decode_event(encoding);
      if (!decoded) return unreadable(decoded.error().message);
      if (decoded->seq != static_cast<long long>(out.events.size()) + 1)
        return unreadable("an event is out of sequence");
      out.events.push_back(std::move(decoded->event));
    }
  }
  if (static_cast<long long>(out.events.size()) != version)
    return fail(ErrorCode::kInternal, "dossier " + code + " records " + std::to_string(version) +
                                          " events but " + std::to_string(out.events.size()) +
                                          " are stored; run motcua audit verify");
  for (const engine::Event& e : out.events) engine::evolve_in_place(out.dossier, e);
  return out;
}

std::vector<engine::ComponentRecord> read_components(soci::session& sql, StatementCache& statements,
                                                     const std::string& code) {
  std::vector<engine::ComponentRecord> out;
  auto select_statement = statements.use<SelectComponents>(sql);
  SelectComponents& select = *select_statement;
  select.code = code;
  select.st.execute();
  while (select.st.fetch()) {
    engine::ComponentRecord c;
    c.dossier_code = code;
    c.component_id = select.component;
    c.attachment_sha256 = select.sha;
    c.digitised = select.digitised != 0;
    c.reused_from = select.reused;
    c.from_citizen_store = select.citizen != 0;
    out.push_back(std::move(c));
  }
  return out;
}

std::map<std::string, std::string> read_form(soci::session& sql, const std::string& code) {
  std::map<std::string, std::string> out;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT field_id, value FROM dossier_form_values WHERE dossier_code = :d",
       soci::use(code));
  for (const soci::row& r : rows) out.emplace(r.get<std::string>(0), r.get<std::string>(1));
  return out;
}

bool dossier_exists(soci::session& sql, const std::string& code) {
  long long n = 0;
  sql << "SELECT COUNT(*) FROM dossiers WHERE code = :c", soci::use(code), soci::into(n);
  return n > 0;
}

namespace {

// INSERT of a whole form (one round trip), writing only when the dossier exists; one prepared
// statement per number of fields.
struct InsertForm final : StatementCache::Entry {
  std::string code, code_again;
  std::vector<std::string> binds;  // field, value, field, value...; never resized once bound
  soci::statement st;
  InsertForm(soci::session& sql, std::size_t fields)
      : binds(fields * 2), st(prepare(sql, fields)) {}

 private:
  soci::statement prepare(soci::session& sql, std::size_t fields) {
    std::string rows;
    for (std::size_t i = 0; i < fields; ++i) {
      const std::string n = std::to_string(i);
      rows += (i ? ", " : "") + std::string("(:f") + n + ", :v" + n + ")";
    }
    soci::details::prepare_temp_type prepared =
        (sql.prepare << "INSERT INTO dossier_form_values (dossier_code, field_id, value) SELECT "
                        ":code, column1, column2 FROM (VALUES " +
                            rows +
                            ") AS v WHERE EXISTS (SELECT 1 FROM dossiers WHERE code = :code2)");
    prepared, soci::use(code);
    for (std::string& b : binds) prepared, soci::use(b);
    prepared, soci::use(code_again);
    return soci::statement(prepared);
  }
};

struct SelectBranches final : StatementCache::Entry {
  std::string code, branch;
  soci::statement st;
  explicit SelectBranches(soci::session& sql)
      : st((sql.prepare << "SELECT branch FROM work_items WHERE dossier_code = :d", soci::use(code),
            soci::into(branch))) {}
};

struct DeleteWorkItem final : StatementCache::Entry {
  std::string code, branch;
  soci::statement st;
  explicit DeleteWorkItem(soci::session& sql)
      : st((sql.prepare << "DELETE FROM work_items WHERE dossier_code = :d AND branch = :b",
            soci::use(code), soci::use(branch))) {}
};

struct InsertWorkItem final : StatementCache::Entry {
  std::string code, branch, agency, role;
  long long due = 0;
  soci::indicator due_ind = soci::i_null;
  soci::statement st;
  explicit InsertWorkItem(soci::session& sql)
      // A new due date starts over: the scheduler notifies again for the new deadline.
      : st((sql.prepare << "INSERT INTO work_items (dossier_code, branch, agency_id, role, due_at, "
                           "mark) VALUES (:d, :b, :a, :r, :due, 0) ON CONFLICT (dossier_code, "
                           "branch) DO UPDATE SET agency_id = excluded.agency_id, role = "
                           "excluded.role, mark = CASE WHEN work_items.due_at IS NOT DISTINCT "
                           "FROM excluded.due_at THEN work_items.mark ELSE 0 END, due_at = "
                           "excluded.due_at",
            soci::use(code), soci::use(branch), soci::use(agency), soci::use(role),
            soci::use(due, due_ind))) {}
};

}  // namespace

bool write_form(soci::session& sql, StatementCache& statements, const std::string& code,
                const std::map<std::string, std::string>& values, bool created) {
  if (!created) sql << "DELETE FROM dossier_form_values WHERE dossier_code = :d", soci::use(code);
  if (values.empty()) return created || dossier_exists(sql, code);
  auto insert_statement = statements.use<InsertForm>(sql, values.size());
  InsertForm& insert = *insert_statement;
  insert.code = code;
  insert.code_again = code;
  std::size_t i = 0;
  for (const auto& [field, value] : values) {
    insert.binds[i++] = field;
    insert.binds[i++] = value;
  }
  insert.st.execute(true);
  return insert.st.get_affected_rows() == static_cast<long long>(values.size());
}

void write_work_items(soci::session& sql, StatementCache& statements, const std::string& code,
                      const std::vector<engine::WorkItem>& items, bool created) {
  if (!created) {
    std::set<std::string> keep;
    for (const engine::WorkItem& w : items) keep.insert(w.branch);
    std::vector<std::string> stored;
    auto select_statement = statements.use<SelectBranches>(sql);
    SelectBranches& select = *select_statement;
    select.code = code;
    select.st.execute();
    while (select.st.fetch()) stored.push_back(select.branch);
    for (const std::string& branch : stored) {
      if (keep.count(branch)) continue;
      auto remove_statement = statements.use<DeleteWorkItem>(sql);
      DeleteWorkItem& remove = *remove_statement;
      remove.code = code;
      remove.branch = branch;
      remove.st.execute(true);
    }
  }
  for (const engine::WorkItem& w : items) {
    auto insert_statement = statements.use<InsertWorkItem>(sql);
    InsertWorkItem& insert = *insert_statement;
    insert.code = code;
    insert.branch = w.branch;
    insert.agency = w.agency_id;
    insert.role = w.role;
    insert.due = w.due ? w.due->time_since_epoch().count() : 0;
    insert.due_ind = w.due ? soci::i_ok : soci::i_null;
    insert.st.execute(true);
  }
}

std::vector<engine::WorkItem> claim_work_items(soci::session& sql, Backend backend,
                                               engine::Instant due_by, engine::DeadlineMark below,
                                               std::size_t limit) {
  long long by = due_by.time_since_epoch().count(), mark = static_cast<int>(below),
            n = static_cast<long long>(limit);
  std::vector<engine::WorkItem> out;
  soci::rowset<soci::row> rows =
      (sql.prepare << std::string("SELECT dossier_code, branch, agency_id, role, due_at, mark FROM "
                                  "work_items WHERE due_at IS NOT NULL AND due_at <= :by AND "
                                  "mark < :mark ORDER BY due_at, dossier_code, branch LIMIT :n") +
                          (backend == Backend::kPostgresql ? " FOR UPDATE SKIP LOCKED" : ""),
       soci::use(by), soci::use(mark), soci::use(n));
  for (const soci::row& r : rows) out.push_back(item_of(r));
  return out;
}

bool set_mark(soci::session& sql, const std::string& code, const std::string& branch,
              engine::DeadlineMark mark) {
  long long m = static_cast<int>(mark);
  soci::statement st =
      (sql.prepare << "UPDATE work_items SET mark = :m WHERE dossier_code = :d AND branch = :b",
       soci::use(m), soci::use(code), soci::use(branch));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<engine::WorkQueueEntry> select_work_queue(soci::session& sql,
                                                      const std::string& agency_id,
                                                      const std::string& role, std::size_t limit,
                                                      std::size_t offset) {
  long long n = static_cast<long long>(limit), skip = static_cast<long long>(offset);
  std::vector<engine::WorkQueueEntry> out;
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT w.dossier_code, w.branch, w.agency_id, w.role, w.due_at, w.mark, "
                      "d.procedure_code, d.procedure_version, d.state, d.status, d.version, "
                      "d.submitted_at FROM work_items w JOIN dossiers d ON d.code = "
                      "w.dossier_code WHERE w.agency_id = :a AND w.role = :r "
                      "ORDER BY w.due_at ASC NULLS LAST, w.dossier_code, w.branch "
                      "LIMIT :n OFFSET :o",
       soci::use(agency_id), soci::use(role), soci::use(n), soci::use(skip));
  for (const soci::row& r : rows) {
    engine::WorkQueueEntry e;
    e.item = item_of(r);
    e.procedure_code = r.get<std::string>(6);
    e.procedure_version = static_cast<int>(row_int(r, 7));
    e.state = r.get<std::string>(8);
    e.status = static_cast<engine::StatusCode>(row_int(r, 9));
    e.version = row_int(r, 10);
    e.submitted_at = instant_of(row_int(r, 11));
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace motcua::store::detail
