#include "api/server.hpp"

#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <cstdio>
#include <limits>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "api/internal/client_address.hpp"
#include "api/request_parser_limits.hpp"

namespace motcua::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

// Members read by coroutine frames while the io_context destroys them are declared before it, so
// they outlive it.
struct Server::State {
  ServerOptions options;
  std::shared_ptr<RequestHandler> handler;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> draining{false};
  std::atomic<std::uint64_t> next_id{0};
  std::string id_prefix;
  ProxyTrust proxies;
  asio::io_context ioc;
  asio::thread_pool workers;
  std::optional<ssl::context> tls;
  tcp::acceptor acceptor;
  asio::signal_set signals;

  State(const ServerOptions& o, std::shared_ptr<RequestHandler> h)
      : options(o),
        handler(std::move(h)),
        ioc(std::max(1, o.io_threads)),
        workers(static_cast<std::size_t>(std::max(1, o.worker_threads))),
        acceptor(ioc),
        signals(ioc) {}
};

namespace {

using State = Server::State;

std::string new_request_id(State* s) {
  char counter[24];
  std::snprintf(counter, sizeof counter, "%08llx",
                static_cast<unsigned long long>(s->next_id.fetch_add(1) + 1));
  return s->id_prefix + "-" + counter;
}

// The request as far as its header goes: the target is split once, here.
template <class Fields>
Request from_header(State* s, const http::request_header<Fields>& in, const std::string& client,
                    std::string id) {
  Request r;
  r.method = std::string(in.method_string());
  r.target = std::string(in.target());
  if (auto split = split_target(r.target)) {
    r.path = std::move(split->path);
    r.query = std::move(split->query);
  }
  for (const auto& field : in) {
    std::string name(field.name_string());
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // Repeated headers are joined as RFC 9110 allows for list-valued fields.
    auto [it, fresh] = r.headers.emplace(name, std::string(field.value()));
    if (!fresh) it->second += ", " + std::string(field.value());
  }
  r.client = s->proxies.client(client, r.header("x-forwarded-for"));
  r.request_id = std::move(id);
  return r;
}

http::response<http::string_body> to_wire(Response res, const std::string& id, unsigned version,
                                          bool keep_alive, bool head = false) {
  http::response<http::string_body> out{static_cast<http::status>(res.status), version};
  out.set(http::field::server, "motcua");
  out.set(http::field::content_type, res.content_type);
  out.set("X-Request-Id", id);
  out.set("X-Content-Type-Options", "nosniff");
  for (auto& [name, value] : res.headers) out.set(name, value);
  out.body() = std::move(res.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  if (head) {
    // The header of the GET answer, without its body (RFC 9110 9.3.2).
    const std::size_t length = out.body().size();
    out.body().clear();
    out.content_length(length);
  }
  return out;
}

awaitable<Response> run_handler(State* s, Request request) {
  co_return s->handler->handle(request);
}

struct Counted {
  std::atomic<std::size_t>& counter;
  explicit Counted(std::atomic<std::size_t>& c) : counter(c) {}
  ~Counted() { --counter; }
};

template <class Stream>
awaitable<void> write_refusal(Stream& stream, State* s, Request partial, int status) {
  Response res = s->handler->refuse(partial, status);
  auto out = to_wire(std::move(res), partial.request_id, 11, false);
  beast::get_lowest_layer(stream).expires_after(s->options.write_timeout);
  co_await http::async_write(stream, out, kTuple);
}

// Serves requests on one connection until the peer closes, a limit is hit or the server drains.
template <class Stream>
awaitable<void> serve_requests(Stream& stream, State* s, std::string client) {
  beast::flat_buffer buffer;
  bool first = true;
  while (!s->draining) {
    http::request_parser<http::string_body> parser;
    limit_header_read(parser, s->options.header_limit);
    beast::get_lowest_layer(stream).expires_after(first ? s->options.read_timeout
                                                        : s->options.idle_timeout);
    first = false;
    auto [ec, n] = co_await http::async_read_header(stream, buffer, parser, kTuple);
    (void)n;
    if (ec) {
      Request partial;
      partial.client = client;
      partial.request_id = new_request_id(s);
      if (ec == http::error::header_limit) {
        co_await write_refusal(stream, s, std::move(partial), 431);
      } else if (ec != http::error::end_of_stream && ec != beast::error::timeout &&
                 ec != asio::error::operation_aborted && ec != asio::error::connection_reset &&
                 ec != asio::error::eof && ec != asio::ssl::error::stream_truncated &&
                 buffer.size() > 0) {
        co_await write_refusal(stream, s, std::move(partial), 400);
      }
      co_return;
    }
    const std::string id = new_request_id(s);
    // From here to the last byte of the response the request is in progress: a drain waits for it.
    ++s->in_flight;
    Counted flight(s->in_flight);
    // Routed once, here; the body limit, the immediate answer and the worker use request.route.
    Request request = from_header(s, parser.get().base(), client, id);
    const std::size_t limit = s->handler->route(request);
    limit_body_read(parser, limit);
    if (auto length = parser.content_length(); length && *length > limit) {
      co_await write_refusal(stream, s, std::move(request), 413);
      co_return;
    }
    if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
      http::response<http::empty_body> go{http::status::continue_, 11};
      beast::get_lowest_layer(stream).expires_after(s->options.write_timeout);
      auto [wec, wn] = co_await http::async_write(stream, go, kTuple);
      (void)wn;
      if (wec) co_return;
    }
    beast::get_lowest_layer(stream).expires_after(s->options.read_timeout);
    auto [bec, bn] = co_await http::async_read(stream, buffer, parser, kTuple);
    (void)bn;
    if (bec) {
      if (bec == http::error::body_limit) {
        co_await write_refusal(stream, s, std::move(request), 413);
      } else if (bec != beast::error::timeout && bec != http::error::end_of_stream &&
                 bec != http::error::partial_message) {
        co_await write_refusal(stream, s, std::move(request), 400);
      }
      co_return;
    }
    http::request<http::string_body> wire = parser.release();
    const unsigned version = wire.version();
    const bool keep_alive = wire.keep_alive();
    const bool head = wire.method() == http::verb::head;
    request.body = std::move(wire.body());
    std::optional<Response> immediate = s->handler->try_immediate(request);
    Response response;
    if (immediate) {
      response = std::move(*immediate);
    } else {
      response =
          co_await asio::co_spawn(s->workers, run_handler(s, std::move(request)), use_awaitable);
    }
    const bool keep = keep_alive && !s->draining;
    auto out = to_wire(std::move(response), id, version, keep, head);
    beast::get_lowest_layer(stream).expires_after(s->options.write_timeout);
    auto [wec, wn] = co_await http::async_write(stream, out, kTuple);
    (void)wn;
    if (wec || !keep) co_return;
  }
}

awaitable<void> plain_session(beast::tcp_stream stream, State* s, std::string client) {
  Counted connection(s->connections);
  try {
    co_await serve_requests(stream, s, std::move(client));
  } catch (const std::exception&) {
    // A handler never throws; anything here is a transport failure: drop the connection.
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> tls_session(beast::tcp_stream tcp_stream, State* s, std::string client) {
  Counted connection(s->connections);
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), *s->tls);
  try {
    beast::get_lowest_layer(stream).expires_after(s->options.read_timeout);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, kTuple);
    if (ec) co_return;
    co_await serve_requests(stream, s, std::move(client));
    beast::get_lowest_layer(stream).expires_after(s->options.write_timeout);
    co_await stream.async_shutdown(kTuple);
  } catch (const std::exception&) {
  }
}

awaitable<void> accept_loop(State* s) {
  while (!s->draining) {
    auto [ec, socket] = co_await s->acceptor.async_accept(asio::make_strand(s->ioc), kTuple);
    if (ec) {
      if (!s->acceptor.is_open() || s->draining) co_return;
      // Out of descriptors and the like: back off instead of spinning.
      asio::steady_timer pause(s->ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    if (s->connections.load() >= s->options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
      continue;
    }
    ++s->connections;
    beast::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto peer = socket.remote_endpoint(ignored);
    std::string client = ignored ? std::string("unknown") : peer.address().to_string();
    auto executor = socket.get_executor();
    if (s->tls) {
      asio::co_spawn(executor, tls_session(beast::tcp_stream(std::move(socket)), s, client),
                     asio::detached);
    } else {
      asio::co_spawn(executor, plain_session(beast::tcp_stream(std::move(socket)), s, client),
                     asio::detached);
    }
  }
}

// Stops accepting, waits for in-flight requests (bounded), then stops the io_context; idle
// keep-alive connections are closed when their frames are destroyed.
awaitable<void> drain(State* s) {
  const auto deadline = std::chrono::steady_clock::now() + s->options.drain_timeout;
  asio::steady_timer tick(s->ioc);
  while (s->in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    tick.expires_after(std::chrono::milliseconds(20));
    co_await tick.async_wait(kTuple);
  }
  s->ioc.stop();
}

void begin_drain(State* s) {
  if (s->draining.exchange(true)) return;
  beast::error_code ignored;
  s->acceptor.close(ignored);
  s->signals.cancel(ignored);
  asio::co_spawn(s->ioc, drain(s), asio::detached);
}

}  // namespace

engine::Result<std::unique_ptr<Server>> Server::create(const ServerOptions& options,
                                                       std::shared_ptr<RequestHandler> handler) {
  using engine::ErrorCode;
  auto state = std::make_shared<State>(options, std::move(handler));
  std::random_device random;
  char prefix[16];
  std::snprintf(prefix, sizeof prefix, "%08x", random());
  state->id_prefix = prefix;
  auto proxies = ProxyTrust::parse(options.trusted_proxies);
  if (!proxies) return tl::unexpected(proxies.error());
  state->proxies = std::move(*proxies);
  beast::error_code ec;
  auto address = asio::ip::make_address(options.address, ec);
  if (ec) return engine::fail(ErrorCode::kInvalidInput, "not an IP address: " + options.address);
  if (options.tls_cert.empty() != options.tls_key.empty())
    return engine::fail(ErrorCode::kInvalidInput, "TLS needs both a certificate and a key");
  if (!options.tls_cert.empty()) {
    try {
      ssl::context ctx(ssl::context::tls_server);
      ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                      ssl::context::single_dh_use);
      SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
      ctx.use_certificate_chain_file(options.tls_cert);
      ctx.use_private_key_file(options.tls_key, ssl::context::pem);
      if (SSL_CTX_check_private_key(ctx.native_handle()) != 1)
        return engine::fail(ErrorCode::kInvalidInput, "the TLS key does not match the certificate");
      state->tls.emplace(std::move(ctx));
    } catch (const std::exception& e) {
      return engine::fail(ErrorCode::kInvalidInput, "cannot load the TLS certificate or key",
                          e.what());
    }
  }
  tcp::endpoint endpoint(address, options.port);
  state->acceptor.open(endpoint.protocol(), ec);
  if (!ec) state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(endpoint, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return engine::fail(ErrorCode::kIo,
                        "cannot listen on " + options.address + ":" + std::to_string(options.port),
                        ec.message());
  return std::unique_ptr<Server>(new Server(std::move(state)));
}

Server::~Server() {
  stop();
  state_->workers.join();
}

std::string Server::endpoint() const {
  beast::error_code ec;
  auto ep = state_->acceptor.local_endpoint(ec);
  if (ec) return state_->options.address + ":" + std::to_string(state_->options.port);
  return ep.address().to_string() + ":" + std::to_string(ep.port());
}

bool Server::tls() const { return state_->tls.has_value(); }

void Server::stop() {
  State* s = state_.get();
  asio::post(s->ioc, [s] { begin_drain(s); });
}

void Server::run() {
  State* s = state_.get();
  if (s->options.handle_signals) {
    s->signals.add(SIGTERM);
    s->signals.add(SIGINT);
    s->signals.async_wait([s](const beast::error_code& ec, int) {
      if (!ec) begin_drain(s);
    });
  }
  asio::co_spawn(s->ioc, accept_loop(s), asio::detached);
  std::vector<std::thread> extra;
  for (int i = 1; i < s->options.io_threads; ++i) extra.emplace_back([s] { s->ioc.run(); });
  s->ioc.run();
  for (auto& t : extra) t.join();
}

}  // namespace motcua::api
