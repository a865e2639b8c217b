#pragma once
// JSON helpers of the routes (Boost.JSON): parse a request body into an object with a precise
// problem on failure, read typed members, and build JSON responses. Thread-safe (pure).
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/http.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {

// The body as a JSON object, or the problem response (415 when the content type is not JSON,
// 400 malformed-json for unparsable text, 422 invalid-input when it is not an object). Nesting is
// limited to 32 levels.
Parsed<boost::json::object> parse_object(const Request& request);

// A typed member reader that records the first type error: `ok()` false then, and `problem()`
// describes it.
class Fields {
 public:
  explicit Fields(const boost::json::object& object) : object_(object) {}
  std::optional<std::string> string(std::string_view key, bool required = false,
                                    std::size_t max_bytes = 4000);
  std::optional<std::int64_t> integer(std::string_view key, bool required = false);
  std::optional<bool> boolean(std::string_view key);
  const boost::json::array* array(std::string_view key, bool required = false);
  const boost::json::object* object(std::string_view key, bool required = false);
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

 private:
  void bad(std::string_view key, std::string_view what);
  const boost::json::object& object_;
  std::string error_;
};

Response json_response(int status, const boost::json::value& value);

}  // namespace motcua::api
