// libFuzzer target: the JSON request bodies of the API's routes, through the readers the routes
// call (api/internal/json.hpp, api/internal/dossier_input.hpp):
//   first byte 's': the rest is a body of POST /api/v1/dossiers (read_submission);
//   first byte 'a': a body of POST /api/v1/dossiers/{code}/actions and
//                   /api/v1/tracking/{code}/actions (read_action);
//   any other:      a body of the routes that read their members inline (auth.login, the admin
//                   routes): parse_object, then every typed reader of Fields on every member.
// The request carries Content-Type application/json and an Idempotency-Key, as the routes expect.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "api/internal/dossier_input.hpp"
#include "api/internal/json.hpp"

namespace {

using namespace motcua::api;

void read_generic(const Request& request) {
  auto body = parse_object(request);
  if (!body) {
    if (body.error().status < 400) std::abort();
    return;
  }
  Fields f(*body);
  for (const auto& member : *body) {
    (void)f.string(member.key(), true, 64);
    (void)f.integer(member.key());
    (void)f.boolean(member.key());
    (void)f.array(member.key());
    (void)f.object(member.key());
  }
  if (!f.ok() && f.error().empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Request request;
  request.method = "POST";
  request.headers["content-type"] = "application/json";
  request.headers["idempotency-key"] = "fuzz-key-1";
  request.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0]) {
    case 's': {
      auto read = read_submission(request);
      if (!read && read.error().status < 400) std::abort();
      break;
    }
    case 'a': {
      auto read = read_action(request, "000.00.14.H20-261127-0007");
      if (!read && read.error().status < 400) std::abort();
      break;
    }
    default:
      read_generic(request);
  }
  return 0;
}
