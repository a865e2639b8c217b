#include "api/router.hpp"

namespace motcua::api {

std::vector<std::string_view> path_segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::size_t pos = 0;
  while (true) {
    std::size_t slash = path.find('/', pos);
    out.push_back(path.substr(pos, slash == std::string_view::npos ? slash : slash - pos));
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return out;
}

void Router::add(Route route) {
  std::vector<std::string> segments;
  for (std::string_view segment : path_segments(route.pattern)) segments.emplace_back(segment);
  segments_.push_back(std::move(segments));
  routes_.push_back(std::move(route));
}

namespace {

bool match_pattern(const std::vector<std::string>& want, const std::vector<std::string_view>& got,
                   std::map<std::string, std::string>& params) {
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < want.size(); ++i) {
    std::string_view w = want[i];
    if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
      if (got[i].empty()) return false;
      found.emplace(std::string(w.substr(1, w.size() - 2)), std::string(got[i]));
    } else if (w != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

Router::Match Router::match(std::string_view method, std::string_view path) const {
  Match m;
  const auto got = path_segments(path);
  const bool head = method == "HEAD";
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    std::map<std::string, std::string> params;
    if (!match_pattern(segments_[i], got, params)) continue;
    if (r.method == method) {
      m.route = &r;
      m.params = std::move(params);
      return m;
    }
    if (head && r.method == "GET" && !m.route) {
      m.route = &r;  // unless a HEAD route of the path follows
      m.params = std::move(params);
      continue;
    }
    m.path_known = true;
  }
  return m;
}

}  // namespace motcua::api
