#include "signing/time_format.hpp"

#include "signing/internal/x509_util.hpp"

namespace motcua::signing {

Result<std::time_t> parse_time(std::string_view text) {
  std::time_t t = 0;
  if (!internal::parse_utc(text, &t)) {
    std::string message(1, '\'');
    message.append(text);
    message += "' is not a time like 2026-11-27T08:30:00Z or 2026-11-27T15:30:00+07:00";
    return fail(ErrorCode::kInvalidArgument, std::move(message));
  }
  return t;
}

std::string format_time(std::time_t t) { return internal::format_utc(t); }

}  // namespace motcua::signing
