// Attachments: anyone uploads bytes (content-addressed, deduplicated). Reading them back is least
// privilege:
//  - an officer reads an attachment only when a dossier their agency handles (one of the
//    dossier's agency ids) cites it among its current components;
//  - the uploader, before any dossier cites it, with the read capability the upload answered
//    (X-Attachment-Capability): HMAC-SHA256 of the SHA-256 under the server's key. Anyone who can
//    upload the bytes gets it, and they hold the bytes already; once a dossier cites the
//    attachment it is part of that dossier, read by its officers (and the applicant through
//    tracking), so the capability no longer opens it.
// Refusals do not tell whether the attachment exists.
// The bytes go back with their media type only when it is on an allow-list of types a browser
// renders without running them (PDF, raster images, XML under a sandboxing Content-Security-
// Policy); anything else -- text/html, SVG, JavaScript, whatever an uploader claimed -- is sent as
// application/octet-stream to be saved, never rendered (X-Content-Type-Options: nosniff is set on
// every answer by the server).
#include <algorithm>
#include <cctype>
#include <iterator>

#include "api/api.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"
#include "api/password.hpp"
#include "base/hex.hpp"

namespace motcua::api {
namespace {

engine::Result<std::string> capability(const Context& c, std::string_view sha) {
  return hmac_sha256_base64url(c.settings.server_key, sha);
}

// The stored media type as served: lowercase, without parameters or spaces.
std::string base_media_type(std::string_view stored) {
  std::string type(stored.substr(0, stored.find(';')));
  std::erase_if(type, [](unsigned char ch) { return std::isspace(ch) != 0; });
  for (char& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return type;
}

constexpr std::string_view kRendered[] = {"application/pdf", "image/png",  "image/jpeg",
                                          "image/gif",       "image/webp", "image/tiff",
                                          "application/xml", "text/xml"};

// Content-Type, Content-Disposition and Content-Security-Policy for an attachment.
void describe(Response& r, std::string_view stored, std::string_view sha) {
  const std::string type = base_media_type(stored);
  const bool rendered =
      std::find(std::begin(kRendered), std::end(kRendered), type) != std::end(kRendered);
  if (!rendered) {
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + std::string(sha) + "\"");
    return;
  }
  r.content_type = type;
  // XML may carry XHTML and script; a sandbox without scripts renders it inert. (Not on PDF: the
  // browsers' PDF viewers refuse to run in a sandboxed document.)
  if (type.ends_with("/xml"))
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
}

Response upload(Context& c, Call& call) {
  std::string type(call.request.header("content-type"));
  type = type.substr(0, type.find(';'));
  if (type.empty() || type.find('/') == std::string::npos || type.size() > 255)
    return problem(call.request, 415, problem_code::kUnsupportedMediaType,
                   "send the bytes with their media type as Content-Type");
  if (call.request.body.empty())
    return problem(call.request, 422, problem_code::kInvalidInput, "an attachment cannot be empty");
  auto sha = c.deps.attachments->put(call.request.body, type);
  if (!sha) return problem(call.request, sha.error());
  auto read_capability = capability(c, *sha);
  if (!read_capability) return problem(call.request, read_capability.error());
  Response r = json_response(201, {{"sha256", *sha},
                                   {"size", call.request.body.size()},
                                   {"media_type", type},
                                   {"read_capability", *read_capability}});
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response read(Context& c, Call& call) {
  const std::string& sha = call.params.at("sha256");
  const Principal* officer = call.principal;
  const std::string_view presented = call.request.header("x-attachment-capability");
  if (!officer && presented.empty()) {
    Response r = problem(call.request, 401, problem_code::kUnauthorized,
                         "sign in as an officer, or send the upload's read capability");
    r.headers.emplace_back("WWW-Authenticate", "Bearer");
    return r;
  }
  const auto denied = [&] {
    return problem(call.request, 403, problem_code::kForbidden,
                   officer ? "no dossier your agency handles cites this attachment"
                           : "the capability does not open this attachment");
  };
  if (!base::is_sha256_hex(sha)) return denied();
  bool allowed = false;
  if (officer) {
    auto cited = c.deps.statistics->cites_attachment(sha, officer->agency_id);
    if (!cited) return problem(call.request, cited.error());
    allowed = *cited;
  } else if (auto expected = capability(c, sha); !expected) {
    return problem(call.request, expected.error());
  } else if (equal_constant_time(presented, *expected)) {
    auto cited = c.deps.statistics->cites_attachment(sha, {});
    if (!cited) return problem(call.request, cited.error());
    allowed = !*cited;
  }
  if (!allowed) return denied();
  auto a = c.deps.attachments->get(sha);
  if (!a) return problem(call.request, a.error());
  Response r;
  describe(r, a->media_type, sha);
  r.body = std::move(a->content);
  r.headers.emplace_back("Cache-Control", "private, no-store");
  return r;
}

}  // namespace

void add_attachment_routes(Router& router, Context& c) {
  router.add({"POST", "/api/v1/attachments", "attachments.upload", Access::kPublic,
              c.settings.upload_limit, [&c](Call& call) { return upload(c, call); }});
  router.add({"GET", "/api/v1/attachments/{sha256}", "attachments.get", Access::kOfficerOrAnonymous,
              0, [&c](Call& call) { return read(c, call); }});
}

}  // namespace motcua::api
