// Server against a RequestHandler of the test's own: each request is routed once, as soon as its
// header is read, and its route travels with it to the body limit, the network-thread answer, the
// worker and the refusal.
#include "api/server.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>

#include "tests/api/e2e_support.hpp"

namespace motcua::api {
namespace {

// Routes by writing what it saw into the route's params; "/small" takes at most 10 body bytes;
// "/fast" is answered on the network thread.
class CountingHandler final : public RequestHandler {
 public:
  std::atomic<int> routed{0}, immediate{0}, handled{0}, refused{0};

  std::size_t route(Request& request) override {
    ++routed;
    request.route.params["seen"] = request.method + " " + request.path + " ?" + request.query;
    return request.path == "/small" ? 10 : 1024;
  }
  std::optional<Response> try_immediate(Request& request) override {
    ++immediate;
    if (request.path != "/fast") return std::nullopt;
    return answer(200, "fast " + request.route.params.at("seen"));
  }
  Response handle(Request& request) override {
    ++handled;
    return answer(200, "worker " + request.route.params.at("seen") + " " + request.body);
  }
  Response refuse(Request& request, Refusal why) override {
    ++refused;
    return answer(refusal_status(why), "refused " + request.route.params["seen"]);
  }

 private:
  static Response answer(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "text/plain";
    r.body = std::move(body);
    return r;
  }
};

}  // namespace

TEST_CASE("Server routes each request once, after its header, and carries the route along") {
  auto handler = std::make_shared<CountingHandler>();
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  options.worker_threads = 1;
  auto server = Server::create(options, handler);
  REQUIRE(server);
  std::thread serving([&] { (*server)->run(); });
  const std::string endpoint = (*server)->endpoint();
  const auto port =
      static_cast<unsigned short>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
  {
    e2e::Client c(port);
    auto fast = c.send("GET", "/fast?x=%41");
    CHECK(fast.status == 200);
    CHECK(fast.body == "fast GET /fast ?x=%41");
    auto slow = c.send("POST", "/a%20b", "{}");
    CHECK(slow.status == 200);
    CHECK(slow.body == "worker POST /a b ? {}");
    auto big = c.send("POST", "/small", "{\"more than\": \"ten bytes\"}");
    CHECK(big.status == 413);
    CHECK(big.body == "refused POST /small ?");
  }
  (*server)->stop();
  serving.join();
  CHECK(handler->routed == 3);
  CHECK(handler->immediate == 2);
  CHECK(handler->handled == 1);
  CHECK(handler->refused == 1);
}

}  // namespace motcua::api
