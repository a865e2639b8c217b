#pragma once
// The problem+json answer to a request the server refused before any handler saw it (Refusal,
// api/server.hpp): its status, a stable code and a sentence in Vietnamese or English saying what
// to change. Shared by every RequestHandler of api/. Thread-safe (a pure function).
#include "api/http.hpp"
#include "api/server.hpp"

namespace motcua::api {

Response refusal_problem(const Request& request, Refusal why);

}  // namespace motcua::api
