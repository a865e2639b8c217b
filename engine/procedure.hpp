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

struct OnlineService {
  int level = 3;               // 3 or 4 (Decree 43/2011)
  bool full = false;           // toàn trình (full) vs một phần (partial), Decree 42/2022
  std::string partial_reason;  // required when !full: published reason and legal basis
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

struct Fee {
  std::string id;
  Text name;
  std::int64_t amount_vnd = 0;
  std::optional<Channel> channel;  // the channel this amount applies to; empty = every channel
  std::string basis;               // legal basis of the amount
};

struct Payment {
  bool online = false;  // the procedure offers online payment
  std::string at;       // "submission", or the id of the state whose transition collects it
};

enum class SupplementMode {
  kRestart,  // the legal default (Decree 61 Art. 19.4): processing time restarts from zero
  kPause,    // the due date is pushed by the time spent waiting for the applicant
};

struct TimeLimit {
  Duration total;                          // the statutory limit as published
  std::map<Channel, Duration> by_channel;  // published per-channel limits, where they differ
  std::optional<MinuteOfDay>
      same_day_cutoff;  // the 15:00 rule: received after it -> next working day
  // How long after the clock starts (receipt of the complete dossier) appraisal may still ask for a
  // supplement: 3 working days by default (DOMAIN.md rule 5, Decree 61 Art. 19.4); a procedure may
  // publish another window (the construction permit: 7 working days).
  Duration supplement_window{3, DurationUnit::kWorkingDays};
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
  // The limit that applies to a dossier received on `channel`.
  Duration limit_for(Channel channel) const;
};

}  // namespace motcua::engine
