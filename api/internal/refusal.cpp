#include "api/internal/refusal.hpp"

#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

struct Text {
  Refusal why;
  std::string_view code;
  std::string_view vi;
  std::string_view en;
};

constexpr Text kTexts[] = {
    {Refusal::kMalformed, problem_code::kBadRequest, "Yêu cầu HTTP không đúng cú pháp.",
     "The HTTP request is malformed."},
    {Refusal::kTransferEncoding, problem_code::kBadRequest,
     "Chỉ chấp nhận Transfer-Encoding: chunked (một lần, không kèm Content-Length, với HTTP/1.1).",
     "Only Transfer-Encoding: chunked is accepted (once, without Content-Length, in HTTP/1.1)."},
    {Refusal::kHost, problem_code::kBadRequest, "Yêu cầu HTTP/1.1 phải có đúng một trường Host.",
     "An HTTP/1.1 request must carry exactly one Host field."},
    {Refusal::kBodyTooLarge, problem_code::kPayloadTooLarge,
     "Nội dung gửi lên vượt quá giới hạn của địa chỉ này.",
     "The body is larger than this address accepts."},
    {Refusal::kHeaderTooLarge, problem_code::kHeadersTooLarge,
     "Phần đầu yêu cầu, cùng phần mở rộng chunk và trailer, vượt quá giới hạn.",
     "The header, with chunk extensions and trailers, is larger than the limit."},
};

}  // namespace

Response refusal_problem(const Request& request, Refusal why) {
  const bool en = prefers_english(request.header("accept-language"));
  for (const Text& t : kTexts) {
    if (t.why == why) return problem(request, refusal_status(why), t.code, en ? t.en : t.vi);
  }
  return problem(request, refusal_status(why), problem_code::kBadRequest);
}

}  // namespace motcua::api
