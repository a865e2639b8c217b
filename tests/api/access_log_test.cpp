// AccessLog: lines are queued by write() and written by the log's own thread, whole and in order;
// a sink that stops reading never blocks write(): lines beyond the queue's bound are dropped and
// counted, and the count is logged once the sink drains.
#include "api/access_log.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

namespace motcua::api {
namespace {

Request request(int i) {
  Request r;
  r.method = "GET";
  r.path = "/api/v1/tracking/000.01.21.H57-261127-" + std::to_string(i);
  r.client = "127.0.0.1";
  r.request_id = "req-" + std::to_string(i);
  return r;
}

std::vector<boost::json::value> lines_of(const std::string& text) {
  std::vector<boost::json::value> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    REQUIRE(end != std::string::npos);  // every line is whole
    out.push_back(boost::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("AccessLog writes every line whole and in order, from several threads") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  {
    AccessLog log(file);
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t) {
      writers.emplace_back([&log, t] {
        for (int i = 0; i < 250; ++i)
          log.write(request(t * 1000 + i), "tracking.get", 200, 10, 0.001, {});
      });
    }
    for (auto& w : writers) w.join();
  }  // the destructor writes what is queued
  std::rewind(file);
  std::string text;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, file)) > 0;) text.append(buffer, n);
  std::fclose(file);
  const auto lines = lines_of(text);
  CHECK(lines.size() == 1000);
  std::vector<int> last(4, -1);
  for (const auto& line : lines) {
    const std::string id(line.at("request_id").as_string());
    const int n = std::stoi(id.substr(4));
    CHECK(n % 1000 > last[n / 1000]);  // each thread's lines keep their order
    last[n / 1000] = n % 1000;
  }
}

TEST_CASE("AccessLog never blocks on a sink that stops reading: it drops and counts") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::FILE* sink = fdopen(fds[1], "w");
  REQUIRE(sink != nullptr);
  std::string drained;
  std::thread reader;
  {
    AccessLog log(sink);
    // Nobody reads the pipe: the writer thread soon blocks in fwrite; write() must not. The writer
    // may take up to kMaxQueued bytes into its batch before it blocks, and the queue holds as much
    // again: with lines of at least 100 bytes, this many always overflow both, however the
    // threads are scheduled.
    const std::size_t lines = 2 * AccessLog::kMaxQueued / 100 + 20000;
    for (std::size_t i = 0; i < lines; ++i)
      log.write(request(static_cast<int>(i)), "tracking.get", 200, 10, 0.001, {});
    // Now read everything, which lets the writer finish; the destructor waits for it.
    reader = std::thread([&] {
      char buffer[65536];
      for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;)
        drained.append(buffer, static_cast<std::size_t>(n));
    });
  }
  std::fclose(sink);  // EOF for the reader
  reader.join();
  close(fds[0]);
  // The premise of the count above: every request line is at least 100 bytes.
  for (std::size_t at = 0, end; (end = drained.find('\n', at)) != std::string::npos; at = end + 1) {
    if (drained.compare(at, 15, "{\"access_log\":\"") != 0) REQUIRE(end - at >= 100);
  }
  REQUIRE(drained.find("\"access_log\":\"dropped\"") != std::string::npos);
  const auto lines = lines_of(drained);
  std::size_t dropped = 0, written = 0;
  for (const auto& line : lines) {
    if (line.as_object().contains("access_log")) {
      dropped += static_cast<std::size_t>(line.at("lines").as_int64());
    } else {
      ++written;
    }
  }
  CHECK(dropped > 0);
  CHECK(written + dropped == 2 * AccessLog::kMaxQueued / 100 + 20000);
}

}  // namespace motcua::api
