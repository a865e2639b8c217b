#pragma once
// The HTTP request and response as the API's handlers see them: plain values, independent of
// Beast, so that routing and handlers are testable without a socket. The server (server.hpp)
// converts from and to the wire.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua::api {

struct Route;  // router.hpp

// The route of a request: found once, by RequestHandler::route() as soon as the header is read,
// and carried with the request to the body limit, the network-thread answer and the worker.
struct RouteMatch {
  const Route* route = nullptr;               // nullptr: no route for this method and path
  bool path_known = false;                    // some route has this path with another method (405)
  std::map<std::string, std::string> params;  // {name} segments of the pattern
};

struct Request {
  std::string method;                          // "GET", "POST", ...
  std::string target;                          // as received: path and query
  std::string path;                            // percent-decoded path without the query
  std::string query;                           // raw query string without '?'
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  std::string client;      // peer address, for rate limits and the access log
  std::string request_id;  // assigned by the server, echoed in X-Request-Id
  RouteMatch route;        // set by RequestHandler::route() before the body is read

  // The header's value, "" when absent. `name` in lowercase.
  std::string_view header(std::string_view name) const;
  // The decoded value of a query parameter, "" when absent.
  std::string query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

struct Target {
  std::string path;   // percent-decoded
  std::string query;  // raw, without '?'
};
// Splits a request target into a decoded path and a raw query. nullopt for a target that is not an
// origin-form path ("/..."), has a malformed percent escape, or decodes to a NUL byte.
std::optional<Target> split_target(std::string_view target);

}  // namespace motcua::api
