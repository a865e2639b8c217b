#pragma once
// Router: the table of the API's routes. A route is a method, a path pattern with {named}
// segments, a stable name (the metrics label and the OpenAPI operation), who may call it, the
// largest body it accepts, and its handler. The table is built once at start-up and then only
// read: match() is thread-safe.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/http.hpp"
#include "base/limits.hpp"

namespace motcua::api {

enum class Access {
  kPublic,              // anyone
  kOfficer,             // a valid bearer token
  kOfficerOrAnonymous,  // anyone; a bearer token, when sent, must be valid and sets the principal
  kAdmin,               // a valid bearer token of an officer holding the admin role
};

struct Principal;  // auth.hpp

struct Call {
  const Request& request;
  const std::map<std::string, std::string>& params;  // request.route.params: {name} segments
  const Principal* principal = nullptr;              // set for kOfficer and kAdmin routes, and for
                                                     // kOfficerOrAnonymous ones called with a token
};

using Handler = std::function<Response(Call&)>;
// Answers on the network thread when it can without blocking (a lookup in memory), else nullopt
// and the request goes to `handler` on a worker. Only for kPublic routes.
using ImmediateHandler = std::function<std::optional<Response>(Call&)>;

inline constexpr std::size_t kJsonBodyLimit = base::limits::kJsonBodyBytes;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/dossiers/{code}"
  std::string name;     // "dossier.get"
  Access access = Access::kPublic;
  std::size_t body_limit = kJsonBodyLimit;
  Handler handler;
  ImmediateHandler immediate = {};  // optional
};

class Router {
 public:
  void add(Route route);

  using Match = RouteMatch;  // http.hpp
  // HEAD matches the path's GET route unless the path has a HEAD route. `path` is decoded.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  std::vector<std::vector<std::string>> segments_;  // of each route's pattern, split once
};

// Splits "/a/b/c" into {"a","b","c"}; "" segments from repeated slashes are kept.
std::vector<std::string_view> path_segments(std::string_view path);

}  // namespace motcua::api
