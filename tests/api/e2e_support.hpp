#pragma once
// End-to-end support: starts the real `motcua serve` on a free port (against MOTCUA_TEST_PG in a
// database of its own, else SQLite in a temporary directory), reads the bound address and the demo
// officers' one-time passwords from its stdout, and talks HTTP to it with a small Beast client.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace motcua::api::e2e {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// The built binary (cmake/motcua_module.cmake builds it before every suite); missing fails.
inline std::string motcua_binary() {
  const std::string path = MOTCUA_EXE;
  REQUIRE_MESSAGE(std::filesystem::exists(path), "the motcua binary is missing: " << path);
  return path;
}

// A database URL for one server: a fresh PostgreSQL database next to MOTCUA_TEST_PG's, or SQLite.
inline std::string fresh_database_url(const std::string& name) {
  const char* pg = std::getenv("MOTCUA_TEST_PG");
  if (pg && *pg) {
    std::string url(pg);
    const auto slash = url.find("/", url.find("@") + 1);
    const auto query = url.find('?', slash);
    std::string admin = url.substr(0, slash + 1) + "postgres" + url.substr(query);
    std::string mine = url.substr(0, slash + 1) + name + url.substr(query);
    const std::string cmd = "psql -X -q '" + admin + "' -c 'DROP DATABASE IF EXISTS " + name +
                            "' -c 'CREATE DATABASE " + name + "' >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    return mine;
  }
  const auto dir = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-api";
  std::filesystem::create_directories(dir);
  const std::string file = (dir / (name + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file + suffix);
  return "sqlite3://" + file;
}

// The demo PKI of this test run: the first server made it (serve makes it when missing), the
// others reuse it. Removed at first use, so every run starts from keys made by today's scripts.
inline std::string demo_pki_dir() {
  static const std::string dir = [] {
    const auto path = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-api" / "demo-pki";
    std::filesystem::remove_all(path);
    return path.string();
  }();
  return dir;
}

// A blocking TCP connection to 127.0.0.1:`port` whose reads give up after `timeout` (a server
// that keeps silent fails the test instead of hanging it). The caller closes it.
inline int connect_loopback(unsigned short port, std::chrono::seconds timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  const timeval limit{static_cast<time_t>(timeout.count()), 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    FAIL("cannot connect to 127.0.0.1:" << port);
  }
  return fd;
}

// A token for `motcua serve --metrics-token`, and the file holding it.
inline const std::string kMetricsToken = "metrics-0123456789abcdef0123456789abcdef";
inline std::string metrics_token_file() {
  const auto path = std::filesystem::path(MOTCUA_BINARY_DIR) / "test-api" / "metrics.token";
  std::filesystem::create_directories(path.parent_path());
  std::FILE* out = std::fopen(path.c_str(), "w");
  REQUIRE(out != nullptr);
  std::fprintf(out, "%s\n", kMetricsToken.c_str());
  std::fclose(out);
  return path.string();
}

class ServeProcess {
 public:
  ServeProcess(const std::string& db_url, std::vector<std::string> extra = {}) {
    const std::string pki = demo_pki_dir();  // before fork: the parent keeps the static
    int out[2];
    REQUIRE(pipe(out) == 0);
    pid_ = fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      close(out[1]);
      std::vector<std::string> args{motcua_binary(), "serve",    "--db",
                                    db_url,          "--listen", "127.0.0.1:0"};
      args.insert(args.end(), extra.begin(), extra.end());
      if (std::find(extra.begin(), extra.end(), "--no-demo") == extra.end() &&
          std::find(extra.begin(), extra.end(), "--demo-pki") == extra.end()) {
        args.insert(args.end(), {"--demo-pki", pki});
      }
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    close(out[1]);
    out_ = fdopen(out[0], "r");
    char line[4096];
    while (std::fgets(line, sizeof line, out_)) {
      std::string text(line);
      char login[128], agency[64], roles[128], password[128];
      if (std::sscanf(line, "demo officer %127s agency %63s roles %127s password %127s", login,
                      agency, roles, password) == 4)
        passwords[login] = password;
      if (auto at = text.find("metrics on http"); at != std::string::npos) {
        const std::string endpoint = text.substr(text.find("://", at) + 3);
        metrics_port =
            static_cast<unsigned short>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
      }
      if (auto at = text.find("listening on http"); at != std::string::npos) {
        const std::string endpoint = text.substr(text.find("://", at) + 3);
        const auto colon = endpoint.rfind(':');
        port = static_cast<unsigned short>(std::stoi(endpoint.substr(colon + 1)));
        break;
      }
    }
    REQUIRE_MESSAGE(port != 0, "motcua serve did not start");
  }

  // Sends SIGTERM and returns the exit status (the server drains and stops cleanly: 0).
  int stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  // Sends SIGTERM without waiting (see wait_exit()).
  void terminate() {
    if (pid_ > 0) kill(pid_, SIGTERM);
  }
  // The exit status once the process has ended, polling for at most `limit`; nullopt when it is
  // still running then.
  std::optional<int> wait_exit(std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (pid_ > 0) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      if (std::chrono::steady_clock::now() >= until) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::nullopt;
  }
  // Everything the server printed after its start-up lines (the access log); call after stop().
  std::vector<std::string> rest_of_output() {
    std::vector<std::string> lines;
    char line[8192];
    while (out_ && std::fgets(line, sizeof line, out_)) lines.emplace_back(line);
    return lines;
  }
  ~ServeProcess() {
    stop();
    if (out_) std::fclose(out_);
  }

  unsigned short port = 0;
  unsigned short metrics_port = 0;  // with --metrics-listen
  std::map<std::string, std::string> passwords;

 private:
  pid_t pid_ = -1;
  std::FILE* out_ = nullptr;
};

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;
  std::string body;
  boost::json::value json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    return ec ? boost::json::value() : v;
  }
  // A response header by name, in any case ("" when absent).
  std::string header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key.size() == name.size() &&
          std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
          }))
        return value;
    }
    return {};
  }
  std::string code() const {
    auto v = json();
    if (!v.is_object() || !v.as_object().contains("code")) return {};
    return std::string(v.as_object().at("code").as_string());
  }
};

// One keep-alive connection.
class Client {
 public:
  explicit Client(unsigned short port) : stream_(ioc_) {
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }
  Reply send(const std::string& method, const std::string& target, const std::string& body = {},
             std::map<std::string, std::string> headers = {}) {
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!body.empty() && !headers.count("Content-Type"))
      headers["Content-Type"] = "application/json";
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(stream_, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64u << 20);
    if (method == "HEAD") parser.skip(true);  // a HEAD answer has no body, whatever its length
    http::read(stream_, buffer_, parser);
    Reply r;
    r.status = static_cast<int>(parser.get().result_int());
    for (const auto& f : parser.get())
      r.headers[std::string(f.name_string())] = std::string(f.value());
    r.body = parser.get().body();
    return r;
  }
  Reply json(const std::string& method, const std::string& target, const boost::json::value& body,
             std::map<std::string, std::string> headers = {}) {
    return send(method, target, boost::json::serialize(body), std::move(headers));
  }
  // Writes raw bytes (ignoring a write error: the server may close early) and reads the reply.
  Reply raw(const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(stream_.socket(), asio::buffer(bytes), ec);
    http::response_parser<http::string_body> parser;
    http::read(stream_, buffer_, parser, ec);
    Reply r;
    if (ec && !parser.is_header_done()) return r;
    r.status = static_cast<int>(parser.get().result_int());
    r.body = parser.get().body();
    return r;
  }
  beast::tcp_stream& stream() { return stream_; }

 private:
  asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

inline std::map<std::string, std::string> bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

}  // namespace motcua::api::e2e
