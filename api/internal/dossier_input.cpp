#include "api/internal/dossier_input.hpp"

#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

tl::unexpected<Response> invalid(const Request& request, std::string_view detail) {
  return tl::unexpected(problem(request, 422, problem_code::kInvalidInput, detail));
}

Parsed<std::vector<engine::ComponentInput>> read_components(const Request& request,
                                                            const boost::json::array* array) {
  std::vector<engine::ComponentInput> out;
  if (!array) return out;
  if (array->size() > base::limits::kComponents) return invalid(request, "too many components");
  for (const boost::json::value& item : *array) {
    if (!item.is_object()) return invalid(request, "each component must be an object");
    Fields c(item.as_object());
    engine::ComponentInput in;
    in.component_id = c.string("component", true, 200).value_or("");
    in.attachment_sha256 = c.string("sha256", true, 64).value_or("");
    in.digitised = c.boolean("digitised").value_or(false);
    in.reused_from = c.string("reused_from", false, 200).value_or("");
    in.from_citizen_store = c.boolean("from_citizen_store").value_or(false);
    if (!c.ok()) return invalid(request, c.error());
    out.push_back(std::move(in));
  }
  return out;
}

Parsed<std::string> idempotency_key(const Request& request) {
  std::string_view key = request.header("idempotency-key");
  if (key.size() > base::limits::kIdempotencyKeyBytes)
    return invalid(request, "Idempotency-Key is too long");
  return std::string(key);
}

}  // namespace

Parsed<engine::SubmitRequest> read_submission(const Request& request) {
  auto body = parse_object(request);
  if (!body) return tl::unexpected(std::move(body.error()));
  Fields f(*body);
  engine::SubmitRequest out;
  out.procedure_code = f.string("procedure", true, 64).value_or("");
  if (auto v = f.integer("version")) {
    if (*v < 1 || *v > 1000000) return invalid(request, "'version' is out of range");
    out.procedure_version = static_cast<int>(*v);
  }
  if (auto channel = f.string("channel", false, 16)) {
    auto parsed_channel = engine::parse_channel(*channel);
    if (!parsed_channel) return tl::unexpected(problem(request, parsed_channel.error()));
    out.channel = *parsed_channel;
  }
  if (const auto* form = f.object("form")) {
    if (form->size() > base::limits::kFormFields) return invalid(request, "too many form fields");
    for (const auto& [key, value] : *form) {
      if (!value.is_string())
        return invalid(request, "form value '" + std::string(key) + "' must be a string");
      out.form[std::string(key)] = std::string(value.as_string());
    }
  }
  auto components = read_components(request, f.array("components"));
  if (!components) return tl::unexpected(std::move(components.error()));
  out.components = std::move(*components);
  if (!f.ok()) return invalid(request, f.error());
  auto key = idempotency_key(request);
  if (!key) return tl::unexpected(std::move(key.error()));
  out.idempotency_key = std::move(*key);
  return out;
}

Parsed<ActionInput> read_action(const Request& request, std::string_view code) {
  auto body = parse_object(request);
  if (!body) return tl::unexpected(std::move(body.error()));
  Fields f(*body);
  ActionInput in;
  engine::ActionRequest& out = in.action;
  out.dossier_code = std::string(code);
  out.action = f.string("action", true, 64).value_or("");
  out.expected_version = f.integer("expected_version", true).value_or(0);
  out.branch = f.string("branch", false, 64).value_or("");
  out.reason = f.string("reason", false, base::limits::kTextBytes).value_or("");
  out.answer = f.string("answer", false, base::limits::kTextBytes).value_or("");
  out.signed_by_actor = f.boolean("signed").value_or(false);
  in.role = f.string("role", false, 64).value_or("");
  if (auto due = f.string("new_due", false, 64)) {
    auto at = engine::parse_instant(*due);
    if (!at) return tl::unexpected(problem(request, at.error()));
    out.new_due = *at;
  }
  if (const auto* list = f.array("components")) {
    if (list->size() > base::limits::kComponents) return invalid(request, "too many components");
    for (const auto& v : *list) {
      if (!v.is_string()) return invalid(request, "'components' must list component ids");
      out.components.emplace_back(v.as_string());
    }
  }
  auto attachments = read_components(request, f.array("attachments"));
  if (!attachments) return tl::unexpected(std::move(attachments.error()));
  out.attachments = std::move(*attachments);
  if (!f.ok()) return invalid(request, f.error());
  auto key = idempotency_key(request);
  if (!key) return tl::unexpected(std::move(key.error()));
  out.idempotency_key = std::move(*key);
  return in;
}

Response action_problem(const Request& request, const engine::Error& error) {
  if (auto current = engine::stale_version(error)) {
    return problem(request, 409, problem_code::kStaleVersion,
                   "current version " + std::to_string(*current));
  }
  return problem(request, error);
}

}  // namespace motcua::api
