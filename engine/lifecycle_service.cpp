// Each command: checks that need no database first (so refused input never touches it), then one
// UnitOfWork that reads, decides with the pure state machine, builds one DossierWrite and commits.
#include "engine/lifecycle_service.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "engine/internal/deadlines.hpp"
#include "engine/internal/lifecycle_documents.hpp"
#include "engine/internal/lifecycle_input.hpp"
#include "engine/internal/lifecycle_session.hpp"
#include "engine/state_machine.hpp"

namespace motcua::engine {

using lifecycle::Session;

namespace {

// A transient conflict (SQLite busy, PostgreSQL deadlock or serialisation failure, two requests
// racing with one idempotency key) is retried this many times before it reaches the caller.
constexpr int kAttempts = 4;
constexpr std::string_view kCurrentVersion = "current version ";

tl::unexpected<Error> stale(const std::string& code, std::int64_t current, std::int64_t expected) {
  return fail(ErrorCode::kConflict,
              "dossier " + code + " is at version " + std::to_string(current) + ", not " +
                  std::to_string(expected) + "; reload it and decide again",
              std::string(kCurrentVersion) + std::to_string(current));
}

bool participates(const Dossier& dossier, const std::string& agency_id) {
  return std::any_of(dossier.agency_ids.begin(), dossier.agency_ids.end(),
                     [&](const auto& entry) { return entry.second == agency_id; });
}

// The officer's acting role (the header comment's rule); participation is checked before.
// Errors: kForbidden.
Result<std::string> choose_role(const Procedure& procedure, const Dossier& dossier,
                                const ActionRequest& request) {
  const Actor& actor = request.actor;
  if (request.roles.empty()) return actor.role;
  const auto& roles = request.roles;
  if (!actor.role.empty()) {
    if (std::find(roles.begin(), roles.end(), actor.role) == roles.end())
      return deny(ErrorCode::kForbidden, "you do not hold that role");
    return actor.role;
  }
  for (const std::string& role : roles) {
    Actor candidate = actor;
    candidate.role = role;
    const auto available = available_actions(procedure, dossier, candidate);
    if (std::find(available.begin(), available.end(), request.action) != available.end())
      return role;
  }
  return roles.front();
}

Command command_of(const ActionRequest& request, const std::string& role, Instant at) {
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
  command.actor.role = role;
  return command;
}

}  // namespace

std::optional<std::int64_t> stale_version(const Error& error) {
  if (error.code != ErrorCode::kConflict) return std::nullopt;
  std::string_view detail = error.detail;
  if (detail.substr(0, kCurrentVersion.size()) != kCurrentVersion) return std::nullopt;
  detail.remove_prefix(kCurrentVersion.size());
  std::int64_t version = 0;
  auto [end, ec] = std::from_chars(detail.data(), detail.data() + detail.size(), version);
  if (ec != std::errc() || end != detail.data() + detail.size()) return std::nullopt;
  return version;
}

struct LifecycleService::Impl {
  explicit Impl(LifecycleDeps d) : session(std::move(d)) {}
  Session session;
};

LifecycleService::LifecycleService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LifecycleService::~LifecycleService() = default;
const LifecycleDeps& LifecycleService::deps() const { return impl_->session.deps; }

Result<std::unique_ptr<LifecycleService>> LifecycleService::create(LifecycleDeps deps) {
  const char* missing = !deps.procedures     ? "procedures"
                        : !deps.versions     ? "versions"
                        : !deps.calendar     ? "calendar"
                        : !deps.store        ? "store"
                        : !deps.queries      ? "queries"
                        : !deps.clock        ? "clock"
                        : !deps.organisation ? "organisation"
                        : !deps.tracking     ? "tracking"
                                             : nullptr;
  if (missing != nullptr) {
    return fail(ErrorCode::kInvalidInput,
                std::string("the lifecycle service needs its ") + missing + " dependency");
  }
  return std::unique_ptr<LifecycleService>(
      new LifecycleService(std::make_unique<Impl>(std::move(deps))));
}

Result<Outcome> LifecycleService::submit(const SubmitRequest& request) {
  Session& s = impl_->session;
  auto published = request.procedure_version
                       ? s.deps.procedures->find(request.procedure_code, *request.procedure_version)
                       : s.deps.procedures->current(request.procedure_code);
  if (!published) return tl::unexpected(published.error());
  const Procedure& procedure = *published->procedure;
  if (auto ok = lifecycle::check_submit(procedure, request); !ok) return tl::unexpected(ok.error());
  // The fingerprint only serves the idempotency record: without a key there is none.
  Result<std::string> hash;
  if (!request.idempotency_key.empty()) hash = lifecycle::fingerprint(request);
  if (!hash) return tl::unexpected(hash.error());
  auto agency_ids = s.agency_ids(procedure, request.agency_ids);
  if (!agency_ids) return tl::unexpected(agency_ids.error());
  // Who received the dossier decides its channel (and what follows from it: fees, limits); checked
  // before the machine's own actor rules so that the refusal says why.
  if (request.channel != Channel::kOnline) {
    std::string receiving;  // as engine::submit resolves it: the request's id, else the default
    if (auto it = agency_ids->find(procedure.receiving_agency); it != agency_ids->end())
      receiving = it->second;
    else if (const Agency* agency = procedure.agency(procedure.receiving_agency))
      receiving = agency->code;
    if (auto ok = lifecycle::check_channel(request, receiving); !ok)
      return tl::unexpected(ok.error());
  }

  const Instant at = s.deps.clock->now();
  // The machine runs once, before any transaction, so refused input never touches the store;
  // the code allocated later replaces the placeholder and the events are folded again.
  Submission submission{"(not yet allocated)", request.channel, std::move(*agency_ids), at,
                        request.actor};
  auto decided = engine::submit(procedure, *s.deps.calendar, submission);
  if (!decided) return tl::unexpected(decided.error());
  const auto desk = decided->dossier.agency_ids.find(procedure.receiving_agency);
  if (desk == decided->dossier.agency_ids.end()) {
    return deny(ErrorCode::kInvalidInput, "no agency id for the receiving desk");
  }
  const std::string desk_id = desk->second;
  decided->events.front().form = request.form;  // chained: the audit log covers the form
  if (auto ok = s.remember_version(*published); !ok) return tl::unexpected(ok.error());

  Error last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto opened = s.open_attempt(request.idempotency_key, *hash, last);
    if (!opened) return tl::unexpected(opened.error());
    if (opened->replayed) return std::move(*opened->replayed);
    if (!opened->uow) continue;
    UnitOfWork& u = *opened->uow;
    auto code = u.allocate_code(desk_id, s.deps.calendar->local_date(at));
    if (!code) return tl::unexpected(code.error());
    Decision decision = *decided;
    decision.events.front().code = *code;
    decision.dossier = Dossier{};
    for (const Event& e : decision.events)
      decision.dossier = evolve(std::move(decision.dossier), e);
    std::vector<ComponentRecord> components =
        lifecycle::merge_components({}, *code, request.components);
    DossierWrite change =
        s.change(procedure, 0, decision, StatusCode::kSubmitted, true, components, "submit", at);
    change.tracking_secret_sha256 = request.tracking_secret_sha256;
    change.idempotency =
        s.idempotency(request.idempotency_key, *hash, *code, 0, decision.dossier.version, at);
    Status written = u.write(change);
    if (written) written = u.commit();
    if (written) {
      Outcome out;
      out.dossier = std::move(decision.dossier);
      out.events = std::move(decision.events);
      out.components = std::move(components);
      out.role = request.actor.role;
      out.to_state = out.dossier.state;
      return out;
    }
    if (written.error().code != ErrorCode::kConflict) return tl::unexpected(written.error());
    last = written.error();  // the UnitOfWork rolls back; a replay or a fresh attempt follows
  }
  return tl::unexpected(last);
}

Result<Outcome> LifecycleService::act(const ActionRequest& request) {
  Session& s = impl_->session;
  if (auto ok = lifecycle::check_action_sizes(request); !ok) return tl::unexpected(ok.error());
  Result<std::string> hash;  // as in submit(): only with an idempotency key
  if (!request.idempotency_key.empty()) hash = lifecycle::fingerprint(request);
  if (!hash) return tl::unexpected(hash.error());
  const Instant at = s.deps.clock->now();

  Error last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto opened = s.open_attempt(request.idempotency_key, *hash, last);
    if (!opened) return tl::unexpected(opened.error());
    if (opened->replayed) return std::move(*opened->replayed);
    if (!opened->uow) continue;
    UnitOfWork& u = *opened->uow;
    auto stored = u.load(request.dossier_code);
    if (!stored) return tl::unexpected(stored.error());
    if (!*stored) return deny(ErrorCode::kNotFound, "no dossier " + request.dossier_code);
    const Dossier& dossier = (*stored)->dossier;
    // A non-participant learns nothing about the dossier, not even its version.
    if (request.actor.kind == ActorKind::kOfficer &&
        !participates(dossier, request.actor.agency_id))
      return deny(ErrorCode::kForbidden, "the dossier is not handled by your agency");
    if (dossier.version != request.expected_version)
      return stale(dossier.code, dossier.version, request.expected_version);
    auto procedure = s.pinned(dossier);
    if (!procedure) return tl::unexpected(procedure.error());
    if (auto ok = lifecycle::check_action(**procedure, request); !ok) {
      return tl::unexpected(ok.error());
    }
    auto role = choose_role(**procedure, dossier, request);
    if (!role) return tl::unexpected(role.error());
    const Command command = command_of(request, *role, at);
    const std::int64_t version = dossier.version;
    const StatusCode status_before = dossier.status;
    const std::string code = dossier.code;
    const std::string from_state = dossier.state;
    const Transition* transition =
        s.deps.issuer ? lifecycle::find_transition(**procedure, dossier.state, request.action)
                      : nullptr;
    // The loaded dossier is not needed afterwards: decide folds into it instead of a copy.
    const LegalRules& rules =
        s.deps.rules ? s.deps.rules->in_force(s.deps.calendar->local_date(dossier.submitted_at))
                     : built_in_rules();
    auto decision = decide(**procedure, *s.deps.calendar, std::move((*stored)->dossier), command,
                           rules);
    if (!decision) return tl::unexpected(decision.error());
    auto held = u.components(code);
    if (!held) return tl::unexpected(held.error());
    std::vector<ComponentRecord> components =
        lifecycle::merge_components(std::move(*held), code, request.attachments);
    DossierWrite change = s.change(**procedure, version, *decision, status_before, false,
                                   components, request.action, at);
    if (transition != nullptr) {
      if (auto ok = s.issue(u, **procedure, *transition, *decision, (*stored)->events, components,
                            command.actor, request.reason, at, change.documents);
          !ok)
        return tl::unexpected(ok.error());
    }
    change.idempotency =
        s.idempotency(request.idempotency_key, *hash, code, version, decision->dossier.version, at);
    Status written = u.write(change);
    if (written) written = u.commit();
    if (written) {
      Outcome out;
      out.dossier = std::move(decision->dossier);
      out.events = std::move(decision->events);
      out.components = std::move(components);
      out.role = *role;
      out.from_state = from_state;
      out.to_state = out.dossier.state;
      return out;
    }
    // A stale version found at write time (a concurrent writer) is retried: the next attempt
    // reads the new version and refuses with it, or replays a request that won with our key.
    if (written.error().code != ErrorCode::kConflict) return tl::unexpected(written.error());
    last = written.error();
  }
  return tl::unexpected(last);
}

Result<DossierView> LifecycleService::view(std::string_view code) {
  auto view = impl_->session.deps.queries->view(code);
  if (!view) return tl::unexpected(view.error());
  if (!*view) return deny(ErrorCode::kNotFound, "no dossier " + std::string(code));
  return std::move(**view);
}

Result<std::vector<LocalDate>> LifecycleService::due_provisional(const Dossier& dossier) {
  if (!dossier.due || !dossier.clock_start) return std::vector<LocalDate>{};
  auto procedure = impl_->session.pinned(dossier);
  if (!procedure) return tl::unexpected(procedure.error());
  return due_provisional_days(**procedure, *impl_->session.deps.calendar, dossier);
}

std::vector<LocalDate> LifecycleService::due_provisional(std::string_view code, Instant due) const {
  // "-YYMMDD-NNNN" ends every dossier code.
  constexpr std::size_t kTail = 12;
  if (code.size() <= kTail || code[code.size() - kTail] != '-' || code[code.size() - 5] != '-')
    return {};
  const std::string_view yymmdd = code.substr(code.size() - kTail + 1, 6);
  auto received =
      parse_date("20" + std::string(yymmdd.substr(0, 2)) + "-" + std::string(yymmdd.substr(2, 2)) +
                 "-" + std::string(yymmdd.substr(4, 2)));
  if (!received) return {};
  const Calendar& calendar = *impl_->session.deps.calendar;
  // A zero working-time limit: every provisional day from the start's date to the due's.
  return calendar.provisional_days(calendar.at_local(*received, 0),
                                   Duration{0, DurationUnit::kWorkingDays}, due);
}

Result<std::optional<std::string>> LifecycleService::tracking_secret(std::string_view code) {
  return impl_->session.deps.tracking->find(code);
}

Result<std::vector<DocumentRecord>> LifecycleService::documents(std::string_view code) {
  DossierQueries& q = *impl_->session.deps.queries;
  auto documents = q.documents(code);
  if (!documents || !documents->empty()) return documents;
  // No documents: a dossier without any yet, or no dossier at all.
  auto stored = q.load(code);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return deny(ErrorCode::kNotFound, "no dossier " + std::string(code));
  return documents;
}

Result<StoredDocument> LifecycleService::document(std::string_view code,
                                                  std::string_view document_id) {
  auto found = impl_->session.deps.queries->document(code, document_id);
  if (!found) return tl::unexpected(found.error());
  if (!*found)
    return deny(ErrorCode::kNotFound,
                "dossier " + std::string(code) + " has no document " + std::string(document_id));
  return std::move(**found);
}

Result<std::vector<std::string>> LifecycleService::available_actions(std::string_view code,
                                                                     const Actor& actor) {
  auto stored = impl_->session.deps.queries->load(code);
  if (!stored) return tl::unexpected(stored.error());
  if (!*stored) return deny(ErrorCode::kNotFound, "no dossier " + std::string(code));
  return available_actions((*stored)->dossier, actor);
}

Result<std::vector<std::string>> LifecycleService::available_actions(const Dossier& dossier,
                                                                     const Actor& actor) {
  auto procedure = impl_->session.pinned(dossier);
  if (!procedure) return tl::unexpected(procedure.error());
  return engine::available_actions(**procedure, dossier, actor);
}

Result<std::vector<WorkQueueEntry>> LifecycleService::work_queue(std::string_view agency_id,
                                                                 std::string_view role,
                                                                 std::size_t limit,
                                                                 std::size_t offset) {
  const LifecycleDeps& deps = impl_->session.deps;
  auto entries = deps.queries->work_queue(agency_id, role, limit, offset);
  if (!entries) return entries;
  const Instant now = deps.clock->now();
  // Beyond the calendar's years nothing can be due within one working day of a date it covers.
  auto horizon = deps.calendar->add(now, Duration{1, DurationUnit::kWorkingDays});
  for (WorkQueueEntry& e : *entries) {
    if (!e.item.due) continue;
    e.overdue = *e.item.due <= now;
    e.due_soon = !e.overdue && horizon && *e.item.due <= *horizon;
  }
  return entries;
}

}  // namespace motcua::engine
