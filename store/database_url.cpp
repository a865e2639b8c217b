#include "store/database_url.hpp"

#include <algorithm>
#include <charconv>

namespace motcua::store {
namespace {

using engine::ErrorCode;
using engine::fail;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_port(std::string_view s) {
  int port = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), port);
  return ec == std::errc() && end == s.data() + s.size() && port >= 1 && port <= 65535 &&
         s.front() != '0';
}

bool is_key(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

}  // namespace

engine::Result<DatabaseUrl> parse_database_url(std::string_view url) {
  if (url.size() > 4096) return fail(ErrorCode::kInvalidInput, "database URL is too long");
  if (std::any_of(url.begin(), url.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; }))
    return fail(ErrorCode::kInvalidInput, "database URL contains control characters");
  DatabaseUrl out;
  if (starts_with(url, "sqlite3://")) {
    out.backend = Backend::kSqlite3;
    out.sqlite_path = std::string(url.substr(10));
    if (out.sqlite_path.empty())
      return fail(ErrorCode::kInvalidInput,
                  "sqlite3:// URL needs a file path, e.g. sqlite3://var/motcua.db");
    if (out.sqlite_path.find('?') != std::string::npos)
      return fail(ErrorCode::kInvalidInput, "sqlite3:// URL takes no parameters");
    if (out.sqlite_path.back() == '/')
      return fail(ErrorCode::kInvalidInput, "sqlite3:// URL names a directory, not a file");
    out.redacted = std::string(url);
    return out;
  }
  std::string_view rest;
  if (starts_with(url, "postgresql://"))
    rest = url.substr(13);
  else if (starts_with(url, "postgres://"))
    rest = url.substr(11);
  else
    return fail(ErrorCode::kInvalidInput,
                "unknown database URL scheme (expected sqlite3:// or postgresql://)");
  out.backend = Backend::kPostgresql;
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos)
    return fail(ErrorCode::kInvalidInput,
                "postgresql:// URL needs a database name: postgresql://user@host/dbname");
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = rest.substr(slash + 1);
  std::string_view query;
  if (auto q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  if (path.empty() || path.find('/') != std::string_view::npos)
    return fail(ErrorCode::kInvalidInput,
                "postgresql:// URL needs a database name: postgresql://user@host/dbname");

  std::string redacted_authority(authority);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view user = authority.substr(0, at);
    if (user.empty() || user.front() == ':')
      return fail(ErrorCode::kInvalidInput, "postgresql:// URL has an empty user name before '@'");
    if (auto colon = user.find(':'); colon != std::string_view::npos)
      redacted_authority =
          std::string(user.substr(0, colon)) + ":***" + std::string(authority.substr(at));
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority;
  if (!host.empty() && host.front() == '[') {  // [IPv6]:port
    auto close = host.find(']');
    if (close == std::string_view::npos)
      return fail(ErrorCode::kInvalidInput, "postgresql:// URL has an unclosed '['");
    std::string_view after = host.substr(close + 1);
    if (!after.empty() && (after.front() != ':' || !is_port(after.substr(1))))
      return fail(ErrorCode::kInvalidInput, "postgresql:// URL has a bad port");
  } else if (auto colon = host.find(':'); colon != std::string_view::npos) {
    if (!is_port(host.substr(colon + 1)))
      return fail(ErrorCode::kInvalidInput, "postgresql:// URL has a bad port (1-65535)");
  }
  std::string_view params = query;
  while (!params.empty()) {
    auto amp = params.find('&');
    std::string_view pair = params.substr(0, amp);
    params = amp == std::string_view::npos ? std::string_view() : params.substr(amp + 1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || !is_key(pair.substr(0, eq)) || eq + 1 == pair.size())
      return fail(ErrorCode::kInvalidInput,
                  "postgresql:// URL has a malformed parameter (expected key=value)");
    std::string_view key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (key == "port" && !is_port(value))
      return fail(ErrorCode::kInvalidInput, "postgresql:// URL has a bad port (1-65535)");
    if (key == "password")
      return fail(ErrorCode::kInvalidInput,
                  "postgresql:// URL: give the password in the user part or PGPASSFILE, not as a "
                  "parameter");
  }
  out.conninfo = std::string(url);
  out.redacted = std::string(url.substr(0, url.find("://") + 3)) + redacted_authority + "/" +
                 std::string(path) + (query.empty() ? "" : "?" + std::string(query));
  return out;
}

}  // namespace motcua::store
