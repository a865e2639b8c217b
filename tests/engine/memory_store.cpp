#include "tests/engine/memory_store.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <tuple>

#include "engine/audit_chain.hpp"
#include "engine/state_machine.hpp"

namespace motcua::engine::testing {
namespace {

bool is_sha256_hex(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

Dossier folded(const std::vector<Event>& events) {
  Dossier d;
  for (const Event& e : events) d = evolve(std::move(d), e);
  return d;
}

}  // namespace

class MemoryUnitOfWork final : public UnitOfWork {
 public:
  explicit MemoryUnitOfWork(MemoryStore& store) : store_(store) {}
  ~MemoryUnitOfWork() override { release(); }

  Result<std::optional<StoredDossier>> load(std::string_view code) override {
    std::lock_guard lock(store_.mutex_);
    return store_.fold_locked(code);
  }

  Result<std::string> allocate_code(std::string_view agency_id, LocalDate date) override {
    if (agency_id.empty() || agency_id.find_first_of("- \t\r\n") != std::string_view::npos)
      return fail(ErrorCode::kInvalidInput, "agency id must be non-empty, without '-' or spaces");
    const std::string key = std::string(agency_id) + " " + format_date(date);
    std::unique_lock lock(store_.mutex_);
    // As the SQL row lock: another unit of work allocating for this agency and day waits until
    // this one ends, so a rolled-back number is the next one handed out and no gap remains.
    store_.released_.wait(lock, [&] {
      auto it = store_.reserved_.find(key);
      return it == store_.reserved_.end() || it->second.first == this;
    });
    auto [it, fresh] = store_.reserved_.try_emplace(key, this, store_.state_.sequences[key]);
    const int n = it->second.second + 1;
    if (n > 9999) {
      if (fresh) store_.reserved_.erase(it);
      return fail(ErrorCode::kOutOfRange, "9999 dossier codes used in one day");
    }
    it->second.second = n;
    if (fresh) keys_.push_back(key);
    char suffix[40];
    std::snprintf(suffix, sizeof suffix, "-%02d%02u%02u-%04d", static_cast<int>(date.year()) % 100,
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), n);
    return std::string(agency_id) + suffix;
  }

  Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view key) override {
    std::lock_guard lock(store_.mutex_);
    auto it = store_.state_.idempotency.find(key);
    if (it == store_.state_.idempotency.end()) return std::nullopt;
    return it->second;
  }

  Result<std::vector<ComponentRecord>> components(std::string_view code) override {
    std::lock_guard lock(store_.mutex_);
    std::vector<ComponentRecord> out;
    auto it = store_.state_.components.find(code);
    if (it != store_.state_.components.end())
      for (const auto& [id, c] : it->second) out.push_back(c);
    return out;
  }

  Result<std::map<std::string, std::string>> form(std::string_view) override {
    return std::map<std::string, std::string>{};  // no dossier predates chained forms here
  }

  Result<std::vector<DocumentRecord>> documents(std::string_view code) override {
    std::lock_guard lock(store_.mutex_);
    std::vector<DocumentRecord> out;
    auto it = store_.state_.documents.find(code);
    if (it != store_.state_.documents.end())
      for (const StoredDocument& d : it->second) out.push_back(d.record);
    return out;
  }

  Result<std::vector<WorkItem>> claim_deadlines(Instant due_by, DeadlineMark below,
                                                std::size_t limit) override {
    std::lock_guard lock(store_.mutex_);
    std::vector<WorkItem> out;
    for (const auto& [code, items] : store_.state_.work)
      for (const WorkItem& w : items)
        if (w.due && *w.due <= due_by && w.mark < below) out.push_back(w);
    std::sort(out.begin(), out.end(),
              [](const WorkItem& a, const WorkItem& b) { return *a.due < *b.due; });
    if (out.size() > limit) out.resize(limit);
    return out;
  }

  Status write(const DossierWrite& change) override {
    if (change_) return fail(ErrorCode::kInvalidInput, "a unit of work writes once");
    std::lock_guard lock(store_.mutex_);
    if (auto ok = store_.check_locked(change); !ok) return ok;
    change_ = change;
    return {};
  }

  Status commit() override {
    std::lock_guard lock(store_.mutex_);
    if (store_.failing_commits_ > 0) {
      --store_.failing_commits_;
      return fail(ErrorCode::kConflict, "a concurrent transaction interfered; retry");
    }
    if (change_) {
      if (auto ok = store_.check_locked(*change_); !ok) return ok;
      if (auto ok = store_.apply_locked(*change_); !ok) return ok;
    }
    // Codes this unit of work used are committed: the sequence moves past them.
    for (const std::string& key : keys_) {
      store_.state_.sequences[key] = store_.reserved_.at(key).second;
      store_.reserved_.erase(key);
    }
    keys_.clear();
    store_.released_.notify_all();
    return {};
  }

 private:
  void release() {
    std::lock_guard lock(store_.mutex_);
    for (const std::string& key : keys_) store_.reserved_.erase(key);
    store_.released_.notify_all();
  }

  MemoryStore& store_;
  std::optional<DossierWrite> change_;
  std::vector<std::string> keys_;  // agency and day whose next code this unit of work holds
};

Result<std::unique_ptr<UnitOfWork>> MemoryStore::begin() {
  ++transactions_;
  return std::unique_ptr<UnitOfWork>(new MemoryUnitOfWork(*this));
}

std::optional<StoredDossier> MemoryStore::fold_locked(std::string_view code) const {
  auto it = state_.events.find(code);
  if (it == state_.events.end()) return std::nullopt;
  ++folds_;
  StoredDossier stored;
  stored.events = it->second;
  stored.dossier = folded(stored.events);
  stored.head_hash = std::string(64, '0');
  return stored;
}

Status MemoryStore::check_locked(const DossierWrite& w) const {
  const std::string& code = w.projection.code;
  if (!w.events.empty()) {
    auto it = state_.events.find(code);
    const std::int64_t stored = it == state_.events.end() ? 0 : std::int64_t(it->second.size());
    if (stored != w.expected_version)
      return fail(ErrorCode::kConflict, "dossier " + code + " changed since version " +
                                            std::to_string(w.expected_version) + " was read");
    if (w.projection.version != w.expected_version + std::int64_t(w.events.size()))
      return fail(ErrorCode::kInvalidInput, "the projection's version does not follow");
  }
  if (w.idempotency && (w.idempotency->key.empty() || w.idempotency->key.size() > 200))
    return fail(ErrorCode::kInvalidInput, "an idempotency key has 1 to 200 bytes");
  if (!w.tracking_secret_sha256.empty() && !is_sha256_hex(w.tracking_secret_sha256))
    return fail(ErrorCode::kInvalidInput, "a tracking secret hash is 64 lowercase hex digits");
  for (const StoredDocument& d : w.documents) {
    auto digest = sha256(d.content);
    if (!digest || to_hex(*digest) != d.record.sha256)
      return fail(ErrorCode::kInvalidInput, "a document's sha256 is not that of its bytes");
  }
  for (const DeadlineMarkChange& m : w.marks) {
    const std::vector<WorkItem>* items = nullptr;
    if (w.work_items && m.dossier_code == code) {
      items = &*w.work_items;
    } else if (auto it = state_.work.find(m.dossier_code); it != state_.work.end()) {
      items = &it->second;
    }
    const bool found = items && std::any_of(items->begin(), items->end(), [&](const WorkItem& i) {
                         return i.branch == m.branch;
                       });
    if (!found)
      return fail(ErrorCode::kNotFound, "no work item " + m.dossier_code + " " + m.branch);
  }
  if (w.idempotency && state_.idempotency.count(w.idempotency->key))
    return fail(ErrorCode::kConflict, "idempotency key already used");
  if (!w.tracking_secret_sha256.empty() && state_.secrets.count(code))
    return fail(ErrorCode::kConflict, "dossier " + code + " already has a tracking secret");
  for (const StoredDocument& d : w.documents) {
    auto it = state_.documents.find(d.record.dossier_code);
    if (it == state_.documents.end()) continue;
    for (const StoredDocument& held : it->second)
      if (held.record.document_id == d.record.document_id)
        return fail(ErrorCode::kConflict, "the dossier has this document already");
  }
  return {};
}

Status MemoryStore::apply_locked(const DossierWrite& w) {
  const std::string& code = w.projection.code;
  if (!w.events.empty()) {
    auto& events = state_.events[code];
    events.insert(events.end(), w.events.begin(), w.events.end());
  }
  for (const ComponentRecord& c : w.components) state_.components[code][c.component_id] = c;
  if (w.work_items) {
    std::vector<WorkItem> next = *w.work_items;
    for (WorkItem& item : next) {
      item.mark = DeadlineMark::kNone;
      for (const WorkItem& old : state_.work[code])
        if (old.branch == item.branch && old.due == item.due) item.mark = old.mark;
    }
    state_.work[code] = std::move(next);
  }
  for (const StoredDocument& d : w.documents) state_.documents[d.record.dossier_code].push_back(d);
  if (w.idempotency) state_.idempotency[w.idempotency->key] = *w.idempotency;
  if (!w.tracking_secret_sha256.empty()) state_.secrets[code] = w.tracking_secret_sha256;
  for (const DeadlineMarkChange& m : w.marks)
    for (WorkItem& item : state_.work[m.dossier_code])
      if (item.branch == m.branch) item.mark = m.mark;
  state_.outbox.insert(state_.outbox.end(), w.outbox.begin(), w.outbox.end());
  return {};
}

Result<std::optional<StoredDossier>> MemoryStore::load(std::string_view code) {
  ++transactions_;
  std::lock_guard lock(mutex_);
  return fold_locked(code);
}

Result<std::optional<DossierView>> MemoryStore::view(std::string_view code) {
  ++transactions_;
  std::lock_guard lock(mutex_);
  auto stored = fold_locked(code);
  if (!stored) return std::nullopt;
  DossierView view;
  view.stored = std::move(*stored);
  for (const auto& [id, c] : state_.components[std::string(code)]) view.components.push_back(c);
  if (!view.stored.events.empty()) view.form = view.stored.events.front().form;
  for (const StoredDocument& d : state_.documents[std::string(code)])
    view.documents.push_back(d.record);
  return view;
}

Result<std::vector<DocumentRecord>> MemoryStore::documents(std::string_view code) {
  ++transactions_;
  std::lock_guard lock(mutex_);
  std::vector<DocumentRecord> out;
  for (const StoredDocument& d : state_.documents[std::string(code)]) out.push_back(d.record);
  return out;
}

Result<std::optional<StoredDocument>> MemoryStore::document(std::string_view code,
                                                            std::string_view id) {
  ++transactions_;
  std::lock_guard lock(mutex_);
  for (const StoredDocument& d : state_.documents[std::string(code)])
    if (d.record.document_id == id) return d;
  return std::nullopt;
}

Result<std::vector<WorkQueueEntry>> MemoryStore::work_queue(std::string_view agency_id,
                                                            std::string_view role,
                                                            std::size_t limit, std::size_t offset) {
  if (agency_id.empty() || role.empty())
    return fail(ErrorCode::kInvalidInput, "a work queue needs an agency id and a role");
  if (limit == 0 || limit > 1000)
    return fail(ErrorCode::kInvalidInput, "a work queue page holds 1 to 1000 entries");
  ++transactions_;
  std::lock_guard lock(mutex_);
  std::vector<WorkQueueEntry> out;
  for (const auto& [code, items] : state_.work)
    for (const WorkItem& item : items) {
      if (item.agency_id != agency_id || item.role != role) continue;
      auto it = state_.events.find(code);
      if (it == state_.events.end()) continue;  // as the SQL join: no dossier, no entry
      const Dossier d = folded(it->second);
      WorkQueueEntry e;
      e.item = item;
      e.procedure_code = d.procedure_code;
      e.procedure_version = d.procedure_version;
      e.state = d.state;
      e.status = d.status;
      e.version = d.version;
      e.submitted_at = d.submitted_at;
      out.push_back(std::move(e));
    }
  // Due date (none last), then dossier code, then branch.
  std::sort(out.begin(), out.end(), [](const WorkQueueEntry& a, const WorkQueueEntry& b) {
    const auto key = [](const WorkQueueEntry& e) {
      return std::make_tuple(!e.item.due.has_value(), e.item.due.value_or(Instant{}),
                             std::cref(e.item.dossier_code), std::cref(e.item.branch));
    };
    return key(a) < key(b);
  });
  out.erase(out.begin(), out.begin() + std::min(offset, out.size()));
  if (out.size() > limit) out.resize(limit);
  return out;
}

Result<std::optional<std::string>> MemoryStore::find(std::string_view code) {
  ++transactions_;
  std::lock_guard lock(mutex_);
  auto it = state_.secrets.find(code);
  if (it == state_.secrets.end()) return std::nullopt;
  return it->second;
}

Result<std::map<std::string, std::string>> MemoryStore::agency_ids() {
  ++organisation_reads_;
  std::lock_guard lock(mutex_);
  return agencies_;
}

Status MemoryStore::save(const ProcedureVersionRecord& record) {
  auto digest = sha256(record.definition);
  if (!digest || to_hex(*digest) != record.hash)
    return fail(ErrorCode::kInvalidInput, "the hash is not the SHA-256 of the definition");
  std::lock_guard lock(mutex_);
  auto [it, added] = versions_.emplace(std::make_pair(record.code, record.version), record);
  if (!added && it->second.hash != record.hash)
    return fail(ErrorCode::kConflict, "another definition under this version");
  return {};
}

Result<ProcedureVersionRecord> MemoryStore::find(std::string_view code, int version) {
  std::lock_guard lock(mutex_);
  auto it = versions_.find(std::make_pair(std::string(code), version));
  if (it == versions_.end()) return fail(ErrorCode::kNotFound, "no such procedure version");
  return it->second;
}

Result<ProcedureVersionRecord> MemoryStore::latest(std::string_view code) {
  std::lock_guard lock(mutex_);
  const ProcedureVersionRecord* last = nullptr;
  for (const auto& [key, r] : versions_)
    if (key.first == code) last = &r;
  if (last == nullptr) return fail(ErrorCode::kNotFound, "no such procedure");
  return *last;
}

void MemoryStore::set_agencies(std::map<std::string, std::string> ids) {
  std::lock_guard lock(mutex_);
  agencies_ = std::move(ids);
}

std::vector<OutboxMessage> MemoryStore::outbox() const {
  std::lock_guard lock(mutex_);
  return state_.outbox;
}

std::vector<WorkItem> MemoryStore::work_items(const std::string& code) const {
  std::lock_guard lock(mutex_);
  auto it = state_.work.find(code);
  return it == state_.work.end() ? std::vector<WorkItem>{} : it->second;
}

std::map<std::string, long long> MemoryStore::footprint() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, long long> out;
  out["dossiers"] = static_cast<long long>(state_.events.size());
  for (const auto& [code, events] : state_.events) out["events"] += events.size();
  for (const auto& [code, components] : state_.components) out["components"] += components.size();
  for (const auto& [code, items] : state_.work) {
    out["work items"] += items.size();
    for (const WorkItem& item : items) out["sum(mark)"] += static_cast<int>(item.mark);
  }
  for (const auto& [code, documents] : state_.documents) out["documents"] += documents.size();
  out["idempotency"] = static_cast<long long>(state_.idempotency.size());
  out["secrets"] = static_cast<long long>(state_.secrets.size());
  for (const auto& [key, last] : state_.sequences) out["sum(last)"] += last;
  out["outbox"] = static_cast<long long>(state_.outbox.size());
  out["procedure versions"] = static_cast<long long>(versions_.size());
  return out;
}

}  // namespace motcua::engine::testing
