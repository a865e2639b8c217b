// Attachments: anyone uploads bytes (content-addressed, deduplicated); officers read them back.
#include "api/api.hpp"
#include "api/json.hpp"
#include "api/password.hpp"
#include "api/problem.hpp"

namespace motcua::api {

void add_attachment_routes(Router& router, Context& c) {
  router.add({"POST", "/api/v1/attachments", "attachments.upload", Access::kPublic,
              c.settings.upload_limit, [&c](Call& call) {
                std::string type(call.request.header("content-type"));
                type = type.substr(0, type.find(';'));
                if (type.empty() || type.find('/') == std::string::npos || type.size() > 255)
                  return problem(call.request, 415, problem_code::kUnsupportedMediaType,
                                 "send the bytes with their media type as Content-Type");
                if (call.request.body.empty())
                  return problem(call.request, 422, problem_code::kInvalidInput,
                                 "an attachment cannot be empty");
                auto sha = c.deps.attachments->put(call.request.body, type);
                if (!sha) return problem(call.request, sha.error());
                return json_response(
                    201,
                    {{"sha256", *sha}, {"size", call.request.body.size()}, {"media_type", type}});
              }});
  router.add({"GET", "/api/v1/attachments/{sha256}", "attachments.get", Access::kOfficer, 0,
              [&c](Call& call) {
                const std::string& sha = call.params.at("sha256");
                if (sha.size() != 64) return problem(call.request, 404, problem_code::kNotFound);
                auto a = c.deps.attachments->get(sha);
                if (!a) return problem(call.request, a.error());
                Response r;
                r.content_type = a->media_type;
                r.body = std::move(a->content);
                return r;
              }});
}

}  // namespace motcua::api
