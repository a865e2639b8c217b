// libFuzzer target: HTTP/1.1 requests as the server reads them from a connection (api/server.cpp):
// Boost.Beast's request_parser with the server's limits (api/request_parser_limits.hpp: the
// default ServerOptions::header_limit for the header, then the body limit of the route the
// request's header is routed to in the real route table), the target split as from_header() splits
// it, and the next request read from the bytes left over, as on a keep-alive connection.
// Input: the bytes a client sends; the end of the input is the end of the stream.
#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/api.hpp"
#include "api/request_parser_limits.hpp"
#include "api/server.hpp"

namespace {

namespace http = boost::beast::http;
using namespace motcua;

// The route table of the server; its handlers are never called here, so the Context needs no
// dependency.
const api::Router& routes() {
  static const api::Router* router = [] {
    api::ApiSettings settings;
    settings.access_log = nullptr;
    auto* context = new api::Context(api::ApiDeps{}, settings);
    auto* made = new api::Router();
    api::add_all_routes(*made, *context);
    return made;
  }();
  return *router;
}

class Connection {
 public:
  Connection(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool exhausted() const { return used_ == size_; }

  // Feeds the parser until `done()` holds; false on any parse error (the server answers 400, 413
  // or 431 and closes) or when the stream ends first.
  template <class Done>
  bool feed(http::request_parser<http::string_body>& parser, Done done) {
    boost::beast::error_code ec;
    while (!done()) {
      const std::size_t n = parser.put(boost::asio::buffer(data_ + used_, size_ - used_), ec);
      used_ += n;
      if (ec == http::error::need_more) {
        if (used_ < size_ && n > 0) continue;
        parser.put_eof(ec);  // the peer closed the connection here
        return !ec && done();
      }
      if (ec || (n == 0 && !done())) return false;
    }
    return true;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t used_ = 0;
};

// One request off the connection; false when the server would close it.
bool serve_one(Connection& connection) {
  http::request_parser<http::string_body> parser;
  api::limit_header_read(parser, api::ServerOptions{}.header_limit);
  if (!connection.feed(parser, [&] { return parser.is_header_done(); })) return false;

  const auto& header = parser.get();
  api::Request request;
  request.method = std::string(header.method_string());
  request.target = std::string(header.target());
  if (auto split = api::split_target(request.target)) {
    request.path = std::move(split->path);
    request.query = std::move(split->query);
  }
  for (const auto& field : header) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    request.headers[name] += std::string(field.value());
  }
  // As Api::route: an unparsable target stays unrouted and takes no body.
  request.route =
      request.path.empty() ? api::RouteMatch{} : routes().match(request.method, request.path);
  const std::size_t limit = request.route.route ? request.route.route->body_limit : 0;
  api::limit_body_read(parser, limit);
  if (auto length = parser.content_length(); length && *length > limit) return false;

  if (!connection.feed(parser, [&] { return parser.is_done(); })) return false;
  http::request<http::string_body> wire = parser.release();
  request.body = std::move(wire.body());
  if (request.body.size() > limit) std::abort();  // the limit the route set was not applied
  (void)request.query_param("type");
  return wire.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  routes();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Connection connection(data, size);
  // A few pipelined requests are enough to reach every state between two messages.
  for (int i = 0; i < 4 && !connection.exhausted(); ++i) {
    if (!serve_one(connection)) break;
  }
  return 0;
}
