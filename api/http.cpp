#include "api/http.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

namespace motcua::api {

std::string_view Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

std::string Request::query_param(std::string_view name) const {
  const std::string target = "/?" + query;  // the url_view below points into it
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return {};
  for (auto param : parsed->params()) {
    if (param.key == name) return std::string(param.has_value ? param.value : "");
  }
  return {};
}

std::optional<Target> split_target(std::string_view target) {
  if (target.empty() || target.front() != '/') return std::nullopt;
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return std::nullopt;
  Target out{std::string(parsed->path()), std::string(parsed->encoded_query())};
  if (out.path.find('\0') != std::string::npos) return std::nullopt;
  return out;
}

}  // namespace motcua::api
