#pragma once
// Canonical JSON, as the event codec (event_codec.hpp) writes and reads it: a Writer that emits
// objects with keys in the order given (callers give them in ascending byte order), strings with
// only '"', '\\' and control characters escaped, integers, booleans, null; a strict parser
// (no floats, no duplicate keys, depth <= 8, well-formed UTF-8 only) into Values; a FieldReader
// that reads typed fields out of one object and keeps the first problem. Private to engine/.
// Pure; thread-safe (no shared state).
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "engine/error.hpp"
#include "engine/time.hpp"

namespace motcua::engine::canonical_json {

// Returns false when `s` is not well-formed UTF-8 (overlong forms and surrogates included).
bool valid_utf8(std::string_view s);

// Appends `s` as a JSON string: '"', '\\' and control characters escaped, other bytes as they are.
void append_json_string(std::string& out, std::string_view s);

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

  void quote(std::string_view s) { append_json_string(out_, s); }

 private:
  std::string& out_;
  std::string bad_;
  bool first_ = true;
};

struct Value;
using Object = std::map<std::string, Value, std::less<>>;
using Array = std::vector<Value>;
struct Value {
  std::variant<std::nullptr_t, bool, std::int64_t, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      v;
};

// Parses one JSON document. Errors: kInvalidInput naming the problem and its byte offset, prefixed
// with `context` ("event encoding: ...").
Result<Value> parse(std::string_view text, std::string_view context);

// Reads typed fields out of one object; the first problem sticks.
class FieldReader {
 public:
  // With `absent_is_default`, a missing field reads as its type's default (compact encodings omit
  // fields at their default; the caller's canonical re-encoding refuses one written explicitly).
  explicit FieldReader(const Object& o, bool absent_is_default = false)
      : o_(o), absent_is_default_(absent_is_default) {}
  bool has(const char* key) const { return o_.find(std::string_view(key)) != o_.end(); }
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
    if (it == o_.end()) {
      if (!absent_is_default_) bad(std::string("missing field \"") + key + "\"");
      return nullptr;
    }
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
  bool absent_is_default_ = false;
  std::string bad_;
};

}  // namespace motcua::engine::canonical_json
