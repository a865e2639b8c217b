#include "api/internal/dossier_input.hpp"

#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

std::optional<Response> read_components(const Request& request, Fields& f,
                                        const boost::json::array* array,
                                        std::vector<engine::ComponentInput>& out) {
  if (!array) return std::nullopt;
  if (array->size() > engine::limits::kComponents)
    return problem(request, 422, problem_code::kInvalidInput, "too many components");
  for (const boost::json::value& item : *array) {
    if (!item.is_object())
      return problem(request, 422, problem_code::kInvalidInput, "each component must be an object");
    Fields c(item.as_object());
    engine::ComponentInput in;
    in.component_id = c.string("component", true, 200).value_or("");
    in.attachment_sha256 = c.string("sha256", true, 64).value_or("");
    in.digitised = c.boolean("digitised").value_or(false);
    in.reused_from = c.string("reused_from", false, 200).value_or("");
    in.from_citizen_store = c.boolean("from_citizen_store").value_or(false);
    if (!c.ok()) return problem(request, 422, problem_code::kInvalidInput, c.error());
    out.push_back(std::move(in));
  }
  (void)f;
  return std::nullopt;
}

std::optional<Response> idempotency_key(const Request& request, std::string& out) {
  std::string_view key = request.header("idempotency-key");
  if (key.size() > engine::limits::kIdempotencyKeyBytes)
    return problem(request, 422, problem_code::kInvalidInput, "Idempotency-Key is too long");
  out = std::string(key);
  return std::nullopt;
}

}  // namespace

std::optional<Response> read_submission(const Request& request, engine::SubmitRequest& out) {
  auto parsed = parse_object(request);
  if (auto* r = std::get_if<Response>(&parsed)) return *r;
  const auto& body = std::get<boost::json::object>(parsed);
  Fields f(body);
  out.procedure_code = f.string("procedure", true, 64).value_or("");
  if (auto v = f.integer("version")) {
    if (*v < 1 || *v > 1000000)
      return problem(request, 422, problem_code::kInvalidInput, "'version' is out of range");
    out.procedure_version = static_cast<int>(*v);
  }
  if (auto channel = f.string("channel", false, 16)) {
    auto parsed_channel = engine::parse_channel(*channel);
    if (!parsed_channel) return problem(request, parsed_channel.error());
    out.channel = *parsed_channel;
  }
  if (const auto* form = f.object("form")) {
    if (form->size() > engine::limits::kFormFields)
      return problem(request, 422, problem_code::kInvalidInput, "too many form fields");
    for (const auto& [key, value] : *form) {
      if (!value.is_string())
        return problem(request, 422, problem_code::kInvalidInput,
                       "form value '" + std::string(key) + "' must be a string");
      out.form[std::string(key)] = std::string(value.as_string());
    }
  }
  if (auto bad = read_components(request, f, f.array("components"), out.components)) return bad;
  if (!f.ok()) return problem(request, 422, problem_code::kInvalidInput, f.error());
  return idempotency_key(request, out.idempotency_key);
}

std::optional<Response> read_action(const Request& request, std::string_view code,
                                    engine::ActionRequest& out, std::string* role) {
  auto parsed = parse_object(request);
  if (auto* r = std::get_if<Response>(&parsed)) return *r;
  const auto& body = std::get<boost::json::object>(parsed);
  Fields f(body);
  out.dossier_code = std::string(code);
  out.action = f.string("action", true, 64).value_or("");
  out.expected_version = f.integer("expected_version", true).value_or(0);
  out.branch = f.string("branch", false, 64).value_or("");
  out.reason = f.string("reason", false, engine::limits::kTextBytes).value_or("");
  out.answer = f.string("answer", false, engine::limits::kTextBytes).value_or("");
  out.signed_by_actor = f.boolean("signed").value_or(false);
  if (role != nullptr) {
    Fields extra(body);  // as before: a malformed role is no role, not a refused body
    *role = extra.string("role", false, 64).value_or("");
  }
  if (auto due = f.string("new_due", false, 64)) {
    auto at = engine::parse_instant(*due);
    if (!at) return problem(request, at.error());
    out.new_due = *at;
  }
  if (const auto* list = f.array("components")) {
    if (list->size() > engine::limits::kComponents)
      return problem(request, 422, problem_code::kInvalidInput, "too many components");
    for (const auto& v : *list) {
      if (!v.is_string())
        return problem(request, 422, problem_code::kInvalidInput,
                       "'components' must list component ids");
      out.components.emplace_back(v.as_string());
    }
  }
  if (auto bad = read_components(request, f, f.array("attachments"), out.attachments)) return bad;
  if (!f.ok()) return problem(request, 422, problem_code::kInvalidInput, f.error());
  return idempotency_key(request, out.idempotency_key);
}

Response action_problem(const Request& request, const engine::Error& error) {
  if (auto current = engine::stale_version(error)) {
    return problem(request, 409, problem_code::kStaleVersion,
                   "current version " + std::to_string(*current));
  }
  return problem(request, error);
}

}  // namespace motcua::api
