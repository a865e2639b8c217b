#include "engine/event_codec.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <utility>
#include <variant>
#include <vector>

namespace motcua::engine {
namespace {

// ---- Writing ---------------------------------------------------------------------------------

// Returns false when `s` is not well-formed UTF-8 (overlong forms and surrogates included).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::array<char32_t, 4> kMin{0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

class ObjectWriter {
 public:
  void raw(std::string key, std::string json) {
    fields_.emplace_back(std::move(key), std::move(json));
  }
  void str(std::string key, std::string_view value) { raw(std::move(key), quote(value)); }
  void num(std::string key, std::int64_t value) { raw(std::move(key), std::to_string(value)); }
  void boolean(std::string key, bool value) { raw(std::move(key), value ? "true" : "false"); }
  void instant(std::string key, const std::optional<Instant>& at) {
    raw(std::move(key), at ? std::to_string(at->time_since_epoch().count()) : "null");
  }
  std::string finish() {
    std::sort(fields_.begin(), fields_.end());
    std::string out = "{";
    for (std::size_t i = 0; i < fields_.size(); ++i) {
      if (i) out += ',';
      out += quote(fields_[i].first);
      out += ':';
      out += fields_[i].second;
    }
    return out + "}";
  }
  static std::string quote(std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      switch (ch) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          if (c < 0x20) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\u00";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
          } else {
            out += ch;
          }
      }
    }
    return out + "\"";
  }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

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

class FieldWriter {
 public:
  explicit FieldWriter(ObjectWriter& w) : w_(w) {}
  void str(const char* key, std::string_view value) {
    if (!valid_utf8(value)) bad_ = std::string("field \"") + key + "\" is not valid UTF-8";
    w_.str(key, value);
  }
  template <std::size_t N>
  void name(const char* key, const std::array<std::string_view, N>& names, int index) {
    auto n = name_of(names, index, key);
    if (!n) bad_ = n.error().message;
    w_.str(key, n ? *n : "");
  }
  const std::string& bad() const { return bad_; }

 private:
  ObjectWriter& w_;
  std::string bad_;
};

// ---- Reading ---------------------------------------------------------------------------------

struct Value;
using Object = std::map<std::string, Value, std::less<>>;
using Array = std::vector<Value>;
struct Value {
  std::variant<std::nullptr_t, bool, std::int64_t, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      v;
};

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}
  Result<Value> document() {
    auto v = value(0);
    if (v && pos_ != s_.size()) return error("trailing bytes");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 8;
  tl::unexpected<Error> error(std::string what) const {
    return fail(ErrorCode::kInvalidInput,
                "event encoding: " + what + " at byte " + std::to_string(pos_));
  }
  bool eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) return ++pos_, true;
    return false;
  }
  bool literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  Result<Value> value(int depth) {
    if (depth > kMaxDepth) return error("nesting too deep");
    if (pos_ >= s_.size()) return error("unexpected end");
    const char c = s_[pos_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') {
      auto s = string();
      if (!s) return tl::unexpected(s.error());
      return Value{std::move(*s)};
    }
    if (literal("null")) return Value{nullptr};
    if (literal("true")) return Value{true};
    if (literal("false")) return Value{false};
    return number();
  }
  Result<Value> number() {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(s_.data() + pos_, s_.data() + s_.size(), n);
    if (ec != std::errc() || end == s_.data() + pos_) return error("expected a value");
    pos_ = static_cast<std::size_t>(end - s_.data());
    return Value{n};
  }
  Result<std::string> string() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (static_cast<unsigned char>(c) < 0x20) return error("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      c = s_[pos_++];
      switch (c) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          // Canonical encodings escape only control characters, so \u00XX suffices.
          unsigned code = 0;
          auto hex = s_.substr(pos_, 4);
          auto [end, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), code, 16);
          if (hex.size() != 4 || ec != std::errc() || end != hex.data() + 4 || code >= 0x20)
            return error("unsupported \\u escape");
          pos_ += 4;
          out += static_cast<char>(code);
          break;
        }
        default:
          return error("bad escape");
      }
    }
    if (!eat('"')) return error("unterminated string");
    if (!valid_utf8(out)) return error("string is not valid UTF-8");
    return out;
  }
  Result<Value> array(int depth) {
    ++pos_;
    auto out = std::make_shared<Array>();
    if (eat(']')) return Value{out};
    do {
      auto v = value(depth + 1);
      if (!v) return v;
      out->push_back(std::move(*v));
    } while (eat(','));
    if (!eat(']')) return error("expected ']'");
    return Value{out};
  }
  Result<Value> object(int depth) {
    ++pos_;
    auto out = std::make_shared<Object>();
    if (eat('}')) return Value{out};
    do {
      if (pos_ >= s_.size() || s_[pos_] != '"') return error("expected a key");
      auto key = string();
      if (!key) return tl::unexpected(key.error());
      if (!eat(':')) return error("expected ':'");
      auto v = value(depth + 1);
      if (!v) return v;
      if (!out->emplace(std::move(*key), std::move(*v)).second) return error("duplicate key");
    } while (eat(','));
    if (!eat('}')) return error("expected '}'");
    return Value{out};
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

// Reads typed fields out of one object; the first problem sticks.
class FieldReader {
 public:
  explicit FieldReader(const Object& o) : o_(o) {}
  const std::string& bad() const { return bad_; }

  std::string str(const char* key) { return get<std::string>(key).value_or(""); }
  std::int64_t num(const char* key) { return get<std::int64_t>(key).value_or(0); }
  bool boolean(const char* key) { return get<bool>(key).value_or(false); }
  std::optional<Instant> instant(const char* key) {
    const Value* v = find(key);
    if (!v || std::holds_alternative<std::nullptr_t>(v->v)) return std::nullopt;
    auto n = get<std::int64_t>(key);
    if (!n) return std::nullopt;
    return Instant{std::chrono::seconds{*n}};
  }
  template <std::size_t N>
  int name(const char* key, const std::array<std::string_view, N>& names) {
    auto s = get<std::string>(key);
    if (!s) return 0;
    auto it = std::find(names.begin(), names.end(), *s);
    if (it == names.end()) return bad("unknown value of \"" + std::string(key) + "\""), 0;
    return static_cast<int>(it - names.begin());
  }
  const Array* array(const char* key) {
    auto a = get<std::shared_ptr<Array>>(key);
    return a ? a->get() : nullptr;
  }
  const Object* object(const char* key) {
    auto a = get<std::shared_ptr<Object>>(key);
    return a ? a->get() : nullptr;
  }
  void bad(std::string what) {
    if (bad_.empty()) bad_ = std::move(what);
  }

 private:
  const Value* find(const char* key) {
    auto it = o_.find(std::string_view(key));
    if (it == o_.end()) return bad(std::string("missing field \"") + key + "\""), nullptr;
    return &it->second;
  }
  template <class T>
  std::optional<T> get(const char* key) {
    const Value* v = find(key);
    if (!v) return std::nullopt;
    if (const T* t = std::get_if<T>(&v->v)) return *t;
    bad(std::string("field \"") + key + "\" has the wrong type");
    return std::nullopt;
  }

  const Object& o_;
  std::string bad_;
};

Result<std::string> encode_branch(const BranchTask& b) {
  ObjectWriter w;
  FieldWriter f(w);
  f.str("agency_id", b.agency_id);
  f.str("answer", b.answer);
  f.str("branch", b.branch);
  w.instant("completed", b.completed);
  w.instant("due", b.due);
  f.str("handler", b.handler);
  w.instant("opened", b.opened);
  f.str("role", b.role);
  f.name("verdict", kVerdictNames, static_cast<int>(b.verdict));
  if (!f.bad().empty()) return fail(ErrorCode::kInvalidInput, "branches_opened: " + f.bad());
  return w.finish();
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

Result<std::string> encode_event(const Event& e, std::int64_t seq) {
  if (seq < 1) return fail(ErrorCode::kInvalidInput, "event sequence numbers start at 1");
  ObjectWriter w;
  FieldWriter f(w);
  f.str("action", e.action);
  {
    ObjectWriter a;
    FieldWriter af(a);
    af.str("agency_id", e.actor.agency_id);
    af.name("kind", kActorNames, static_cast<int>(e.actor.kind));
    af.str("role", e.actor.role);
    af.str("user", e.actor.user);
    if (!af.bad().empty()) return fail(ErrorCode::kInvalidInput, "actor: " + af.bad());
    w.raw("actor", a.finish());
  }
  f.str("agency_id", e.agency_id);
  {
    ObjectWriter m;
    FieldWriter mf(m);
    for (const auto& [k, v] : e.agency_ids) mf.str(k.c_str(), v);
    for (const auto& [k, v] : e.agency_ids)
      if (!valid_utf8(k))
        return fail(ErrorCode::kInvalidInput, "agency_ids key is not valid UTF-8");
    if (!mf.bad().empty()) return fail(ErrorCode::kInvalidInput, "agency_ids: " + mf.bad());
    w.raw("agency_ids", m.finish());
  }
  f.str("answer", e.answer);
  w.instant("at", e.at);
  f.str("branch", e.branch);
  {
    std::string list = "[";
    for (std::size_t i = 0; i < e.branches_opened.size(); ++i) {
      auto branch = encode_branch(e.branches_opened[i]);
      if (!branch) return tl::unexpected(branch.error());
      list += (i ? "," : "") + *branch;
    }
    w.raw("branches_opened", list + "]");
  }
  f.name("channel", kChannelNames, static_cast<int>(e.channel) - 1);
  w.instant("clock_start", e.clock_start);
  f.str("code", e.code);
  {
    std::string list = "[";
    for (std::size_t i = 0; i < e.components.size(); ++i) {
      if (!valid_utf8(e.components[i]))
        return fail(ErrorCode::kInvalidInput, "field \"components\" is not valid UTF-8");
      list += (i ? "," : "") + ObjectWriter::quote(e.components[i]);
    }
    w.raw("components", list + "]");
  }
  w.instant("due", e.due);
  f.str("from_state", e.from_state);
  w.boolean("issues_result", e.issues_result);
  f.name("kind", kKindNames, static_cast<int>(e.kind));
  f.str("procedure_code", e.procedure_code);
  f.str("procedure_hash", e.procedure_hash);
  w.num("procedure_version", e.procedure_version);
  f.str("reason", e.reason);
  w.num("seq", seq);
  if (e.status) {
    const int s = static_cast<int>(*e.status);
    if (s < 1 || s > 10) return fail(ErrorCode::kInvalidInput, "event status out of range");
    w.num("status", s);
  } else {
    w.raw("status", "null");
  }
  w.instant("step_due", e.step_due);
  f.str("to_state", e.to_state);
  w.num("v", kEventFormatVersion);
  f.name("verdict", kVerdictNames, static_cast<int>(e.verdict));
  if (!f.bad().empty()) return fail(ErrorCode::kInvalidInput, "event: " + f.bad());
  return w.finish();
}

Result<SequencedEvent> decode_event(std::string_view bytes) {
  if (bytes.size() > kMaxEncodedEventSize)
    return fail(ErrorCode::kInvalidInput, "event encoding larger than the limit");
  auto doc = Parser(bytes).document();
  if (!doc) return tl::unexpected(doc.error());
  const auto* root = std::get_if<std::shared_ptr<Object>>(&doc->v);
  if (!root) return fail(ErrorCode::kInvalidInput, "event encoding is not an object");
  FieldReader r(**root);
  if (r.num("v") != kEventFormatVersion)
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
  auto again = encode_event(e, out.seq);
  if (!again || *again != bytes)
    return fail(ErrorCode::kInvalidInput, "event encoding is not canonical");
  return out;
}

}  // namespace motcua::engine
