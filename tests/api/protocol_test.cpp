// End to end over raw sockets against the real `motcua serve`: request framing is strict (RFC
// 9112), so a proxy in front and the server never disagree on where a request ends. A refused
// request gets one clear 4xx, its connection is closed, and nothing of it is processed: the access
// log shows the refusal and no route.
#include "tests/api/e2e_support.hpp"

namespace motcua::api::e2e {
namespace {

// What came back on one connection for `bytes`, read until the server closed it (at most 5 s).
struct Exchange {
  std::string text;     // everything received
  bool closed = false;  // the server closed the connection
  int responses = 0;    // HTTP responses in `text`
  int status = 0;       // of the first response
  std::string code;     // the problem code of the first response, if any
};

Exchange send_raw(unsigned short port, const std::string& bytes) {
  const int fd = connect_loopback(port, std::chrono::seconds(5));
  // A write error is ignored: the server may close before it has read everything.
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  Exchange e;
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n > 0) {
      e.text.append(chunk, static_cast<std::size_t>(n));
      continue;
    }
    e.closed = n == 0 || errno == ECONNRESET;  // else the 5 s passed with the connection open
    break;
  }
  ::close(fd);
  for (auto at = e.text.find("\r\nServer: motcua\r\n"); at != std::string::npos;
       at = e.text.find("\r\nServer: motcua\r\n", at + 1))
    ++e.responses;
  if (e.text.size() > 12) e.status = std::atoi(e.text.c_str() + 9);
  if (auto at = e.text.find("\"code\":\""); at != std::string::npos)
    e.code = e.text.substr(at + 8, e.text.find('"', at + 8) - at - 8);
  return e;
}

const std::string kUpload =
    "POST /api/v1/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\n";
// Would be answered if it were read as a request of its own.
const std::string kSmuggled = "GET /api/v1/procedures HTTP/1.1\r\nHost: x\r\n\r\n";

void check_refused(const Exchange& e, int status, const std::string& code) {
  CAPTURE(e.text);
  CHECK(e.status == status);
  CHECK(e.code == code);
  CHECK(e.responses == 1);
  CHECK(e.closed);
}

}  // namespace

TEST_CASE(
    "E2E: request framing: Transfer-Encoding other than chunked, a missing Host, oversized "
    "chunk extensions and trailers are refused, and nothing of them is processed") {
  ServeProcess server(fresh_database_url("motcua_api_e2e_framing"), {"--no-demo"});
  const unsigned short port = server.port;

  SUBCASE("Transfer-Encoding") {
    // identity without Content-Length: read as an empty body, its body would be a second request.
    check_refused(send_raw(port, kUpload + "Transfer-Encoding: identity\r\n\r\n" + kSmuggled), 400,
                  "bad-request");
    // chunked after another coding: the bytes would be taken as they come, not as gzip.
    check_refused(
        send_raw(port, kUpload + "Transfer-Encoding: gzip, chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"),
        400, "bad-request");
    // Two Transfer-Encoding fields, the last one chunked.
    check_refused(
        send_raw(port, kUpload + "Transfer-Encoding: identity\r\nTransfer-Encoding: chunked\r\n"
                                 "\r\n4\r\nabcd\r\n0\r\n\r\n"),
        400, "bad-request");
    // Content-Length and Transfer-Encoding together, and Transfer-Encoding in HTTP/1.0.
    check_refused(send_raw(port, kUpload + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "4\r\nabcd\r\n0\r\n\r\n"),
                  400, "bad-request");
    check_refused(send_raw(port,
                           "POST /api/v1/attachments HTTP/1.0\r\nContent-Type: application/pdf\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\n\r\n"),
                  400, "bad-request");
    // The refusal says what to change, in English when preferred.
    const auto en = send_raw(
        port, kUpload + "Accept-Language: en\r\nTransfer-Encoding: identity\r\n\r\n" + kSmuggled);
    CHECK(en.text.find("Only Transfer-Encoding: chunked is accepted") != std::string::npos);
  }
  SUBCASE("Host") {
    check_refused(send_raw(port, "GET /healthz HTTP/1.1\r\n\r\n"), 400, "bad-request");
    check_refused(send_raw(port, "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400,
                  "bad-request");
    const auto vi = send_raw(port, "GET /healthz HTTP/1.1\r\n\r\n");
    CHECK(vi.text.find("phải có đúng một trường Host") != std::string::npos);
    // HTTP/1.0 may omit it.
    const auto old = send_raw(port, "GET /healthz HTTP/1.0\r\n\r\n");
    CHECK(old.status == 200);
    CHECK(old.text.find("{\"status\":\"ok\"}") != std::string::npos);
  }
  SUBCASE("chunk extensions and trailers count against the header limit (16 KiB)") {
    const std::string chunked = kUpload + "Transfer-Encoding: chunked\r\n\r\n";
    // One long extension.
    check_refused(
        send_raw(port, chunked + "4;e=" + std::string(17000, 'x') + "\r\nabcd\r\n0\r\n\r\n"), 431,
        "headers-too-large");
    // Many short ones, each harmless alone.
    std::string many = chunked;
    for (int i = 0; i < 2000; ++i) many += "1;ext=0123456789\r\nz\r\n";
    check_refused(send_raw(port, many + "0\r\n\r\n"), 431, "headers-too-large");
    // A chunk line that never ends is not buffered beyond the limit.
    check_refused(send_raw(port, chunked + "4;e=" + std::string(20000, 'x')), 431,
                  "headers-too-large");
    // Trailers: one long, or many.
    check_refused(send_raw(port, chunked + "4\r\nabcd\r\n0\r\nX-Pad: " + std::string(17000, 'p') +
                                     "\r\n\r\n"),
                  431, "headers-too-large");
    std::string trailers = chunked + "4\r\nabcd\r\n0\r\n";
    for (int i = 0; i < 1000; ++i) trailers += "X-T" + std::to_string(i) + ": 0123456789\r\n";
    check_refused(send_raw(port, trailers + "\r\n"), 431, "headers-too-large");
    // Small ones are fine: the upload is stored.
    const auto fine = send_raw(port, chunked +
                                         "4;name=value\r\nabcd\r\n2\r\nef\r\n0\r\nX-Sum: 1\r\n"
                                         "\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n"
                                         "Connection: close\r\n\r\n");
    CAPTURE(fine.text);
    CHECK(fine.status == 201);
    CHECK(fine.text.find("\"size\":6") != std::string::npos);
    CHECK(fine.responses == 2);  // the pipelined request after it is answered too
  }

  CHECK(server.stop() == 0);
  // The access log: refusals, the accepted HTTP/1.0 health check and the accepted chunked upload
  // with the request after it; never the smuggled request, never an upload of a refused request.
  int uploads = 0;
  for (const std::string& line : server.rest_of_output()) {
    if (line.starts_with("motcua serve:")) continue;
    CAPTURE(line);
    CHECK(line.find("procedures.list") == std::string::npos);
    if (line.find("\"route\":\"attachments.upload\"") != std::string::npos) {
      ++uploads;
      CHECK(line.find("\"status\":201") != std::string::npos);
    }
  }
  CHECK(uploads <= 1);
}

}  // namespace motcua::api::e2e
