#pragma once
// ISO 8601 instants as the signing module reads and writes them (verification time, XAdES
// SigningTime): "YYYY-MM-DDTHH:MM:SSZ", optionally with fractional seconds or a "+hh:mm" offset.
#include <ctime>
#include <string>
#include <string_view>

#include "signing/error.hpp"

namespace motcua::signing {

// Errors: kInvalidArgument when `text` is not such an instant.
Result<std::time_t> parse_time(std::string_view text);
std::string format_time(std::time_t t);  // UTC, "Z"

}  // namespace motcua::signing
