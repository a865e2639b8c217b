// Each command: checks that need no database first (so refused input never touches it), then one
// UnitOfWork that reads, decides with the pure state machine and writes everything, then commit.
#include "engine/lifecycle_service.hpp"

#include <algorithm>
#include <mutex>
#include <set>
#include <utility>

#include "engine/internal/lifecycle_documents.hpp"
#include "engine/internal/lifecycle_input.hpp"
#include "engine/state_machine.hpp"

namespace motcua::engine {

using lifecycle::decode_outcome;
using lifecycle::encode_outcome;

struct LifecycleService::Impl {
  LifecycleDeps deps;
  std::mutex mutex;
  std::set<std::pair<std::string, int>> stored_versions;  // pinned versions known to be stored

  // Stores the version in the repository the first time this process uses it.
  Status remember_version(const PublishedProcedure& published) {
    const Procedure& p = *published.procedure;
    auto key = std::make_pair(p.code, p.version);
    {
      std::lock_guard lock(mutex);
      if (stored_versions.count(key)) return {};
    }
    ProcedureVersionRecord record{p.code, p.version, p.source_hash, published.definition,
                                  deps.clock->now()};
    auto saved = deps.versions->save(record);
    // Two servers storing the same version at once: the loser's second save finds it stored
    // (a no-op) or finds another definition under that version (a real conflict).
    if (!saved && saved.error().code == ErrorCode::kConflict) saved = deps.versions->save(record);
    if (!saved) return saved;
    std::lock_guard lock(mutex);
    stored_versions.insert(std::move(key));
    return {};
  }

  // The procedure version a stored dossier is pinned to, checked against its hash.
  Result<std::shared_ptr<const Procedure>> pinned(const Dossier& dossier) {
    auto published = deps.procedures->find(dossier.procedure_code, dossier.procedure_version);
    if (!published) return tl::unexpected(published.error());
    if (published->procedure->source_hash != dossier.procedure_hash) {
      return fail(ErrorCode::kInternal, "dossier " + dossier.code +
                                            " is pinned to a definition of procedure " +
                                            dossier.procedure_code + " version " +
                                            std::to_string(dossier.procedure_version) +
                                            " that differs from the one available now");
    }
    return published->procedure;
  }

  // One attempt of a command: a fresh UnitOfWork, or (uow null) a busy store to retry, with the
  // conflict kept in `last`; or the first outcome when `key` was seen with this request.
  struct Attempt {
    std::unique_ptr<UnitOfWork> uow;
    std::optional<Outcome> replayed;
  };
  Result<Attempt> open_attempt(const std::string& key, const std::string& hash, Error& last) {
    auto uow = deps.store->begin();
    if (!uow) {
      if (uow.error().code != ErrorCode::kConflict) return tl::unexpected(uow.error());
      last = uow.error();
      return Attempt{};
    }
    if (!key.empty()) {
      auto seen = (*uow)->find_idempotency(key);
      if (!seen) return tl::unexpected(seen.error());
      if (*seen) {
        auto first = replay(**uow, **seen, hash);
        if (!first) return tl::unexpected(first.error());
        return Attempt{nullptr, std::move(*first)};
      }
    }
    return Attempt{std::move(*uow), std::nullopt};
  }

  // The first outcome of an idempotent command, read in `uow`.
  Result<Outcome> replay(UnitOfWork& uow, const IdempotencyRecord& record,
                         const std::string& request_hash) {
    if (record.request_hash != request_hash) {
      return deny(ErrorCode::kConflict,
                  "this idempotency key was used for a different request; choose a new key");
    }
    auto ref = decode_outcome(record.outcome);
    if (!ref) return tl::unexpected(ref.error());
    auto stored = uow.load(ref->code);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored || (*stored)->dossier.version < ref->to_version) {
      return fail(ErrorCode::kInternal, "the dossier of an idempotency record is missing");
    }
    Outcome out;
    out.replayed = true;
    const std::vector<Event>& events = (*stored)->events;
    for (std::int64_t i = 0; i < ref->to_version; ++i) {
      out.dossier = evolve(std::move(out.dossier), events[static_cast<std::size_t>(i)]);
      if (i >= ref->from_version) out.events.push_back(events[static_cast<std::size_t>(i)]);
    }
    auto components = uow.components(ref->code);
    if (!components) return tl::unexpected(components.error());
    out.components = std::move(*components);
    return out;
  }

  // Everything a command writes after its events are decided, in `uow`.
  Status write(UnitOfWork& uow, const Procedure& procedure, std::int64_t expected,
               const Decision& decision, StatusCode status_before, bool created,
               const std::vector<ComponentInput>& inputs, const std::string& action, Instant at) {
    const Dossier& d = decision.dossier;
    if (auto ok = uow.append(expected, decision.events, d); !ok) return ok;
    for (const ComponentInput& c : inputs) {
      ComponentRecord record{d.code,      c.component_id, c.attachment_sha256,
                             c.digitised, c.reused_from,  c.from_citizen_store};
      if (auto ok = uow.record_component(record); !ok) return ok;
    }
    if (auto ok = uow.replace_work_items(d.code, work_items(procedure, d)); !ok) return ok;
    if (created || d.status != status_before) {
      OutboxMessage message{std::string(kStatusTopic), d.code,
                            lifecycle::status_payload(d, action, at), at};
      if (auto ok = uow.enqueue(message); !ok) return ok;
    }
    return {};
  }

  // The signed documents of the transition (engine/lifecycle_documents.hpp), in `uow`. The form is
  // the one the audit chain holds (the submitted event), else the form table.
  Status issue(UnitOfWork& uow, const Procedure& procedure, const Transition& transition,
               const Dossier& dossier, const std::vector<Event>& history,
               const ActionRequest& request, Instant at) {
    std::map<std::string, std::string> form;
    if (!history.empty() && history.front().kind == EventKind::kSubmitted)
      form = history.front().form;
    if (form.empty()) {
      auto stored = uow.form(dossier.code);
      if (!stored) return tl::unexpected(stored.error());
      form = std::move(*stored);
    }
    return lifecycle::issue_documents(*deps.issuer, uow, procedure, transition, dossier, form,
                                      request.actor, request.reason, at);
  }

  Status remember(UnitOfWork& uow, const std::string& key, const std::string& hash,
                  const std::string& code, std::int64_t from, std::int64_t to, Instant at) {
    if (key.empty()) return {};
    return uow.remember_idempotency(
        IdempotencyRecord{key, hash, encode_outcome(code, from, to), at});
  }
};

namespace {

// A transient conflict (SQLite busy, PostgreSQL deadlock or serialisation failure, two requests
// racing with one idempotency key) is retried this many times before it reaches the caller.
constexpr int kAttempts = 4;

Result<Outcome> finish(UnitOfWork& uow, Decision decision) {
  auto components = uow.components(decision.dossier.code);
  if (!components) return tl::unexpected(components.error());
  Outcome out;
  out.dossier = std::move(decision.dossier);
  out.events = std::move(decision.events);
  out.components = std::move(*components);
  return out;
}

}  // namespace

LifecycleService::LifecycleService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LifecycleService::~LifecycleService() = default;
const LifecycleDeps& LifecycleService::deps() const { return impl_->deps; }

Result<std::unique_ptr<LifecycleService>> LifecycleService::create(LifecycleDeps deps) {
  const char* missing = !deps.procedures ? "procedures"
                        : !deps.versions ? "versions"
                        : !deps.calendar ? "calendar"
                        : !deps.store    ? "store"
                        : !deps.queries  ? "queries"
                        : !deps.clock    ? "clock"
                                         : nullptr;
  if (missing != nullptr) {
    return fail(ErrorCode::kInvalidInput,
                std::string("the lifecycle service needs its ") + missing + " dependency");
  }
  auto impl = std::make_unique<Impl>();
  impl->deps = std::move(deps);
  return std::unique_ptr<LifecycleService>(new LifecycleService(std::move(impl)));
}

Result<Outcome> LifecycleService::submit(const SubmitRequest& request) {
  Impl& im = *impl_;
  auto published = request.procedure_version ? im.deps.procedures->find(request.procedure_code,
                                                                        *request.procedure_version)
                                             : im.deps.procedures->current(request.procedure_code);
  if (!published) return tl::unexpected(published.error());
  const Procedure& procedure = *published->procedure;
  if (auto ok = lifecycle::check_submit(procedure, request); !ok) return tl::unexpected(ok.error());
  // The fingerprint only serves the idempotency record: without a key there is none.
  Result<std::string> hash;
  if (!request.idempotency_key.empty()) hash = lifecycle::fingerprint(request);
  if (!hash) return tl::unexpected(hash.error());

  const Instant at = im.deps.clock->now();
  Submission submission{"(not yet allocated)", request.channel, request.agency_ids, at,
                        request.actor};
  // A dry run: channel, actor and agency ids are refused before anything is written.
  auto dry = engine::submit(procedure, *im.deps.calendar, submission);
  if (!dry) return tl::unexpected(dry.error());
  const auto desk = dry->dossier.agency_ids.find(procedure.receiving_agency);
  if (desk == dry->dossier.agency_ids.end()) {
    return fail(ErrorCode::kInvalidInput, "no agency id for the receiving desk");
  }
  if (auto ok = im.remember_version(*published); !ok) return tl::unexpected(ok.error());

  Error last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto opened = im.open_attempt(request.idempotency_key, *hash, last);
    if (!opened) return tl::unexpected(opened.error());
    if (opened->replayed) return std::move(*opened->replayed);
    if (!opened->uow) continue;
    UnitOfWork& u = *opened->uow;
    auto code = u.allocate_code(desk->second, im.deps.calendar->local_date(at));
    if (!code) return tl::unexpected(code.error());
    submission.code = *code;
    auto decision = engine::submit(procedure, *im.deps.calendar, submission);
    if (!decision) return tl::unexpected(decision.error());
    // The form is part of the submitted event, so the audit chain covers it; the form table is
    // the projection queries read.
    decision->events.front().form = request.form;
    Status written = im.write(u, procedure, 0, *decision, StatusCode::kSubmitted, true,
                              request.components, "submit", at);
    if (written) written = u.save_form(*code, request.form);
    if (written && !request.tracking_secret_sha256.empty())
      written = u.put_tracking_secret(*code, request.tracking_secret_sha256);
    if (written)
      written =
          im.remember(u, request.idempotency_key, *hash, *code, 0, decision->dossier.version, at);
    if (written) written = u.commit();
    if (!written) {
      if (written.error().code == ErrorCode::kConflict) {
        last = written.error();
        continue;  // the UnitOfWork rolls back; a replay or a fresh attempt follows
      }
      return tl::unexpected(written.error());
    }
    Outcome out;
    out.dossier = std::move(decision->dossier);
    out.events = std::move(decision->events);
    for (const ComponentInput& c : request.components) {
      out.components.push_back(ComponentRecord{out.dossier.code, c.component_id,
                                               c.attachment_sha256, c.digitised, c.reused_from,
                                               c.from_citizen_store});
    }
    std::sort(out.components.begin(), out.components.end(),
              [](const ComponentRecord& a, const ComponentRecord& b) {
                return a.component_id < b.component_id;
              });
    return out;
  }
  return tl::unexpected(last);
}

Result<Outcome> LifecycleService::act(const ActionRequest& request) {
  Impl& im = *impl_;
  if (auto ok = lifecycle::check_action_sizes(request); !ok) return tl::unexpected(ok.error());
  Result<std::string> hash;  // as in submit(): only with an idempotency key
  if (!request.idempotency_key.empty()) hash = lifecycle::fingerprint(request);
  if (!hash) return tl::unexpected(hash.error());
  const Instant at = im.deps.clock->now();

  Error last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto opened = im.open_attempt(request.idempotency_key, *hash, last);
    if (!opened) return tl::unexpected(opened.error());
    if (opened->replayed) return std::move(*opened->replayed);
    if (!opened->uow) continue;
    UnitOfWork& u = *opened->uow;
    auto stored = u.load(request.dossier_code);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) return fail(ErrorCode::kNotFound, "no dossier " + request.dossier_code);
    const Dossier& dossier = (*stored)->dossier;
    if (dossier.version != request.expected_version) {
      return fail(ErrorCode::kConflict, "dossier " + dossier.code + " is at version " +
                                            std::to_string(dossier.version) + ", not " +
                                            std::to_string(request.expected_version) +
                                            "; reload it and decide again");
    }
    auto procedure = im.pinned(dossier);
    if (!procedure) return tl::unexpected(procedure.error());
    if (auto ok = lifecycle::check_action(**procedure, request); !ok) {
      return tl::unexpected(ok.error());
    }
    Command command;
    command.action = request.action;
    command.branch = request.branch;
    command.reason = request.reason;
    command.components = request.components;
    for (const ComponentInput& c : request.attachments) {
      if (std::find(command.components.begin(), command.components.end(), c.component_id) ==
          command.components.end()) {
        command.components.push_back(c.component_id);
      }
    }
    command.signed_by_actor = request.signed_by_actor;
    command.new_due = request.new_due;
    command.answer = request.answer;
    command.at = at;
    command.actor = request.actor;
    // The loaded dossier is not needed afterwards: decide folds into it instead of a copy.
    const std::int64_t version = dossier.version;
    const StatusCode status_before = dossier.status;
    const std::string code = dossier.code;
    const Transition* transition =
        im.deps.issuer ? lifecycle::find_transition(**procedure, dossier.state, request.action)
                       : nullptr;
    auto decision = decide(**procedure, *im.deps.calendar, std::move((*stored)->dossier), command);
    if (!decision) return tl::unexpected(decision.error());
    Status written = im.write(u, **procedure, version, *decision, status_before, false,
                              request.attachments, request.action, at);
    if (written && transition != nullptr)
      written =
          im.issue(u, **procedure, *transition, decision->dossier, (*stored)->events, request, at);
    if (written)
      written = im.remember(u, request.idempotency_key, *hash, code, version,
                            decision->dossier.version, at);
    if (written) {
      auto out = finish(u, std::move(*decision));
      if (!out) return out;
      written = u.commit();
      if (written) return out;
    }
    // A stale version found at append time is final; other conflicts (a concurrent request with
    // the same idempotency key, a busy database) are retried and end in a replay or a refusal.
    if (written.error().code != ErrorCode::kConflict) return tl::unexpected(written.error());
    last = written.error();
  }
  return tl::unexpected(last);
}

Result<DossierView> LifecycleService::get(std::string_view code) {
  DossierQueries& q = *impl_->deps.queries;
  auto stored = q.load(code);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail(ErrorCode::kNotFound, "no dossier " + std::string(code));
  DossierView view;
  view.stored = std::move(**stored);
  auto components = q.components(code);
  if (!components) return tl::unexpected(components.error());
  view.components = std::move(*components);
  // The chained event is the record; the form table (a projection) only serves dossiers whose
  // submitted event predates forms in events (format 1), which carry none.
  const std::vector<Event>& events = view.stored.events;
  if (!events.empty() && events.front().kind == EventKind::kSubmitted &&
      !events.front().form.empty()) {
    view.form = events.front().form;
    return view;
  }
  auto form = q.form(code);
  if (!form) return tl::unexpected(form.error());
  view.form = std::move(*form);
  return view;
}

Result<std::vector<DocumentRecord>> LifecycleService::documents(std::string_view code) {
  DossierQueries& q = *impl_->deps.queries;
  auto documents = q.documents(code);
  if (!documents || !documents->empty()) return documents;
  // No documents: a dossier without any yet, or no dossier at all.
  auto stored = q.load(code);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail(ErrorCode::kNotFound, "no dossier " + std::string(code));
  return documents;
}

Result<StoredDocument> LifecycleService::document(std::string_view code,
                                                  std::string_view document_id) {
  auto found = impl_->deps.queries->document(code, document_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found)
    return fail(ErrorCode::kNotFound,
                "dossier " + std::string(code) + " has no document " + std::string(document_id));
  return std::move(**found);
}

Result<std::vector<std::string>> LifecycleService::available_actions(std::string_view code,
                                                                     const Actor& actor) {
  auto stored = impl_->deps.queries->load(code);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return fail(ErrorCode::kNotFound, "no dossier " + std::string(code));
  auto procedure = impl_->pinned((*stored)->dossier);
  if (!procedure) return tl::unexpected(procedure.error());
  return engine::available_actions(**procedure, (*stored)->dossier, actor);
}

Result<std::vector<WorkQueueEntry>> LifecycleService::work_queue(std::string_view agency_id,
                                                                 std::string_view role,
                                                                 std::size_t limit,
                                                                 std::size_t offset) {
  auto entries = impl_->deps.queries->work_queue(agency_id, role, limit, offset);
  if (!entries) return entries;
  const Instant now = impl_->deps.clock->now();
  // Beyond the calendar's years nothing can be due within one working day of a date it covers.
  auto horizon = impl_->deps.calendar->add(now, Duration{1, DurationUnit::kWorkingDays});
  for (WorkQueueEntry& e : *entries) {
    if (!e.item.due) continue;
    e.overdue = *e.item.due <= now;
    e.due_soon = !e.overdue && horizon && *e.item.due <= *horizon;
  }
  return entries;
}

}  // namespace motcua::engine
