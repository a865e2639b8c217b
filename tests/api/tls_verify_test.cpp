// End to end: HTTPS with a certificate and key from files (the TLS policy itself:
// tls_policy_test.cpp), and POST /api/v1/verify with a trust store configured.
#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include "tests/api/e2e_support.hpp"
#include "tests/api/tls_support.hpp"

namespace motcua::api::e2e {
namespace {

namespace ssl = asio::ssl;

int https_get(unsigned short port, const std::string& ca, int max_version, std::string& body) {
  asio::io_context ioc;
  ssl::context ctx(ssl::context::tls_client);
  ctx.load_verify_file(ca);
  ctx.set_verify_mode(ssl::verify_peer);
  if (max_version) SSL_CTX_set_max_proto_version(ctx.native_handle(), max_version);
  SSL_CTX_set_security_level(ctx.native_handle(), 0);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  boost::system::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return -1;
  http::request<http::empty_body> req{http::verb::get, "/healthz", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  body = res.body();
  return static_cast<int>(res.result_int());
}

}  // namespace

TEST_CASE("E2E: HTTPS with certificate files; TLS 1.1 clients are refused") {
  const auto dir = make_certificate();
  ServeProcess server(fresh_database_url("motcua_api_e2e_tls"),
                      {"--no-demo", "--tls-cert", (dir / "cert.pem").string(), "--tls-key",
                       (dir / "key.pem").string()});
  std::string body;
  CHECK(https_get(server.port, (dir / "cert.pem").string(), 0, body) == 200);
  CHECK(body == "{\"status\":\"ok\"}");
  CHECK(https_get(server.port, (dir / "cert.pem").string(), TLS1_1_VERSION, body) == -1);
  // Plain HTTP on the TLS port gets no HTTP answer.
  Client plain(server.port);
  CHECK(plain.raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status == 0);
  CHECK(server.stop() == 0);
}

TEST_CASE("E2E: anyone posts a signed XML document to /api/v1/verify and gets the report") {
  const auto dir = make_certificate();
  ServeProcess server(fresh_database_url("motcua_api_e2e_verify"),
                      {"--no-demo", "--trust", (dir / "cert.pem").string()});
  Client c(server.port);
  auto unsigned_doc = c.send("POST", "/api/v1/verify", "<KetQua><Ten>x</Ten></KetQua>",
                             {{"Content-Type", "application/xml"}});
  REQUIRE(unsigned_doc.status == 200);
  CHECK(unsigned_doc.json().at("valid") == false);
  CHECK(unsigned_doc.json().at("error").at("code").is_string());
  auto hostile = c.send("POST", "/api/v1/verify",
                        "<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>",
                        {{"Content-Type", "application/xml"}});
  REQUIRE(hostile.status == 200);
  CHECK(hostile.json().at("valid") == false);
  CHECK(hostile.body.find("root:") == std::string::npos);
  CHECK(c.send("POST", "/api/v1/verify", "{}", {{"Content-Type", "application/json"}}).status ==
        415);
  CHECK(server.stop() == 0);
  // Without a trust store the route says so.
  ServeProcess bare(fresh_database_url("motcua_api_e2e_verify2"), {"--no-demo"});
  Client b(bare.port);
  auto r = b.send("POST", "/api/v1/verify", "<a/>", {{"Content-Type", "application/xml"}});
  CHECK(r.status == 503);
  CHECK(r.code() == "unavailable");
}

}  // namespace motcua::api::e2e
