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

// Writes the fields of one object in canonical key order. In a compact encoding (format 3) a
// field at its default value (empty text, list or map, null, false, 0, the first enum name, the
// online channel) is left out; earlier formats write every field.
class Fields {
 public:
  Fields(Writer& w, bool compact) : w_(w), compact_(compact) {}
  void str(std::string_view k, std::string_view v) {
    if (!compact_ || !v.empty()) w_.str(k, v);
  }
  void instant(std::string_view k, const std::optional<Instant>& v) {
    if (!compact_ || v) w_.instant(k, v);
  }
  void instant(std::string_view k, Instant v) {
    if (!compact_ || v != Instant{}) w_.instant(k, v);
  }
  void num(std::string_view k, std::int64_t v) {
    if (!compact_ || v != 0) w_.num(k, v);
  }
  void boolean(std::string_view k, bool v) {
    if (!compact_ || v) w_.boolean(k, v);
  }
  template <std::size_t N>
  void name(std::string_view k, const std::array<std::string_view, N>& names, int index,
            int default_index = 0) {
    if (!compact_ || index != default_index) w_.name(k, names, index);
  }
  void map(std::string_view k, const std::map<std::string, std::string>& v) {
    if (!compact_ || !v.empty()) w_.string_map(k, v);
  }
  // Opens a list under `k` unless it is empty and compact; returns whether it was opened.
  bool list(std::string_view k, bool empty) {
    if (compact_ && empty) return false;
    w_.key(k);
    w_.raw('[');
    return true;
  }
  bool compact() const { return compact_; }

 private:
  Writer& w_;
  bool compact_;
};

void encode_branch(Writer& w, const BranchTask& b, bool compact) {
  Fields f(w, compact);
  w.begin();
  f.str("agency_id", b.agency_id);
  f.str("answer", b.answer);
  f.str("branch", b.branch);
  f.instant("completed", b.completed);
  f.instant("due", b.due);
  f.str("handler", b.handler);
  f.instant("opened", b.opened);
  f.str("role", b.role);
  f.name("verdict", kVerdictNames, static_cast<int>(b.verdict));
  w.end();
}

BranchTask decode_branch(const Object& o, FieldReader& outer, bool compact) {
  FieldReader r(o, compact);
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
  // Unknown fields re-encode differently: the caller's canonical check refuses them.
  return b;
}

// The encoding of format `version`: 1 lacks "form" (events written before forms were recorded),
// 2 writes every field, 3 (the current one) leaves out the fields at their default.
Result<std::string> encode_version(const Event& e, std::int64_t seq, int version) {
  if (seq < 1) return fail(ErrorCode::kInvalidInput, "event sequence numbers start at 1");
  if (e.status) {
    const int s = static_cast<int>(*e.status);
    if (s < 1 || s > 10) return fail(ErrorCode::kInvalidInput, "event status out of range");
  }
  std::string out;
  out.reserve(version >= 3 ? 256 : 768);
  Writer w(out);
  Fields f(w, version >= 3);
  w.begin();
  f.str("action", e.action);
  const Actor& a = e.actor;
  if (!f.compact() || a.kind != ActorKind{} || !a.agency_id.empty() || !a.role.empty() ||
      !a.user.empty()) {
    w.key("actor");
    w.begin();
    f.str("agency_id", a.agency_id);
    f.name("kind", kActorNames, static_cast<int>(a.kind));
    f.str("role", a.role);
    f.str("user", a.user);
    w.end();
  }
  f.str("agency_id", e.agency_id);
  f.map("agency_ids", e.agency_ids);
  f.str("answer", e.answer);
  w.instant("at", e.at);
  f.str("branch", e.branch);
  if (f.list("branches_opened", e.branches_opened.empty())) {
    for (std::size_t i = 0; i < e.branches_opened.size(); ++i) {
      if (i) w.raw(',');
      encode_branch(w, e.branches_opened[i], f.compact());
    }
    w.raw(']');
  }
  f.name("channel", kChannelNames, static_cast<int>(e.channel) - 1,
         static_cast<int>(Channel::kOnline) - 1);
  f.instant("clock_start", e.clock_start);
  f.str("code", e.code);
  if (f.list("components", e.components.empty())) {
    for (std::size_t i = 0; i < e.components.size(); ++i) {
      if (i) w.raw(',');
      w.text(e.components[i], "components");
    }
    w.raw(']');
  }
  f.instant("due", e.due);
  if (version >= 2) f.map("form", e.form);
  f.str("from_state", e.from_state);
  f.boolean("issues_result", e.issues_result);
  w.name("kind", kKindNames, static_cast<int>(e.kind));
  f.str("procedure_code", e.procedure_code);
  f.str("procedure_hash", e.procedure_hash);
  f.num("procedure_version", e.procedure_version);
  f.str("reason", e.reason);
  w.num("seq", seq);
  if (e.status) {
    w.num("status", static_cast<int>(*e.status));
  } else if (!f.compact()) {
    w.null("status");
  }
  f.instant("step_due", e.step_due);
  f.str("to_state", e.to_state);
  w.num("v", version);
  f.name("verdict", kVerdictNames, static_cast<int>(e.verdict));
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
  // "at", "kind", "seq" and "v" are in every format; the rest may be left out at its default in
  // format 3.
  FieldReader required(**root);
  const std::int64_t version = required.num("v");
  if (version < 1 || version > kEventFormatVersion)
    return fail(ErrorCode::kInvalidInput, "unknown event format version");
  const bool compact = version >= 3;
  FieldReader r(**root, compact);
  SequencedEvent out;
  Event& e = out.event;
  out.seq = required.num("seq");
  e.action = r.str("action");
  if (const Object* a = r.object("actor")) {
    FieldReader ar(*a, compact);
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
  e.at = required.instant("at").value_or(Instant{});
  e.branch = r.str("branch");
  if (const Array* list = r.array("branches_opened")) {
    for (const Value& v : *list) {
      if (const auto* o = std::get_if<std::shared_ptr<Object>>(&v.v))
        e.branches_opened.push_back(decode_branch(**o, r, compact));
      else
        r.bad("branches_opened must hold objects");
    }
  }
  e.channel = compact && !r.has("channel")
                  ? Channel::kOnline
                  : static_cast<Channel>(r.name("channel", kChannelNames) + 1);
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
  e.kind = static_cast<EventKind>(required.name("kind", kKindNames));
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
    } else if (it == (*root)->end() && !compact) {
      r.bad("missing field \"status\"");
    }
  }
  e.step_due = r.instant("step_due");
  e.to_state = r.str("to_state");
  e.verdict = static_cast<Verdict>(r.name("verdict", kVerdictNames));
  if (!required.bad().empty())
    return fail(ErrorCode::kInvalidInput, "event encoding: " + required.bad());
  if (!r.bad().empty()) return fail(ErrorCode::kInvalidInput, "event encoding: " + r.bad());

  // Canonical check: unknown fields, reordered keys, whitespace, other number spellings and
  // needless escapes all re-encode differently.
  auto again = encode_version(e, out.seq, static_cast<int>(version));
  if (!again || *again != bytes)
    return fail(ErrorCode::kInvalidInput, "event encoding is not canonical");
  return out;
}

}  // namespace motcua::engine
