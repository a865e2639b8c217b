#include "engine/internal/form.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <regex>
#include <unordered_map>

namespace motcua::engine {
namespace limits = base::limits;
namespace {

// libstdc++'s std::regex matches recursively; long inputs could exhaust the stack.
constexpr std::size_t kMaxPatternInputBytes = 1024;

// A field pattern compiled once: compiling costs far more than matching (hundreds of thousands of
// instructions for "^[0-9]{12}$"), and every submission checks the same few patterns.
struct CompiledPattern {
  std::optional<std::regex> regex;
  std::string error;  // why the pattern does not compile (then regex is empty)
};

// Cache shared by all threads under a mutex; matching a const std::regex from several threads at
// once is safe. Bounded: a definition has a handful of patterns, so a full cache is only emptied.
// Never destroyed, so threads still validating while the process exits find it intact.
std::shared_ptr<const CompiledPattern> compiled(const std::string& pattern) {
  constexpr std::size_t kMaxPatterns = 4096;
  struct Cache {
    std::mutex mutex;
    std::unordered_map<std::string, std::shared_ptr<const CompiledPattern>> patterns;
  };
  static Cache* const cache = new Cache;
  {
    std::lock_guard lock(cache->mutex);
    if (auto it = cache->patterns.find(pattern); it != cache->patterns.end()) return it->second;
  }
  auto made = std::make_shared<CompiledPattern>();
  try {
    made->regex.emplace(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    made->error = e.what();
  }
  std::lock_guard lock(cache->mutex);
  if (cache->patterns.size() >= kMaxPatterns) cache->patterns.clear();
  return cache->patterns.emplace(pattern, std::move(made)).first->second;
}

FieldError error(const Field& field, std::string message,
                 ErrorCode code = ErrorCode::kInvalidInput) {
  return FieldError{field.id, code, std::move(message)};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return !text.empty();
}

std::optional<FieldError> check_pattern(const Field& field, std::string_view value) {
  if (field.pattern.empty()) return std::nullopt;
  if (value.size() > kMaxPatternInputBytes) {
    return error(field, "the value is too long to be checked against the field's pattern");
  }
  const std::shared_ptr<const CompiledPattern> pattern = compiled(field.pattern);
  if (!pattern->regex) {
    return error(field, "the field's pattern is not a valid regular expression: " + pattern->error,
                 ErrorCode::kInvalidDefinition);
  }
  try {
    if (!std::regex_match(value.begin(), value.end(), *pattern->regex)) {
      return error(field, "the value does not have the required form");
    }
  } catch (const std::regex_error&) {  // e.g. error_complexity while matching; clients may read
    // this message, so the library's text stays out of it
    return error(field, "the value cannot be checked against the field's pattern");
  }
  return std::nullopt;
}

std::optional<FieldError> check_text(const Field& field, std::string_view value) {
  const auto length = utf8_length(value);
  if (!length) return error(field, "the value is not valid UTF-8");
  if (const auto cp = unsupported_character(value)) {
    return error(field, "the value contains the character " + code_point_name(*cp) +
                            ", which a document cannot carry (control characters and "
                            "non-characters are not allowed)");
  }
  if (field.max_length && *length > *field.max_length) {
    return error(field, "the value has " + std::to_string(*length) + " characters; at most " +
                            std::to_string(*field.max_length) + " are allowed");
  }
  return check_pattern(field, value);
}

std::optional<FieldError> check_number(const Field& field, std::string_view value) {
  std::string_view digits = value.substr(value.starts_with('-') ? 1 : 0);
  const auto dot = digits.find('.');
  const bool shape = dot == std::string_view::npos
                         ? all_digits(digits)
                         : all_digits(digits.substr(0, dot)) && all_digits(digits.substr(dot + 1));
  double number = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (!shape || ec != std::errc{} || end != value.data() + value.size() || !std::isfinite(number)) {
    return error(field, "the value is not a number like 12 or -3.5");
  }
  if (field.min && number < *field.min) {
    return error(field, "the value is below the minimum " + std::to_string(*field.min));
  }
  if (field.max && number > *field.max) {
    return error(field, "the value is above the maximum " + std::to_string(*field.max));
  }
  return std::nullopt;
}

std::optional<FieldError> check_date(const Field& field, std::string_view value) {
  const bool shape = value.size() == 10 && value[4] == '-' && value[7] == '-' &&
                     all_digits(value.substr(0, 4)) && all_digits(value.substr(5, 2)) &&
                     all_digits(value.substr(8, 2));
  if (!shape) return error(field, "the value is not a date written YYYY-MM-DD");
  auto number = [&](std::size_t pos, std::size_t len) {
    int n = 0;
    std::from_chars(value.data() + pos, value.data() + pos + len, n);
    return n;
  };
  const std::chrono::year_month_day date{std::chrono::year{number(0, 4)},
                                         std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                         std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  if (!date.ok()) return error(field, "the date " + std::string(value) + " does not exist");
  return std::nullopt;
}

std::optional<FieldError> check_enum(const Field& field, std::string_view value) {
  for (const std::string& option : field.options) {
    if (option == value) return std::nullopt;
  }
  return error(field, "the value is not one of the field's options");
}

std::optional<FieldError> check_personal_id(const Field& field, std::string_view value) {
  if (value.size() != 12 || !all_digits(value)) {
    return error(field, "a personal identification number has exactly 12 digits");
  }
  return check_pattern(field, value);
}

}  // namespace

std::optional<std::size_t> utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
    const auto lead = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xe0) == 0xc0) {
      extra = 1;
      cp = lead & 0x1f;
    } else if ((lead & 0xf0) == 0xe0) {
      extra = 2;
      cp = lead & 0x0f;
    } else if ((lead & 0xf8) == 0xf0) {
      extra = 3;
      cp = lead & 0x07;
    } else {
      return std::nullopt;
    }
    if (i + extra >= text.size()) return std::nullopt;  // truncated sequence
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xc0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3f);
    }
    static constexpr char32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMinimum[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return std::nullopt;
    }
    i += extra + 1;
  }
  return count;
}

std::optional<char32_t> unsupported_character(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t extra = lead < 0x80             ? 0
                              : (lead & 0xe0) == 0xc0 ? 1
                              : (lead & 0xf0) == 0xe0 ? 2
                                                      : 3;
    if (i + extra >= text.size() && extra > 0) break;  // truncated: utf8_length refuses it
    char32_t cp = extra == 0 ? lead : lead & (0x3f >> extra);
    for (std::size_t k = 1; k <= extra; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3f);
    i += extra + 1;
    const bool control =
        (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7f && cp <= 0x9f);
    const bool noncharacter = (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
    if (control || noncharacter) return cp;
  }
  return std::nullopt;
}

std::string code_point_name(char32_t cp) {
  char out[16];
  std::snprintf(out, sizeof out, "U+%04X", static_cast<unsigned>(cp));
  return out;
}

std::optional<FieldError> validate_field(const Field& field, std::string_view value) {
  if (value.size() > limits::kFieldValueBytes) {
    return error(field,
                 "the value is longer than " + std::to_string(limits::kFieldValueBytes) + " bytes");
  }
  switch (field.type) {
    case FieldType::kText:
      return check_text(field, value);
    case FieldType::kNumber:
      return check_number(field, value);
    case FieldType::kDate:
      return check_date(field, value);
    case FieldType::kEnum:
      return check_enum(field, value);
    case FieldType::kPersonalId:
      return check_personal_id(field, value);
  }
  return error(field, "unknown field type", ErrorCode::kInvalidDefinition);
}

std::vector<FieldError> validate_form(const std::vector<Field>& fields,
                                      const std::map<std::string, std::string>& values) {
  std::vector<FieldError> errors;
  for (const Field& field : fields) {
    auto it = values.find(field.id);
    if (it == values.end() || it->second.empty()) {
      if (field.required) errors.push_back(error(field, "this field is required"));
      continue;
    }
    if (auto problem = validate_field(field, it->second)) errors.push_back(std::move(*problem));
  }
  for (const auto& [name, value] : values) {
    const bool declared = std::any_of(fields.begin(), fields.end(),
                                      [&id = name](const Field& f) { return f.id == id; });
    if (!declared) {
      errors.push_back(FieldError{name, ErrorCode::kInvalidInput,
                                  "the procedure has no field named '" + name + "'"});
    }
  }
  return errors;
}

}  // namespace motcua::engine
