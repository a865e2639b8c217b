#pragma once
// Validation of form values (the fields a procedure declares, engine::Field) as an applicant or a
// desk officer typed them. Values are UTF-8 strings as they arrive from the API; each field type
// has one accepted spelling:
// - text: valid UTF-8 without control characters other than tab and line breaks (C1 controls
//   U+0080-U+009F included) and without characters the issued documents (XML 1.0) cannot carry:
//   non-characters (U+FDD0-U+FDEF, U+FFFE and U+FFFF of every plane); at most
//   max_length code points (not bytes: "Nguyễn" is 6); the whole value matches `pattern` if set;
// - number: an optional '-', digits, optionally '.' and digits ("12", "-3.5"); within [min, max];
// - date: ISO calendar date YYYY-MM-DD that exists (2026-02-30 does not);
// - enum: exactly one of `options`;
// - personal id: the 12-digit personal identification number (số định danh cá nhân, on the
//   Căn cước card), and `pattern` if set.
// Pure functions, thread-safe. Every problem becomes a FieldError; nothing throws.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/limits.hpp"
#include "engine/error.hpp"
#include "engine/procedure.hpp"

namespace motcua::engine {

// Values longer than this are refused before any other check (a form field is not a document).
// The largest value of one field: base/limits.hpp (limits::kFieldValueBytes).

struct FieldError {
  std::string field;                          // Field::id (or the undeclared name that was sent)
  ErrorCode code = ErrorCode::kInvalidInput;  // kInvalidDefinition when the field's pattern is bad
  std::string message;                        // plain English, names the rule that failed
};

// Checks one non-empty value against its field. nullopt when it is valid.
std::optional<FieldError> validate_field(const Field& field, std::string_view value);

// Checks a whole form: each required field present and non-empty, each given value valid, and no
// value for a field the procedure does not declare. Empty optional values are accepted. Errors come
// in the order of `fields`, then undeclared names in key order.
std::vector<FieldError> validate_form(const std::vector<Field>& fields,
                                      const std::map<std::string, std::string>& values);

// The first code point of valid UTF-8 `text` that an issued document cannot carry (XML 1.0 Char
// minus the discouraged controls and the Unicode non-characters): C0 controls but tab, LF and CR,
// DEL, C1 controls, U+FDD0-U+FDEF and U+nFFFE / U+nFFFF; nullopt when there is none. `text`
// must be valid UTF-8 (utf8_length); invalid sequences are skipped.
std::optional<char32_t> unsupported_character(std::string_view text);
// "U+FFFE": how error messages name a code point.
std::string code_point_name(char32_t cp);

// Number of code points of valid UTF-8 (rejecting overlong forms, surrogates and values above
// U+10FFFF); nullopt when `text` is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);

}  // namespace motcua::engine
