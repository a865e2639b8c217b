#include "api/server.hpp"

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
#include "api/internal/tls_context.hpp"
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
awaitable<void> write_refusal(Stream& stream, State* s, Request partial, Refusal why) {
  Response res = s->handler->refuse(partial, why);
  auto out = to_wire(std::move(res), partial.request_id, 11, false);
  beast::get_lowest_layer(stream).expires_after(s->options.write_timeout);
  co_await http::async_write(stream, out, kTuple);
}

// RFC 9112 6.1-6.3: a request body is framed by Content-Length or by "Transfer-Encoding: chunked"
// alone. Any other coding (identity, gzip, chunked after another one), both framings at once, or
// Transfer-Encoding in HTTP/1.0 could be framed differently by a proxy in front: refused. RFC 9112
// 3.2: an HTTP/1.1 request carries exactly one Host (HTTP/1.0 may omit it).
template <class Fields>
std::optional<Refusal> framing_refusal(const http::request_header<Fields>& h) {
  if (const auto codings = h.count(http::field::transfer_encoding); codings > 0) {
    if (codings > 1 || h.version() < 11 || h.count(http::field::content_length) > 0 ||
        !beast::iequals(h[http::field::transfer_encoding], "chunked"))
      return Refusal::kTransferEncoding;
  }
  const auto hosts = h.count(http::field::host);
  if (hosts > 1 || (hosts == 0 && h.version() >= 11)) return Refusal::kHost;
  return std::nullopt;
}

std::optional<Refusal> header_read_refusal(const beast::error_code& ec, std::size_t buffered) {
  if (ec == http::error::header_limit) return Refusal::kHeaderTooLarge;
  if (ec == http::error::bad_transfer_encoding) return Refusal::kTransferEncoding;
  // A peer that went away or fell silent gets no answer.
  if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
      ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
      ec == asio::error::eof || ec == asio::ssl::error::stream_truncated || buffered == 0)
    return std::nullopt;
  return Refusal::kMalformed;
}

// The size of the fields the parser added after the first `known` ones: the trailers.
template <class Fields>
std::size_t trailer_bytes(const http::request_header<Fields>& h, std::size_t known) {
  std::size_t bytes = 0, index = 0;
  for (const auto& field : h) {
    if (index++ >= known) bytes += field.name_string().size() + field.value().size() + 4;
  }
  return bytes;
}

enum class BodyRead { kDone, kRefused, kGone };

// What a parse error of the body means for the client.
Refusal body_refusal(const beast::error_code& ec) {
  if (ec == http::error::body_limit) return Refusal::kBodyTooLarge;
  if (ec == http::error::header_limit) return Refusal::kHeaderTooLarge;
  return Refusal::kMalformed;
}

// Reads the body after its header (`header_bytes` long). The chunk extensions and trailers of a
// chunked body count with the header against the header limit, and so does an unfinished chunk
// line or trailer section waiting in the buffer: what is held for a request stays bounded. The
// buffered bytes are parsed before every read, so a limit is noticed without waiting for more.
template <class Stream>
awaitable<BodyRead> read_body(Stream& stream, State* s, beast::flat_buffer& buffer,
                              http::request_parser<http::string_body>& parser,
                              std::size_t header_bytes, Refusal& why) {
  const std::size_t limit = s->options.header_limit;
  std::size_t metadata = header_bytes;
  auto on_chunk = [&metadata, limit](std::uint64_t, beast::string_view extensions,
                                     beast::error_code& ec) {
    metadata += extensions.size();
    if (metadata > limit) ec = http::error::header_limit;
  };
  parser.on_chunk_header(on_chunk);
  parser.eager(true);
  const auto& fields = parser.get().base();
  const auto known = static_cast<std::size_t>(std::distance(fields.begin(), fields.end()));
  for (;;) {
    while (buffer.size() > 0 && !parser.is_done()) {
      beast::error_code ec;
      const std::size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (ec == http::error::need_more) break;
      if (ec) {
        why = body_refusal(ec);
        co_return BodyRead::kRefused;
      }
      if (used == 0) break;
    }
    // Complete, the trailers are among the fields (and the buffer may hold the next request);
    // incomplete, the buffer holds at most an unfinished chunk line or trailer section.
    const std::size_t pending = parser.is_done() ? trailer_bytes(fields, known) : buffer.size();
    if (metadata + pending > limit) {
      why = Refusal::kHeaderTooLarge;
      co_return BodyRead::kRefused;
    }
    if (parser.is_done()) co_return BodyRead::kDone;
    // The peer closing or falling silent mid-body gets no answer.
    auto [ec, n] = co_await stream.async_read_some(buffer.prepare(64 * 1024), kTuple);
    buffer.commit(n);
    if (ec) co_return BodyRead::kGone;
  }
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
    auto [ec, header_bytes] = co_await http::async_read_header(stream, buffer, parser, kTuple);
    if (ec) {
      if (auto why = header_read_refusal(ec, buffer.size())) {
        Request partial;
        partial.client = client;
        partial.request_id = new_request_id(s);
        co_await write_refusal(stream, s, std::move(partial), *why);
      }
      co_return;
    }
    const std::string id = new_request_id(s);
    // From here to the last byte of the response the request is in progress: a drain waits for it.
    ++s->in_flight;
    Counted flight(s->in_flight);
    Request request = from_header(s, parser.get().base(), client, id);
    if (auto why = framing_refusal(parser.get().base())) {
      co_await write_refusal(stream, s, std::move(request), *why);
      co_return;
    }
    // Routed once, here; the body limit, the immediate answer and the worker use request.route.
    const std::size_t limit = s->handler->route(request);
    limit_body_read(parser, limit);
    if (auto length = parser.content_length(); length && *length > limit) {
      co_await write_refusal(stream, s, std::move(request), Refusal::kBodyTooLarge);
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
    Refusal why = Refusal::kMalformed;
    const BodyRead body = co_await read_body(stream, s, buffer, parser, header_bytes, why);
    if (body == BodyRead::kRefused) co_await write_refusal(stream, s, std::move(request), why);
    if (body != BodyRead::kDone) co_return;
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

int refusal_status(Refusal why) {
  switch (why) {
    case Refusal::kBodyTooLarge:
      return 413;
    case Refusal::kHeaderTooLarge:
      return 431;
    case Refusal::kMalformed:
    case Refusal::kTransferEncoding:
    case Refusal::kHost:
      break;
  }
  return 400;
}

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
    auto ctx = make_server_tls(options.tls_cert, options.tls_key);
    if (!ctx) return tl::unexpected(ctx.error());
    state->tls.emplace(std::move(*ctx));
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
