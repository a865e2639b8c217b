#pragma once
// Server: the HTTP/1.1 (optionally TLS) listener of motcua, on Boost.Beast with C++20 coroutines.
// One coroutine (session) per connection on its own strand; keep-alive; explicit limits on header
// size, body size (the RequestHandler routes the request once its header is read), time to read
// a request, time to write a response, idle time between requests and the number of concurrent
// connections (connections beyond it are closed at once). Handlers run on a separate worker pool,
// never on the network threads, because they touch the database and do crypto.
//
// Lifetime: create() binds the listening socket (port 0 picks a free port: see endpoint()); run()
// serves until stop() is called or SIGTERM/SIGINT arrives, then stops accepting (new connections
// are refused), lets the requests in progress finish -- from a read header, through the body and
// the handler, to the last byte of the response; up to drain_timeout; their responses carry
// "Connection: close" -- closes idle connections and returns.
//
// A response to HEAD never carries a body: the server sends the handler's header, with the
// Content-Length its body would have had (the Api answers HEAD as GET). stop() is thread-safe;
// everything else is called from one thread.
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/http.hpp"
#include "engine/error.hpp"

namespace motcua::api {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port
  std::string tls_cert;  // PEM certificate chain file; TLS when both are set, with the policy of
                         // api/internal/tls_context.hpp (TLS 1.3, or 1.2 with ECDHE + AEAD only)
  std::string tls_key;   // PEM private key file
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t max_connections = 2048;
  std::size_t header_limit = 16 * 1024;           // also bounds chunk extensions and trailers
  std::chrono::milliseconds read_timeout{10000};  // a whole request, header and body
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds idle_timeout{30000};  // between requests on a keep-alive connection
  std::chrono::milliseconds drain_timeout{10000};
  bool handle_signals = true;  // SIGTERM / SIGINT stop the server
  // CIDR blocks of reverse proxies whose X-Forwarded-For names the client
  // (api/internal/client_address.hpp); Request::client is the peer address otherwise.
  std::vector<std::string> trusted_proxies;
};

// What the server asks of the application, for each request in this order:
//   1. route(request) on the network thread, once, as soon as the header is read: `request` holds
//      the method, target, path and query (split once; path "" when the target is unparsable),
//      headers, client and request id, and no body yet. The handler finds the route once and
//      stores it in request.route; it returns the largest body accepted (0: none).
//   2. try_immediate(request) on the network thread, with the body: an answer that needs no
//      blocking work, or nullopt.
//   3. handle(request) on a worker thread otherwise (blocking work allowed).
// Any of them may be skipped by refuse(request, why) instead, for a request the server refused (see
// Refusal); `request` then holds what could be read (routed when the body was refused), nothing of
// it reached try_immediate() or handle(), and the connection is closed after the answer. route()
// and try_immediate() must not block. None of them throws. Called concurrently, on several threads.
//
// Why the server refused a request. Framing follows RFC 9112 strictly, so that a proxy in front
// and this server can never disagree on where a request ends (request smuggling).
enum class Refusal {
  kMalformed,         // 400: unparsable request line, header or chunked body
  kTransferEncoding,  // 400: Transfer-Encoding other than exactly one "chunked", or with
                      //      Content-Length, or in an HTTP/1.0 request
  kHost,              // 400: HTTP/1.1 without a Host field, or several Host fields
  kBodyTooLarge,      // 413: above the route's body limit
  kHeaderTooLarge,    // 431: the header, plus the chunk extensions and trailers of a chunked
                      //      body, above ServerOptions::header_limit
};
// The HTTP status of a refusal.
int refusal_status(Refusal why);

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  virtual std::size_t route(Request& request) = 0;
  virtual std::optional<Response> try_immediate(Request& request) {
    (void)request;
    return std::nullopt;
  }
  virtual Response handle(Request& request) = 0;
  virtual Response refuse(Request& request, Refusal why) = 0;
};

class Server {
 public:
  // Errors: kInvalidInput (bad address, TLS files unreadable or not matching, a trusted proxy that
  // is not a CIDR block), kIo (cannot bind).
  static engine::Result<std::unique_ptr<Server>> create(const ServerOptions& options,
                                                        std::shared_ptr<RequestHandler> handler);
  ~Server();

  // "127.0.0.1:8080" as bound.
  std::string endpoint() const;
  bool tls() const;
  void run();
  void stop();

  struct State;

 private:
  explicit Server(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace motcua::api
