#pragma once
// The limits the server (server.cpp) puts on Boost.Beast's request parser, in the two phases of
// reading a request, in one place: fuzz/http_request_fuzz.cpp parses requests with exactly these
// settings. Templates over the parser type, so that this header needs no Beast include.
#include <cstddef>
#include <cstdint>
#include <limits>

namespace motcua::api {

// Before the header is read: the header at most `header_limit` bytes (ServerOptions::header_limit,
// a larger one is answered 431) and no body limit yet, since the route is not known; a
// Content-Length above the route's limit is answered 413 once the header is routed.
template <class Parser>
void limit_header_read(Parser& parser, std::size_t header_limit) {
  parser.header_limit(static_cast<std::uint32_t>(header_limit));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
}

// Once routed: the body at most `route_limit` bytes (RequestHandler::route's answer).
template <class Parser>
void limit_body_read(Parser& parser, std::size_t route_limit) {
  parser.body_limit(route_limit);
}

}  // namespace motcua::api
