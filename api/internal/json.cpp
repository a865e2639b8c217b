#include "api/internal/json.hpp"

#include "api/internal/problem.hpp"

namespace motcua::api {

Parsed<boost::json::object> parse_object(const Request& request) {
  std::string_view type = request.header("content-type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type != "application/json")
    return tl::unexpected(problem(request, 415, problem_code::kUnsupportedMediaType,
                                  "send the body as application/json"));
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec, {}, options);
  // Boost.JSON's own wording stays out of the answer, as every library's does.
  if (ec)
    return tl::unexpected(
        problem(request, 400, problem_code::kMalformedJson, "the body is not well-formed JSON"));
  if (!value.is_object())
    return tl::unexpected(
        problem(request, 422, problem_code::kInvalidInput, "the body must be a JSON object"));
  return std::move(value.as_object());
}

void Fields::bad(std::string_view key, std::string_view what) {
  if (error_.empty()) error_ = "'" + std::string(key) + "' " + std::string(what);
}

std::optional<std::string> Fields::string(std::string_view key, bool required,
                                          std::size_t max_bytes) {
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) bad(key, "is required");
    return std::nullopt;
  }
  if (!v->is_string()) {
    bad(key, "must be a string");
    return std::nullopt;
  }
  if (v->as_string().size() > max_bytes) {
    bad(key, "is too long");
    return std::nullopt;
  }
  return std::string(v->as_string());
}

std::optional<std::int64_t> Fields::integer(std::string_view key, bool required) {
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) bad(key, "is required");
    return std::nullopt;
  }
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v->as_uint64());
  bad(key, "must be an integer");
  return std::nullopt;
}

std::optional<bool> Fields::boolean(std::string_view key) {
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_bool()) {
    bad(key, "must be true or false");
    return std::nullopt;
  }
  return v->as_bool();
}

const boost::json::array* Fields::array(std::string_view key, bool required) {
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) bad(key, "is required");
    return nullptr;
  }
  if (!v->is_array()) {
    bad(key, "must be an array");
    return nullptr;
  }
  return &v->as_array();
}

const boost::json::object* Fields::object(std::string_view key, bool required) {
  const boost::json::value* v = object_.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (required) bad(key, "is required");
    return nullptr;
  }
  if (!v->is_object()) {
    bad(key, "must be an object");
    return nullptr;
  }
  return &v->as_object();
}

Response json_response(int status, const boost::json::value& value) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(value);
  return r;
}

}  // namespace motcua::api
