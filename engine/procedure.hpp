#pragma once
// Procedure: one immutable, versioned definition of an administrative procedure (TTHC) as the
// loader in workflows/ builds it from XML. Shared read-only between threads once built. A dossier
// is pinned to (code, version, source_hash). Every id below is unique within its kind inside one
// procedure.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/time.hpp"

namespace motcua::engine {

// A name or message in Vietnamese (UTF-8, with diacritics) and English.
struct Text {
  std::string vi;
  std::string en;
};

// National dossier status codes (DOMAIN.md rule 12).
enum class StatusCode : int {
  kSubmitted = 1,
  kAccepted = 2,
  kRefusedAtIntake = 3,
  kProcessing = 4,
  kSupplementRequested = 5,
  kPaymentRequested = 6,
  kWithdrawn = 7,
  kStopped = 8,
  kResolved = 9,
  kResultReturned = 10,
};

enum class Channel : int { kDesk = 1, kOnline = 2, kPostal = 3 };
std::string_view to_string(Channel channel) noexcept;  // "desk", "online", "postal"
Result<Channel> parse_channel(std::string_view text);

// The form values of a dossier: field id -> value as submitted (Dossier::form).
using FormValues = std::map<std::string, std::string>;

struct OnlineService {
  // 2, 3 or 4 (Decree 43/2011). Level 2 (information and forms online, submission at the desk or
  // by post) is the level of a procedure not offered online; 3 and 4 need the online channel.
  int level = 3;
  bool full = false;           // toàn trình (full) vs một phần (partial), Decree 42/2022
  std::string partial_reason;  // required when !full: the published reason
  std::string partial_basis;   // the legal basis of the reason, when the definition gives it
};

struct Agency {
  std::string key;    // local key used by states and branches, e.g. "commune", "fire-police"
  std::string code;   // default QCVN 102 agency id, e.g. "000.00.14.H20"; may be empty
  std::string level;  // "ministry", "province", "commune", "other"
  Text name;
};

// The reserved role id for the applicant (citizen or business); it needs no agency.
inline constexpr std::string_view kApplicantRole = "applicant";

struct Role {
  std::string id;  // e.g. "desk", "officer", "leader", "applicant"
  Text name;
};

enum class FieldType { kText, kNumber, kDate, kEnum, kPersonalId };

struct Field {
  std::string id;
  Text name;
  FieldType type = FieldType::kText;
  bool required = false;
  std::optional<std::size_t> max_length;  // in UTF-8 code points, for text
  std::string pattern;  // ECMAScript regex the whole value must match (text, personal id)
  std::vector<std::string> options;  // for enum
  std::optional<double> min, max;    // for number
};

struct Component {
  std::string id;
  Text name;
  bool required = true;
  int originals = 0;
  int copies = 0;
  std::string form;  // published form number, e.g. "Mẫu số 18, NĐ 151/2025/NĐ-CP"
};

enum class FeeKind {
  kFixed,    // amount_vnd per dossier
  kPerPage,  // per page of the original and per copy, with a cap per copy (PerPageRate)
  kUnknown,  // the amount is not known (e.g. set by the provincial People's Council): never 0
};

// Certified copies (TT 226/2016/TT-BTC): first_page_vnd for each of the first `first_pages`
// pages, page_vnd for each further page, at most cap_vnd per copy (0 = no cap), times the copies.
struct PerPageRate {
  int first_pages = 0;
  std::int64_t first_page_vnd = 0;
  std::int64_t page_vnd = 0;
  std::int64_t cap_vnd = 0;
  std::string pages_field;   // Field::id (number) giving the pages of the original
  std::string copies_field;  // Field::id (number) giving the copies; empty = one copy
};

// The fee is not due when the form's `field` has `value` (e.g. registration within the deadline).
struct FeeExemption {
  std::string field;
  std::string value;
  Text name;
};

struct Fee {
  std::string id;
  Text name;
  FeeKind kind = FeeKind::kFixed;
  std::int64_t amount_vnd = 0;  // kFixed
  PerPageRate per_page;         // kPerPage
  Text unknown;                 // kUnknown: what is published instead, e.g. "set by the HĐND"
  std::vector<FeeExemption> exemptions;
  std::optional<Channel> channel;  // the channel this amount applies to; empty = every channel
  std::string basis;               // legal basis of the amount
};

// One fee of a quote: its amount, or nullopt when unknown (then `note` is the published text);
// an exempted fee has amount 0 and the exemption's name as `note`.
struct FeeLine {
  std::string fee_id;
  std::optional<std::int64_t> amount_vnd;
  Text note;
};

struct FeeQuote {
  std::vector<FeeLine> lines;
  // True when every line has an amount; the total is then what the applicant pays.
  bool known() const;
  // The sum of the known lines (the whole fee only when known()).
  std::int64_t known_total_vnd() const;
};

struct Payment {
  bool online = false;  // the procedure offers online payment
  std::string at;       // "submission", or the id of the state whose transition collects it
  Text terms;           // published payment terms (refunds, how to pay); may be empty
};

enum class SupplementMode {
  kRestart,  // the legal default (Decree 61 Art. 19.4): processing time restarts from zero
  kPause,    // the due date is pushed by the time spent waiting for the applicant
};

// A time limit chosen by the value of an enum field at submission (the construction permit: a
// detached house 15 days, grade III/IV works 20 days). Values without a case get the total,
// unless `exhaustive` (the validator then requires a case for every option).
struct LimitCase {
  std::string value;
  Duration limit;
};
struct FieldLimit {
  std::string field;  // Field::id of an enum field
  bool exhaustive = false;
  std::vector<LimitCase> cases;
};

struct TimeLimit {
  Duration total;                          // the statutory limit as published
  std::map<Channel, Duration> by_channel;  // published per-channel limits, where they differ
  std::optional<MinuteOfDay>
      same_day_cutoff;  // the 15:00 rule: received after it -> next working day
  // How long after the clock starts (receipt of the complete dossier) appraisal may still ask for a
  // supplement, when the procedure publishes its own window (the construction permit: 7 working
  // days); otherwise the lifecycle rules in force decide (LegalRules::supplement_window, 3 working
  // days under DOMAIN.md rule 5; engine/legal_rules.hpp supplement_window()).
  std::optional<Duration> supplement_window;
  // The limit follows a form field rather than the channel (never both; same unit as the total).
  std::optional<FieldLimit> by_field;
};

// A branch of a parallel (consultation) state, owned by one agency and role with its own deadline.
struct Branch {
  std::string id;
  Text name;
  std::string agency;  // Agency::key
  std::string role;    // Role::id
  Duration budget;
  std::string action = "respond";   // the action that completes this branch
  bool silence_is_consent = false;  // no answer by the deadline counts as agreement
  int line = 0;
};

enum class StateKind {
  kTask,      // one agency and role own the dossier
  kParallel,  // branches run at once; completes when all do, then moves to on_complete
  kFinal,     // no action leaves it
};

struct State {
  std::string id;
  Text name;
  StatusCode status = StatusCode::kProcessing;
  StateKind kind = StateKind::kTask;
  std::string agency;              // Agency::key owning the step (empty for applicant-owned states)
  std::string role;                // Role::id expected to act
  std::optional<Duration> budget;  // the step's time budget, part of the total
  bool cross_level = false;        // forwarded to an agency at another level; status mirrored back
  std::vector<Branch> branches;    // kParallel only
  std::string on_complete;         // kParallel only: state entered when every branch completed
  int line = 0;                    // line in the definition, for error messages
};

// How a transition acts on the dossier's statutory clock.
enum class ClockEffect {
  kNone,
  kStart,               // intake accepted: the clock starts at the next working moment
  kSupplementRequest,   // clock stops (restart mode) or pauses (pause mode)
  kSupplementReceived,  // clock restarts from zero or resumes, per the procedure's mode
  kRedate,              // apology (Form 04): a new due date, at most once
  kFinish,              // the dossier is resolved: the clock stops and a verdict is recorded
  kEnd,                 // the dossier ends without a result (refusal, withdrawal, stop)
};

struct Transition {
  std::string action;  // e.g. "accept", "request-supplement"; unique per from-state
  Text name;
  std::vector<std::string> from;   // state ids this action is available in
  std::string to;                  // target state id; empty = stay in the current state
  std::vector<std::string> roles;  // roles allowed to perform it
  bool requires_reason = false;
  bool requires_components = false;  // the command must list components (e.g. what is missing)
  // The components this action concerns, e.g. the originals handed in when a level 3 result is
  // collected in person; a command may list only these. Empty: any component the procedure lists.
  std::vector<std::string> components;
  bool requires_signature = false;
  bool issues_result = false;  // produces the procedure's result document
  ClockEffect clock = ClockEffect::kNone;
  int line = 0;
};

struct ResultDocument {
  std::string id;
  std::string code;  // national result code, e.g. "KQ.G12.001041"
  Text name;
  std::string signer_role;  // Role::id that signs it
};

struct Procedure {
  std::string code;  // national procedure code, e.g. "1.001612"
  int version = 1;
  Text name;
  std::string sector;
  std::string legal_basis;
  LocalDate effective_from{};
  std::string receiving_agency;  // Agency::key of the desk that receives dossiers
  OnlineService online;
  std::vector<Channel> channels;

  std::vector<Agency> agencies;
  std::vector<Role> roles;
  std::vector<Field> fields;
  std::vector<Component> components;
  std::vector<Fee> fees;
  Payment payment;

  TimeLimit time_limit;
  SupplementMode supplement_mode = SupplementMode::kRestart;

  std::string initial_state;
  std::vector<State> states;
  std::vector<Transition> transitions;
  std::vector<ResultDocument> results;

  std::string source_path;  // where it was loaded from
  std::string source_hash;  // lowercase hex SHA-256 of the definition bytes

  // Look-ups; nullptr when absent.
  const State* state(std::string_view id) const;
  const Agency* agency(std::string_view key) const;
  const Role* role(std::string_view id) const;
  const Component* component(std::string_view id) const;
  const Field* field(std::string_view id) const;
  // The transition with this action available in state `from`.
  const Transition* transition(std::string_view from, std::string_view action) const;
  // The limit that applies to a dossier received on `channel`, before its form is known (the
  // longest a field-dependent limit can be: the total).
  Duration limit_for(Channel channel) const;
  // The limit of a dossier with these form values received on `channel`, chosen at submission:
  // the case of the field's value when the limit follows a field (the total for a value without
  // a case), else limit_for(channel). Pure; the unit is always that of limit_for(channel).
  Duration time_limit_for(const FormValues& form, Channel channel) const;
  // The fees due for these form values on `channel`: one line per fee that applies to the
  // channel, unknown ones as unknown (never 0), exemptions applied. Errors: kInvalidInput when a
  // per-page fee's pages or copies field is missing or not a whole number >= 0 (copies >= 1).
  Result<FeeQuote> fee_for(const FormValues& form, Channel channel) const;
};

}  // namespace motcua::engine
