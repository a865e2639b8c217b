#include "api/internal/problem.hpp"

#include <boost/json.hpp>
#include <cstdio>

namespace motcua::api {
namespace {

struct Entry {
  std::string_view code;
  std::string_view vi;
  std::string_view en;
};

constexpr Entry kTitles[] = {
    {problem_code::kBadRequest, "Yêu cầu không hợp lệ", "Bad request"},
    {problem_code::kMalformedJson, "Nội dung JSON không đúng cú pháp", "Malformed JSON body"},
    {problem_code::kInvalidInput, "Dữ liệu gửi lên không hợp lệ", "Invalid input"},
    {problem_code::kNotFound, "Không tìm thấy", "Not found"},
    {problem_code::kMethodNotAllowed, "Phương thức không được hỗ trợ", "Method not allowed"},
    {problem_code::kUnauthorized, "Chưa xác thực hoặc thông tin đăng nhập không đúng",
     "Not authenticated or wrong credentials"},
    {problem_code::kForbidden, "Không có quyền thực hiện", "Forbidden"},
    {problem_code::kConflict, "Xung đột với trạng thái hiện tại",
     "Conflict with the current state"},
    {problem_code::kStaleVersion, "Hồ sơ đã được cập nhật bởi người khác, hãy tải lại",
     "The dossier changed since you read it; reload it"},
    {problem_code::kIllegalAction, "Thao tác không hợp lệ ở bước hiện tại",
     "Action not available in the current step"},
    {problem_code::kReasonRequired, "Cần nêu rõ lý do", "A reason is required"},
    {problem_code::kComponentsRequired, "Cần liệt kê thành phần hồ sơ",
     "The components must be listed"},
    {problem_code::kSignatureRequired, "Cần chữ ký số", "A digital signature is required"},
    {problem_code::kDeadlinePassed, "Đã quá thời hạn cho thao tác này", "Too late for this action"},
    {problem_code::kAlreadyDone, "Thao tác đã được thực hiện", "Already done"},
    {problem_code::kPayloadTooLarge, "Nội dung gửi lên quá lớn", "Payload too large"},
    {problem_code::kHeadersTooLarge, "Phần đầu yêu cầu quá lớn", "Request headers too large"},
    {problem_code::kUnsupportedMediaType, "Kiểu nội dung không được hỗ trợ",
     "Unsupported media type"},
    {problem_code::kRateLimited, "Quá nhiều yêu cầu, vui lòng thử lại sau",
     "Too many requests; try again later"},
    {problem_code::kLocked, "Tài khoản tạm khoá do đăng nhập sai nhiều lần",
     "Account temporarily locked after repeated failed logins"},
    {problem_code::kUnavailable, "Dịch vụ tạm thời không sẵn sàng",
     "Service temporarily unavailable"},
    {problem_code::kInternal, "Lỗi hệ thống", "Internal error"},
};

// Quality of a language range in Accept-Language ("vi;q=0.8"); -1 when absent.
double quality(std::string_view header, std::string_view lang) {
  double best = -1;
  std::size_t pos = 0;
  while (pos <= header.size()) {
    std::size_t end = header.find(',', pos);
    if (end == std::string_view::npos) end = header.size();
    std::string_view item = header.substr(pos, end - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    std::string_view tag = item.substr(0, item.find(';'));
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    double q = 1.0;
    if (auto qp = item.find(";q="); qp != std::string_view::npos) {
      try {
        q = std::stod(std::string(item.substr(qp + 3)));
      } catch (...) {
        q = 0;
      }
    }
    const bool match = tag.size() >= lang.size() && tag.substr(0, lang.size()) == lang &&
                       (tag.size() == lang.size() || tag[lang.size()] == '-');
    if (match && q > best) best = q;
    pos = end + 1;
  }
  return best;
}

}  // namespace

bool prefers_english(std::string_view accept_language) {
  const double en = quality(accept_language, "en"), vi = quality(accept_language, "vi");
  return en > 0 && en > vi;
}

std::string_view problem_title(std::string_view code, bool english) {
  for (const Entry& e : kTitles) {
    if (e.code == code) return english ? e.en : e.vi;
  }
  return {};
}

Response problem(const Request& request, int status, std::string_view code,
                 std::string_view detail) {
  const bool en = prefers_english(request.header("accept-language"));
  boost::json::object body;
  body["type"] = "https://motcua.dev/problems/" + std::string(code);
  body["title"] = problem_title(code, en);
  body["status"] = status;
  body["code"] = code;
  if (!detail.empty()) body["detail"] = detail;
  if (!request.request_id.empty()) body["request_id"] = request.request_id;
  Response r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.body = boost::json::serialize(body);
  r.headers.emplace_back("Content-Language", en ? "en" : "vi");
  return r;
}

namespace {

// The client gets a stable code only; the operator gets the cause, tied to the request id. Error
// texts name codes and library reasons, never secrets or request bodies.
void log_server_error(const Request& request, const engine::Error& error) {
  std::fprintf(stderr, "motcua serve: request %s: %s%s%s\n", request.request_id.c_str(),
               error.message.c_str(), error.detail.empty() ? "" : " -- ", error.detail.c_str());
}

}  // namespace

Response no_content_or_problem(const Request& request, const engine::Status& done) {
  if (!done) return problem(request, done.error());
  Response r;
  r.status = 204;
  return r;
}

namespace {

// What a client is told about an Error whose code is all it may learn (no public_message).
struct Generic {
  engine::ErrorCode code;
  std::string_view vi;
  std::string_view en;
};

constexpr Generic kGeneric[] = {
    {engine::ErrorCode::kInvalidInput, "Yêu cầu có giá trị không thể chấp nhận.",
     "The request holds a value that cannot be accepted."},
    {engine::ErrorCode::kInvalidDefinition, "Yêu cầu có giá trị không thể chấp nhận.",
     "The request holds a value that cannot be accepted."},
    {engine::ErrorCode::kOutOfRange, "Yêu cầu có giá trị không thể chấp nhận.",
     "The request holds a value that cannot be accepted."},
    {engine::ErrorCode::kNotFound, "Không có tài nguyên này.", "The resource does not exist."},
    {engine::ErrorCode::kConflict,
     "Yêu cầu xung đột với một thay đổi đồng thời; hãy tải lại và thử lại.",
     "The request conflicts with a concurrent change; read again and retry."},
    {engine::ErrorCode::kForbidden, "Bạn không được phép thực hiện thao tác này.",
     "You may not do this."},
    {engine::ErrorCode::kIllegalAction, "Thao tác này hiện không thực hiện được với hồ sơ.",
     "This action is not available for the dossier now."},
    {engine::ErrorCode::kReasonRequired, "Hãy nêu lý do của thao tác này.",
     "Give the reason for this action."},
    {engine::ErrorCode::kComponentsRequired, "Hãy liệt kê các thành phần hồ sơ liên quan.",
     "List the dossier components this action concerns."},
    {engine::ErrorCode::kSignatureRequired, "Thao tác này cần ký số.",
     "This action must be digitally signed."},
    {engine::ErrorCode::kDeadlinePassed, "Đã hết thời hạn cho thao tác này.",
     "The time allowed for this action has passed."},
    {engine::ErrorCode::kAlreadyDone, "Việc này đã được thực hiện.", "This has already been done."},
    {engine::ErrorCode::kIo, "Hệ thống chưa thể xử lý yêu cầu; vui lòng thử lại sau.",
     "The service cannot complete the request now; try again later."},
    {engine::ErrorCode::kInternal, "Hệ thống gặp lỗi; hãy nêu mã yêu cầu (request_id) khi báo lỗi.",
     "The service failed; quote the request id when you report it."},
};

std::string_view generic_detail(engine::ErrorCode code, bool english) {
  for (const Generic& g : kGeneric) {
    if (g.code == code) return english ? g.en : g.vi;
  }
  return {};
}

}  // namespace

Response problem(const Request& request, const engine::Error& error) {
  using engine::ErrorCode;
  namespace pc = problem_code;
  // Only the text written for the client; message and detail may hold library or driver text.
  const std::string_view m =
      !error.public_message.empty()
          ? std::string_view(error.public_message)
          : generic_detail(error.code, prefers_english(request.header("accept-language")));
  switch (error.code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kInvalidDefinition:
    case ErrorCode::kOutOfRange:
      return problem(request, 422, pc::kInvalidInput, m);
    case ErrorCode::kNotFound:
      return problem(request, 404, pc::kNotFound, m);
    case ErrorCode::kIllegalAction:
      return problem(request, 409, pc::kIllegalAction, m);
    case ErrorCode::kForbidden:
      return problem(request, 403, pc::kForbidden, m);
    case ErrorCode::kReasonRequired:
      return problem(request, 422, pc::kReasonRequired, m);
    case ErrorCode::kComponentsRequired:
      return problem(request, 422, pc::kComponentsRequired, m);
    case ErrorCode::kSignatureRequired:
      return problem(request, 422, pc::kSignatureRequired, m);
    case ErrorCode::kDeadlinePassed:
      return problem(request, 409, pc::kDeadlinePassed, m);
    case ErrorCode::kAlreadyDone:
      return problem(request, 409, pc::kAlreadyDone, m);
    case ErrorCode::kConflict:
      return problem(request, 409, pc::kConflict, m);
    case ErrorCode::kIo: {
      // The database or a file is unavailable for now (store/ reconnects with backoff).
      log_server_error(request, error);
      Response r = problem(request, 503, pc::kUnavailable, m);
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    case ErrorCode::kInternal:
      break;
  }
  log_server_error(request, error);
  return problem(request, 500, pc::kInternal, m);
}

}  // namespace motcua::api
