// What a client reads of an engine::Error: its public_message or a generic sentence for its code,
// never the operator's message or detail, which may quote a driver or a library.
#include "api/internal/problem.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "api/internal/json.hpp"
#include "engine/error.hpp"

namespace motcua::api {
namespace {

using engine::ErrorCode;

constexpr ErrorCode kEveryCode[] = {
    ErrorCode::kInvalidInput,
    ErrorCode::kInvalidDefinition,
    ErrorCode::kNotFound,
    ErrorCode::kIllegalAction,
    ErrorCode::kForbidden,
    ErrorCode::kReasonRequired,
    ErrorCode::kComponentsRequired,
    ErrorCode::kSignatureRequired,
    ErrorCode::kDeadlinePassed,
    ErrorCode::kAlreadyDone,
    ErrorCode::kConflict,
    ErrorCode::kOutOfRange,
    ErrorCode::kIo,
    ErrorCode::kInternal,
};

// Texts as SQLite (through SOCI), the OpenSSL error queue and libxml2 word them.
const std::vector<std::string> kLibraryTexts = {
    "sqlite3_statement_backend::prepare: no such table: dossiers while preparing \"SELECT\"",
    "error:0480006C:PEM routines::no start line",
    "Entity 'xxe' not defined",
    "server closed the connection unexpectedly\n\tThis probably means the server terminated "
    "abnormally",
};

// What `run` writes to stderr.
template <class F>
std::string stderr_of(F run) {
  std::fflush(stderr);
  std::FILE* capture = std::tmpfile();
  REQUIRE(capture);
  const int saved = dup(fileno(stderr));
  dup2(fileno(capture), fileno(stderr));
  run();
  std::fflush(stderr);
  dup2(saved, fileno(stderr));
  close(saved);
  std::string text;
  std::rewind(capture);
  for (int ch; (ch = std::fgetc(capture)) != EOF;) text += static_cast<char>(ch);
  std::fclose(capture);
  return text;
}

}  // namespace

TEST_CASE("Problems never carry an Error's message or detail: driver and library text stays out") {
  Request request;
  request.request_id = "r-42";
  for (ErrorCode code : kEveryCode) {
    for (const std::string& text : kLibraryTexts) {
      CAPTURE(engine::to_string(code));
      CAPTURE(text);
      const engine::Error error{code, "store failed: " + text, text};
      Response r;
      const std::string log = stderr_of([&] { r = problem(request, error); });
      CHECK(r.body.find(text) == std::string::npos);
      CHECK(r.body.find("store failed") == std::string::npos);
      auto body = boost::json::parse(r.body).as_object();
      CHECK(body.at("request_id") == "r-42");
      CHECK(!body.at("detail").as_string().empty());  // the code's generic sentence
      if (r.status >= 500) {
        // The operator still learns the cause, tied to the request id.
        CHECK(log.find("r-42") != std::string::npos);
        CHECK(log.find(text) != std::string::npos);
      }
    }
  }
}

TEST_CASE("Problems carry the public_message of a denied request, and deny() sets it") {
  Request request;
  request.headers["accept-language"] = "en";
  engine::Status denied =
      engine::deny(ErrorCode::kReasonRequired, "a refusal needs a reason", "rule R7");
  CHECK(denied.error().public_message == "a refusal needs a reason");
  CHECK(denied.error().message == "a refusal needs a reason");
  Response r = problem(request, denied.error());
  CHECK(r.status == 422);
  auto body = boost::json::parse(r.body).as_object();
  CHECK(body.at("detail") == "a refusal needs a reason");
  CHECK(r.body.find("rule R7") == std::string::npos);
  // fail() is for the operator only.
  engine::Status failed = engine::fail(ErrorCode::kNotFound, "no dossier X in table dossiers");
  CHECK(failed.error().public_message.empty());
  CHECK(problem(request, failed.error()).body.find("dossiers") == std::string::npos);
}

TEST_CASE("A malformed JSON body is answered without the parser's own wording") {
  Request request;
  request.headers["content-type"] = "application/json";
  request.body = "{\"a\": [1, 2";
  auto parsed = parse_object(request);
  REQUIRE(!parsed);
  CHECK(parsed.error().status == 400);
  auto body = boost::json::parse(parsed.error().body).as_object();
  CHECK(body.at("code") == "malformed-json");
  CHECK(body.at("detail") == "the body is not well-formed JSON");
}

TEST_CASE("An unavailable database (kIo) is a 503 with Retry-After, in Vietnamese or English") {
  const engine::Error lost{ErrorCode::kIo,
                           "committing failed: the database connection is lost or unavailable",
                           "terminating connection due to administrator command"};
  for (const char* language : {"vi", "en"}) {
    CAPTURE(language);
    Request request;
    request.headers["accept-language"] = language;
    Response r;
    stderr_of([&] { r = problem(request, lost); });
    CHECK(r.status == 503);
    const auto retry = std::find_if(r.headers.begin(), r.headers.end(),
                                    [](const auto& h) { return h.first == "Retry-After"; });
    REQUIRE(retry != r.headers.end());
    CHECK(retry->second == "1");
    auto body = boost::json::parse(r.body).as_object();
    CHECK(body.at("code") == "unavailable");
    CHECK(std::string(body.at("detail").as_string()) ==
          (std::string(language) == "en"
               ? "The service cannot complete the request now; try again later."
               : "Hệ thống chưa thể xử lý yêu cầu; vui lòng thử lại sau."));
    CHECK(r.body.find("terminating") == std::string::npos);
  }
}

}  // namespace motcua::api
