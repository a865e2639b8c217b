#pragma once
// LifecycleService: the dossier lifecycle on the storage ports (DOMAIN.md "Lifecycle rules"). Each
// command is ONE UnitOfWork (engine/ports/unit_of_work.hpp): load the dossier (pinned procedure
// version) -> for officers, check that their agency handles the dossier -> check the caller's
// expected version -> choose the officer's acting role -> engine::decide -> ONE DossierWrite
// (events, projection, work items, components, documents, idempotency record, tracking secret,
// outbox) -> commit. The dossier's events are folded once per command. A command that fails for any
// reason commits nothing.
//
// Commands (all through submit() and act()):
//   submit on a channel (desk / online / postal) with form values and components; the agencies of
//   the procedure are resolved through the Organisation port (the request's ids take precedence);
//   the dossier code <agency id>-YYMMDD-NNNN is allocated in the same transaction from the
//   receiving agency and the local receipt date (calendar offset), and a refused submission rolls
//   it back (codes stay gap-free); the form is stored once, in the audit-chained submitted event.
//   Then every action the pinned procedure defines: accept (starts the clock; the Outcome is the
//   receipt: code, components, due date), refuse at intake, request supplement, supplement
//   received, hand-over between steps and agencies, parallel consultation answers (one per
//   branch, each with its own deadline; the system answers for a silence-is-consent branch past
//   its deadline), approve, refuse after appraisal, apology with a new date, withdraw, stop,
//   resolve, return the result.
//
// Officers (ActionRequest::roles non-empty): an officer whose agency is none of the dossier's
// agency ids is refused (kForbidden "the dossier is not handled by your agency"); the acting role
// is the requested one (actor.role), else the first of `roles` for which the action is available
// now, else the first role (and decide() says why it is refused). Outcome::role reports it.
//
// Outbox: every submission and every command that changes the national status writes one
// message, topic kStatusTopic, for the message's dossier_code at its `created` instant, payload
//   {"action":"...","state":"...","status":N,"version":N}.
//
// Concurrency: ActionRequest::expected_version is the dossier version the caller saw; if the
// dossier moved on, the command fails with kConflict and changes nothing; that error's detail
// names the current version (stale_version() reads it). Idempotency: a request carrying a key
// that was already used by the same request returns the first outcome again
// (Outcome::replayed = true) and applies nothing; the same key with a different request gives
// kConflict.
//
// Thread-safety: every method may be called concurrently from several threads (and several
// processes may share one database): all state is in the ports.
//
// Errors: kNotFound (unknown procedure, dossier, attachment), kInvalidInput (bad form values,
// components, oversize input, malformed requests; the detail lists every problem), kConflict
// (stale version, reused idempotency key, a concurrent writer won), kForbidden (the officer's
// agency does not handle the dossier), the engine's decide() errors (kIllegalAction, kForbidden,
// kReasonRequired, kComponentsRequired, kSignatureRequired, kDeadlinePassed, kAlreadyDone,
// kOutOfRange), kIo / kInternal from the store.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/limits.hpp"
#include "engine/calendar.hpp"
#include "engine/clock.hpp"
#include "engine/dossier.hpp"
#include "engine/error.hpp"
#include "engine/legal_rules.hpp"
#include "engine/ports/dossier_queries.hpp"
#include "engine/ports/dossier_store.hpp"
#include "engine/ports/organisation.hpp"
#include "engine/ports/procedure_versions.hpp"
#include "engine/ports/tracking_secrets.hpp"
#include "engine/procedure_source.hpp"
#include "engine/work_item.hpp"

namespace motcua::engine {

inline constexpr std::string_view kStatusTopic = "dossier.status";
// The role of the one-stop desk (Bộ phận Một cửa), the only one that records desk and postal
// intake (DOMAIN.md "Decisions taken"); it also signs receipts (document_issuer.hpp).
inline constexpr std::string_view kDeskRole = "desk";

// Input limits: base/limits.hpp; anything larger is refused with kInvalidInput before the
// database is touched.

// A component handed in: which declared component, the attachment (AttachmentStore SHA-256, must
// already be stored) and its provenance (DOMAIN.md "Digitisation and only once").
struct ComponentInput {
  std::string component_id;
  std::string attachment_sha256;
  bool digitised = false;
  std::string reused_from;  // code of the earlier dossier or result; empty = not reused
  bool from_citizen_store = false;
};

struct SubmitRequest {
  std::string procedure_code;
  std::optional<int> procedure_version;  // empty: the version in force (ProcedureSource::current)
  Channel channel = Channel::kOnline;
  // Procedure agency key -> concrete QCVN agency id (required for agencies without a default code).
  std::map<std::string, std::string> agency_ids;
  std::map<std::string, std::string>
      form;  // field id -> value, validated with engine/internal/form.hpp
  std::vector<ComponentInput> components;  // every required component, no unknown ids
  Actor actor;                  // the applicant, or a desk officer of the receiving agency
  std::string idempotency_key;  // optional, 1..200 bytes
  // Optional: the lowercase hex SHA-256 of the tracking secret the applicant is given. Stored
  // with the dossier in the same transaction, so an acknowledged dossier always has it; a replay
  // stores nothing (the first submission's hash stays).
  std::string tracking_secret_sha256;
};

// kConflict detail of a stale expected version: "current version N".
std::optional<std::int64_t> stale_version(const Error& error);

struct ActionRequest {
  std::string dossier_code;
  std::int64_t expected_version = 0;  // the version the caller saw (Dossier::version)
  std::string action;                 // a Transition::action or a Branch::action
  std::string branch;                 // a branch answer: the branch id (optional when unambiguous)
  std::string reason;
  std::vector<std::string> components;  // component ids (e.g. what a supplement request asks for)
  // Components handed in with this action (e.g. with "supplement-received"), recorded with their
  // provenance; their ids are added to `components` when it does not list them.
  std::vector<ComponentInput> attachments;
  bool signed_by_actor = false;
  std::optional<Instant> new_due;  // apology
  std::string answer;              // a branch's opinion
  // Who acts. For an officer: kind, login, agency and, optionally, the requested role.
  Actor actor;
  // Every role the officer holds. Non-empty: the service checks participation and chooses the
  // role (see the header comment); actor.role, when set, must be one of them.
  std::vector<std::string> roles;
  std::string idempotency_key;  // optional, 1..200 bytes
};

// What a command did.
struct Outcome {
  Dossier dossier;                          // the projection after the command
  std::vector<Event> events;                // the events this command appended
  std::vector<ComponentRecord> components;  // the dossier's components after the command
  bool replayed = false;  // an idempotent retry: the first outcome, nothing applied now
  // The transition taken: the role that acted and the states before and after (equal when the
  // dossier stayed, e.g. a branch answer). Submissions: from_state empty.
  std::string role;
  std::string from_state;
  std::string to_state;
};

class DocumentIssuer;  // engine/document_issuer.hpp

struct LifecycleDeps {
  std::shared_ptr<const ProcedureSource> procedures;
  std::shared_ptr<ProcedureVersionRepository> versions;  // pins are stored here at first use
  std::shared_ptr<const Calendar> calendar;
  std::shared_ptr<DossierStore> store;
  std::shared_ptr<DossierQueries> queries;
  std::shared_ptr<const Clock> clock;
  // Optional. When set, the commands that produce a signed document (the receipt on accept, the
  // result on approval or refusal after appraisal; rules in
  // engine/internal/lifecycle_documents.hpp) issue it inside their UnitOfWork and store it before
  // commit: a command whose document cannot be issued (no key for the agency, ...) fails with the
  // issuer's error and changes nothing.
  std::shared_ptr<const DocumentIssuer> issuer;
  // Where submissions' agencies are resolved and tracking secrets are read.
  std::shared_ptr<Organisation> organisation;
  std::shared_ptr<TrackingSecrets> tracking;
  // Optional: the lifecycle rules by effective date (workflows/rules); a dossier follows the
  // version in force on its receipt date. Null: the built-in defaults (engine/legal_rules.hpp).
  std::shared_ptr<const LegalRuleBook> rules;
};

class LifecycleService {
 public:
  // Every dependency must be non-null. Errors: kInvalidInput naming the missing one.
  static Result<std::unique_ptr<LifecycleService>> create(LifecycleDeps deps);

  // Validates and stores a new dossier (see the header comment). The Outcome's dossier carries the
  // allocated code. Refused submissions change nothing.
  Result<Outcome> submit(const SubmitRequest& request);

  // Applies one action to an existing dossier.
  Result<Outcome> act(const ActionRequest& request);

  // The dossier with its events, components, form values and documents, read in one snapshot.
  // Errors: kNotFound.
  Result<DossierView> view(std::string_view code);

  // The provisional (not yet decreed) days the dossier's due date depends on (DOMAIN.md: such a
  // due date is provisional and says so wherever it is shown): Calendar::provisional_days from its
  // clock start with the limit of its pinned procedure. Empty when the due is firm or unset.
  // Errors: the pinned procedure's (kNotFound).
  Result<std::vector<LocalDate>> due_provisional(const Dossier& dossier);
  // The same from a dossier code and due alone (the public projection row, which has no clock
  // start): every provisional day from the receipt date in the code (<agency>-YYMMDD-NNNN) to the
  // due's date counts, a superset of the above (a calendar-day limit may be flagged here and not
  // there, never the reverse). Empty for a code of another shape.
  std::vector<LocalDate> due_provisional(std::string_view code, Instant due) const;

  // The stored tracking-secret hash of a dossier, or nullopt.
  Result<std::optional<std::string>> tracking_secret(std::string_view code);

  // The signed documents of a dossier (metadata, issue order) and one of them with its bytes.
  // Errors: kNotFound (no dossier; no such document).
  Result<std::vector<DocumentRecord>> documents(std::string_view code);
  Result<StoredDocument> document(std::string_view code, std::string_view document_id);

  // Actions `actor` may take on the dossier now (engine::available_actions). Errors: kNotFound.
  Result<std::vector<std::string>> available_actions(std::string_view code, const Actor& actor);
  // The same on a dossier already read (no database access).
  Result<std::vector<std::string>> available_actions(const Dossier& dossier, const Actor& actor);

  // The work queue of (agency_id, role): open items ordered by due date, with overdue and
  // due-soon flags against the clock's now. limit 1..1000.
  Result<std::vector<WorkQueueEntry>> work_queue(std::string_view agency_id, std::string_view role,
                                                 std::size_t limit = 100, std::size_t offset = 0);

  ~LifecycleService();
  LifecycleService(const LifecycleService&) = delete;
  LifecycleService& operator=(const LifecycleService&) = delete;

  const LifecycleDeps& deps() const;

 private:
  struct Impl;
  explicit LifecycleService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::engine
