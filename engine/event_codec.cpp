#include "engine/event_codec.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

#include "engine/internal/canonical_json.hpp"

namespace motcua::engine {
namespace {

using canonical_json::Array;
using canonical_json::FieldReader;
using canonical_json::Object;
using canonical_json::Value;
using canonical_json::Writer;

// Stable wire names, index = enum value.
constexpr std::array<std::string_view, 9> kKindNames{
    "submitted",       "transitioned",  "branch_completed", "clock_started", "clock_stopped",
    "clock_restarted", "clock_resumed", "redated",          "finished"};
constexpr std::array<std::string_view, 4> kVerdictNames{"none", "early", "on_time", "late"};
constexpr std::array<std::string_view, 3> kActorNames{"officer", "applicant", "system"};
constexpr std::array<std::string_view, 3> kChannelNames{"desk", "online", "postal"};

template <std::size_t N>
Result<std::string_view> name_of(const std::array<std::string_view, N>& names, int index,
                                 std::string_view what) {
  if (index < 0 || static_cast<std::size_t>(index) >= N)
    return fail(ErrorCode::kInvalidInput, "event " + std::string(what) + " out of range");
  return names[static_cast<std::size_t>(index)];
}

void encode_branch(Writer& w, const BranchTask& b) {
  w.begin();
  w.str("agency_id", b.agency_id);
  w.str("answer", b.answer);
  w.str("branch", b.branch);
  w.instant("completed", b.completed);
  w.instant("due", b.due);
  w.str("handler", b.handler);
  w.instant("opened", b.opened);
  w.str("role", b.role);
  w.name("verdict", kVerdictNames, static_cast<int>(b.verdict));
  w.end();
}

BranchTask decode_branch(const Object& o, FieldReader& outer) {
  FieldReader r(o);
  BranchTask b;
  b.agency_id = r.str("agency_id");
  b.answer = r.str("answer");
  b.branch = r.str("branch");
  b.completed = r.instant("completed");
  b.due = r.instant("due").value_or(Instant{});
  b.handler = r.str("handler");
  b.opened = r.instant("opened").value_or(Instant{});
  b.role = r.str("role");
  b.verdict = static_cast<Verdict>(r.name("verdict", kVerdictNames));
  if (!r.bad().empty()) outer.bad("branches_opened: " + r.bad());
  if (o.size() != 9) outer.bad("branches_opened: unexpected fields");
  return b;
}

}  // namespace

std::string_view event_kind_name(EventKind kind) noexcept {
  auto n = name_of(kKindNames, static_cast<int>(kind), "kind");
  return n ? *n : std::string_view("unknown");
}

namespace {

// The encoding of format `version`: 1 lacks "form" (events written before forms were recorded),
// 2 is the current one.
Result<std::string> encode_version(const Event& e, std::int64_t seq, int version) {
  if (seq < 1) return fail(ErrorCode::kInvalidInput, "event sequence numbers start at 1");
  if (e.status) {
    const int s = static_cast<int>(*e.status);
    if (s < 1 || s > 10) return fail(ErrorCode::kInvalidInput, "event status out of range");
  }
  std::string out;
  out.reserve(768);
  Writer w(out);
  w.begin();
  w.str("action", e.action);
  w.key("actor");
  w.begin();
  w.str("agency_id", e.actor.agency_id);
  w.name("kind", kActorNames, static_cast<int>(e.actor.kind));
  w.str("role", e.actor.role);
  w.str("user", e.actor.user);
  w.end();
  w.str("agency_id", e.agency_id);
  w.string_map("agency_ids", e.agency_ids);
  w.str("answer", e.answer);
  w.instant("at", e.at);
  w.str("branch", e.branch);
  w.key("branches_opened");
  w.raw('[');
  for (std::size_t i = 0; i < e.branches_opened.size(); ++i) {
    if (i) w.raw(',');
    encode_branch(w, e.branches_opened[i]);
  }
  w.raw(']');
  w.name("channel", kChannelNames, static_cast<int>(e.channel) - 1);
  w.instant("clock_start", e.clock_start);
  w.str("code", e.code);
  w.key("components");
  w.raw('[');
  for (std::size_t i = 0; i < e.components.size(); ++i) {
    if (i) w.raw(',');
    w.text(e.components[i], "components");
  }
  w.raw(']');
  w.instant("due", e.due);
  if (version >= 2) w.string_map("form", e.form);
  w.str("from_state", e.from_state);
  w.boolean("issues_result", e.issues_result);
  w.name("kind", kKindNames, static_cast<int>(e.kind));
  w.str("procedure_code", e.procedure_code);
  w.str("procedure_hash", e.procedure_hash);
  w.num("procedure_version", e.procedure_version);
  w.str("reason", e.reason);
  w.num("seq", seq);
  if (e.status) {
    w.num("status", static_cast<int>(*e.status));
  } else {
    w.null("status");
  }
  w.instant("step_due", e.step_due);
  w.str("to_state", e.to_state);
  w.num("v", version);
  w.name("verdict", kVerdictNames, static_cast<int>(e.verdict));
  w.end();
  if (!w.bad().empty()) return fail(ErrorCode::kInvalidInput, "event: " + w.bad());
  if (out.size() > kMaxEncodedEventSize)
    return fail(ErrorCode::kInvalidInput, "event encoding larger than the limit");
  return out;
}

}  // namespace

Result<std::string> encode_event(const Event& e, std::int64_t seq) {
  return encode_version(e, seq, kEventFormatVersion);
}

Result<SequencedEvent> decode_event(std::string_view bytes) {
  if (bytes.size() > kMaxEncodedEventSize)
    return fail(ErrorCode::kInvalidInput, "event encoding larger than the limit");
  auto doc = canonical_json::parse(bytes, "event encoding");
  if (!doc) return tl::unexpected(doc.error());
  const auto* root = std::get_if<std::shared_ptr<Object>>(&doc->v);
  if (!root) return fail(ErrorCode::kInvalidInput, "event encoding is not an object");
  FieldReader r(**root);
  const std::int64_t version = r.num("v");
  if (version != 1 && version != kEventFormatVersion)
    return fail(ErrorCode::kInvalidInput, "unknown event format version");
  SequencedEvent out;
  Event& e = out.event;
  out.seq = r.num("seq");
  e.action = r.str("action");
  if (const Object* a = r.object("actor")) {
    FieldReader ar(*a);
    e.actor.agency_id = ar.str("agency_id");
    e.actor.kind = static_cast<ActorKind>(ar.name("kind", kActorNames));
    e.actor.role = ar.str("role");
    e.actor.user = ar.str("user");
    if (!ar.bad().empty()) r.bad("actor: " + ar.bad());
  }
  e.agency_id = r.str("agency_id");
  if (const Object* m = r.object("agency_ids")) {
    for (const auto& [k, v] : *m) {
      if (const auto* s = std::get_if<std::string>(&v.v))
        e.agency_ids.emplace(k, *s);
      else
        r.bad("agency_ids values must be strings");
    }
  }
  e.answer = r.str("answer");
  e.at = r.instant("at").value_or(Instant{});
  e.branch = r.str("branch");
  if (const Array* list = r.array("branches_opened")) {
    for (const Value& v : *list) {
      if (const auto* o = std::get_if<std::shared_ptr<Object>>(&v.v))
        e.branches_opened.push_back(decode_branch(**o, r));
      else
        r.bad("branches_opened must hold objects");
    }
  }
  e.channel = static_cast<Channel>(r.name("channel", kChannelNames) + 1);
  e.clock_start = r.instant("clock_start");
  e.code = r.str("code");
  if (const Array* list = r.array("components")) {
    for (const Value& v : *list) {
      if (const auto* s = std::get_if<std::string>(&v.v))
        e.components.push_back(*s);
      else
        r.bad("components must be strings");
    }
  }
  e.due = r.instant("due");
  if (version >= 2) {
    if (const Object* m = r.object("form")) {
      for (const auto& [k, v] : *m) {
        if (const auto* s = std::get_if<std::string>(&v.v))
          e.form.emplace(k, *s);
        else
          r.bad("form values must be strings");
      }
    }
  }
  e.from_state = r.str("from_state");
  e.issues_result = r.boolean("issues_result");
  e.kind = static_cast<EventKind>(r.name("kind", kKindNames));
  e.procedure_code = r.str("procedure_code");
  e.procedure_hash = r.str("procedure_hash");
  e.procedure_version = static_cast<int>(r.num("procedure_version"));
  e.reason = r.str("reason");
  {
    auto it = (*root)->find(std::string_view("status"));
    if (it != (*root)->end() && !std::holds_alternative<std::nullptr_t>(it->second.v)) {
      const auto s = r.num("status");
      if (s < 1 || s > 10) r.bad("status out of range");
      e.status = static_cast<StatusCode>(s);
    } else if (it == (*root)->end()) {
      r.bad("missing field \"status\"");
    }
  }
  e.step_due = r.instant("step_due");
  e.to_state = r.str("to_state");
  e.verdict = static_cast<Verdict>(r.name("verdict", kVerdictNames));
  if (!r.bad().empty()) return fail(ErrorCode::kInvalidInput, "event encoding: " + r.bad());

  // Canonical check: unknown fields, reordered keys, whitespace, other number spellings and
  // needless escapes all re-encode differently.
  auto again = encode_version(e, out.seq, static_cast<int>(version));
  if (!again || *again != bytes)
    return fail(ErrorCode::kInvalidInput, "event encoding is not canonical");
  return out;
}

}  // namespace motcua::engine
