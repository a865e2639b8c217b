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

// Writes canonical JSON straight into one string. Callers emit keys in ascending byte order (the
// canonical order; the key lists below are written that way), so nothing is buffered or sorted.
// The first problem (invalid UTF-8, an enum out of range) sticks in bad().
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}
  const std::string& bad() const { return bad_; }
  void note(std::string what) {
    if (bad_.empty()) bad_ = std::move(what);
  }

  void begin() {
    out_ += '{';
    first_ = true;
  }
  void end() {
    out_ += '}';
    first_ = false;
  }
  void key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    quote(k);
    out_ += ':';
  }
  // A UTF-8 string value; `what` names it in the error.
  void text(std::string_view value, std::string_view what) {
    if (!valid_utf8(value)) note("field \"" + std::string(what) + "\" is not valid UTF-8");
    quote(value);
  }
  void str(std::string_view k, std::string_view value) {
    key(k);
    text(value, k);
  }
  void num(std::string_view k, std::int64_t value) {
    key(k);
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out_.append(buf, end);
  }
  void boolean(std::string_view k, bool value) {
    key(k);
    out_ += value ? "true" : "false";
  }
  void null(std::string_view k) {
    key(k);
    out_ += "null";
  }
  void instant(std::string_view k, const std::optional<Instant>& at) {
    if (at) return num(k, at->time_since_epoch().count());
    null(k);
  }
  template <std::size_t N>
  void name(std::string_view k, const std::array<std::string_view, N>& names, int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= N) {
      note("event " + std::string(k) + " out of range");
      return str(k, "");
    }
    str(k, names[static_cast<std::size_t>(index)]);
  }
  // A map of strings as an object; std::map iterates in byte order, the canonical one.
  void string_map(std::string_view k, const std::map<std::string, std::string>& map) {
    key(k);
    begin();
    for (const auto& [name, value] : map) {
      if (!valid_utf8(name)) note("a key of \"" + std::string(k) + "\" is not valid UTF-8");
      key(name);
      text(value, k);
    }
    end();
  }
  void raw(char c) { out_ += c; }

  // Escapes only '"', '\\' and control characters; runs of other bytes are appended at once.
  void quote(std::string_view s) {
    out_ += '"';
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + run, i - run);
      run = i + 1;
      switch (c) {
        case '"':
          out_ += "\\\"";
          break;
        case '\\':
          out_ += "\\\\";
          break;
        case '\b':
          out_ += "\\b";
          break;
        case '\f':
          out_ += "\\f";
          break;
        case '\n':
          out_ += "\\n";
          break;
        case '\r':
          out_ += "\\r";
          break;
        case '\t':
          out_ += "\\t";
          break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
          out_.append(esc, sizeof esc);
        }
      }
    }
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }

 private:
  std::string& out_;
  std::string bad_;
  bool first_ = true;
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
  auto doc = Parser(bytes).document();
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
