#include "engine/internal/lifecycle_session.hpp"

#include "engine/internal/deadlines.hpp"
#include "engine/internal/lifecycle_documents.hpp"
#include "engine/internal/lifecycle_input.hpp"

namespace motcua::engine::lifecycle {

Status Session::remember_version(const PublishedProcedure& published) {
  const Procedure& p = *published.procedure;
  auto key = std::make_pair(p.code, p.version);
  {
    std::lock_guard lock(mutex_);
    if (stored_versions_.count(key)) return {};
  }
  ProcedureVersionRecord record{p.code, p.version, p.source_hash, *published.definition,
                                deps.clock->now()};
  auto saved = deps.versions->save(record);
  // Two servers storing the same version at once: the loser's second save finds it stored
  // (a no-op) or finds another definition under that version (a real conflict).
  if (!saved && saved.error().code == ErrorCode::kConflict) saved = deps.versions->save(record);
  if (!saved) return saved;
  std::lock_guard lock(mutex_);
  stored_versions_.insert(std::move(key));
  return {};
}

Result<std::shared_ptr<const Procedure>> Session::pinned(const Dossier& dossier) {
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

Result<std::map<std::string, std::string>> Session::agency_ids(
    const Procedure& procedure, const std::map<std::string, std::string>& requested) {
  auto organisation = deps.organisation->agency_ids();
  if (!organisation) return tl::unexpected(organisation.error());
  std::map<std::string, std::string> ids = requested;
  for (const auto& [key, id] : *organisation) {
    if (procedure.agency(key) != nullptr) ids.emplace(key, id);  // keeps the request's
  }
  return ids;
}

Result<Session::Attempt> Session::open_attempt(const std::string& key, const std::string& hash,
                                               Error& last) {
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

Result<Outcome> Session::replay(UnitOfWork& uow, const IdempotencyRecord& record,
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
    if (i == ref->from_version && i > 0) out.from_state = out.dossier.state;
    out.dossier = evolve(std::move(out.dossier), events[static_cast<std::size_t>(i)]);
    if (i >= ref->from_version) out.events.push_back(events[static_cast<std::size_t>(i)]);
  }
  out.to_state = out.dossier.state;
  if (!out.events.empty()) out.role = out.events.front().actor.role;
  auto components = uow.components(ref->code);
  if (!components) return tl::unexpected(components.error());
  out.components = std::move(*components);
  return out;
}

DossierWrite Session::change(const Procedure& procedure, std::int64_t expected,
                             const Decision& decision, StatusCode status_before, bool created,
                             const std::vector<ComponentRecord>& components,
                             const std::string& action, Instant at) const {
  const Dossier& d = decision.dossier;
  DossierWrite change;
  change.expected_version = expected;
  change.events = decision.events;
  change.projection = d;
  change.components = components;
  change.work_items = work_items(procedure, d);
  if (created || d.status != status_before) {
    change.outbox.push_back(
        OutboxMessage{std::string(kStatusTopic), d.code, status_payload(d, action), at});
  }
  return change;
}

std::optional<IdempotencyRecord> Session::idempotency(const std::string& key,
                                                      const std::string& hash,
                                                      const std::string& code, std::int64_t from,
                                                      std::int64_t to, Instant at) const {
  if (key.empty()) return std::nullopt;
  return IdempotencyRecord{key, hash, encode_outcome(code, from, to), at};
}

Status Session::issue(UnitOfWork& uow, const Procedure& procedure, const Transition& transition,
                      const Decision& decision, const std::vector<Event>& history,
                      const std::vector<ComponentRecord>& components, const Actor& actor,
                      const std::string& reason, Instant at, std::vector<StoredDocument>& out) {
  const Dossier& dossier = decision.dossier;
  DocumentContext context;
  if (!history.empty() && history.front().kind == EventKind::kSubmitted)
    context.form = history.front().form;
  if (context.form.empty()) {
    auto stored = uow.form(dossier.code);
    if (!stored) return tl::unexpected(stored.error());
    context.form = std::move(*stored);
  }
  auto held = uow.documents(dossier.code);
  if (!held) return tl::unexpected(held.error());
  context.held = std::move(*held);
  context.components = components;
  context.actor = actor;
  context.reason = reason;
  context.at = at;
  context.due_provisional = due_provisional_days(procedure, *deps.calendar, dossier);
  return issue_documents(*deps.issuer, context, procedure, transition, dossier, out);
}

}  // namespace motcua::engine::lifecycle
