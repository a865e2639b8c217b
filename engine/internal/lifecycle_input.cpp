#include "engine/internal/lifecycle_input.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "base/hex.hpp"
#include "engine/audit_chain.hpp"
#include "engine/internal/canonical_json.hpp"
#include "engine/internal/form.hpp"

namespace motcua::engine::lifecycle {
using base::is_sha256_hex;
namespace limits = base::limits;
namespace {

std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

Status check_key(const std::string& key) {
  if (key.size() > limits::kIdempotencyKeyBytes) {
    return deny(
        ErrorCode::kInvalidInput,
        "an idempotency key is at most " + std::to_string(limits::kIdempotencyKeyBytes) + " bytes");
  }
  return {};
}

Status check_text(std::string_view what, const std::string& text) {
  if (text.size() > limits::kTextBytes) {
    return deny(ErrorCode::kInvalidInput, std::string(what) + " is longer than " +
                                              std::to_string(limits::kTextBytes) + " bytes");
  }
  if (!utf8_length(text)) {
    return deny(ErrorCode::kInvalidInput, std::string(what) + " is not valid UTF-8");
  }
  // The reason goes into the documents issued (refusal, apology), which cannot carry these.
  if (const auto cp = unsupported_character(text)) {
    return deny(ErrorCode::kInvalidInput, std::string(what) + " contains the character " +
                                              code_point_name(*cp) +
                                              ", which a document cannot carry");
  }
  return {};
}

// Each input names a declared component once, cites a well-formed SHA-256, and has sane provenance.
Status check_inputs(const Procedure& procedure, const std::vector<ComponentInput>& inputs) {
  if (inputs.size() > limits::kComponents) {
    return deny(ErrorCode::kInvalidInput,
                "at most " + std::to_string(limits::kComponents) + " components per request");
  }
  std::set<std::string_view> seen;
  for (const ComponentInput& c : inputs) {
    if (procedure.component(c.component_id) == nullptr) {
      return fail(
          ErrorCode::kComponentsRequired,
          "component " + quoted(c.component_id) + " is not listed by procedure " + procedure.code);
    }
    if (!seen.insert(c.component_id).second) {
      return deny(ErrorCode::kInvalidInput,
                  "component " + quoted(c.component_id) + " is given twice");
    }
    if (!is_sha256_hex(c.attachment_sha256)) {
      return deny(ErrorCode::kInvalidInput, "component " + quoted(c.component_id) +
                                                " must cite an attachment by its lowercase hex "
                                                "SHA-256");
    }
    if (c.reused_from.size() > 100 || !utf8_length(c.reused_from)) {
      return deny(ErrorCode::kInvalidInput, "component " + quoted(c.component_id) +
                                                ": reused_from is not a dossier or result code");
    }
  }
  return {};
}

// Length-prefixed fields, so no two different requests serialise to the same bytes.
class Fingerprint {
 public:
  Fingerprint& add(std::string_view text) {
    bytes_ += std::to_string(text.size());
    bytes_ += ':';
    bytes_ += text;
    return *this;
  }
  Fingerprint& add(long long number) { return add(std::to_string(number)); }
  Fingerprint& add(const Actor& actor) {
    return add(static_cast<int>(actor.kind)).add(actor.user).add(actor.agency_id).add(actor.role);
  }
  Fingerprint& add(const std::vector<ComponentInput>& inputs) {
    add(static_cast<long long>(inputs.size()));
    for (const ComponentInput& c : inputs) {
      add(c.component_id).add(c.attachment_sha256).add(c.digitised ? 1 : 0).add(c.reused_from);
      add(c.from_citizen_store ? 1 : 0);
    }
    return *this;
  }
  Result<std::string> hex() const {
    auto digest = sha256(bytes_);
    if (!digest) return tl::unexpected(digest.error());
    return to_hex(*digest);
  }

 private:
  std::string bytes_;
};

}  // namespace

Status check_submit(const Procedure& procedure, const SubmitRequest& request) {
  if (auto ok = check_key(request.idempotency_key); !ok) return ok;
  if (!request.tracking_secret_sha256.empty() && !is_sha256_hex(request.tracking_secret_sha256))
    return deny(ErrorCode::kInvalidInput, "a tracking secret hash is 64 lowercase hex characters");
  if (request.form.size() > limits::kFormFields) {
    return deny(ErrorCode::kInvalidInput,
                "a form has at most " + std::to_string(limits::kFormFields) + " fields");
  }
  std::size_t bytes = 0;
  for (const auto& [field, value] : request.form) bytes += field.size() + value.size();
  if (bytes > limits::kFormBytes) {
    return deny(ErrorCode::kInvalidInput,
                "the form is larger than " + std::to_string(limits::kFormBytes) + " bytes");
  }
  if (auto problems = validate_form(procedure.fields, request.form); !problems.empty()) {
    std::string detail;
    for (const FieldError& p : problems) detail += p.field + ": " + p.message + "\n";
    Error error{problems.front().code,
                "the form has " + std::to_string(problems.size()) + " invalid field" +
                    (problems.size() == 1 ? "" : "s") + ": " + problems.front().field + ": " +
                    problems.front().message,
                detail};
    // The client is told which field is wrong, unless the procedure's own pattern is bad.
    if (error.code != ErrorCode::kInvalidDefinition) error.public_message = error.message;
    return tl::unexpected(std::move(error));
  }
  if (auto ok = check_inputs(procedure, request.components); !ok) return ok;
  std::string missing;
  for (const Component& c : procedure.components) {
    if (!c.required) continue;
    bool given = false;
    for (const ComponentInput& in : request.components) given = given || in.component_id == c.id;
    if (!given) missing += (missing.empty() ? "" : ", ") + quoted(c.id);
  }
  if (!missing.empty()) {
    return deny(ErrorCode::kComponentsRequired, "required components are missing: " + missing);
  }
  return {};
}

Status check_channel(const SubmitRequest& request, std::string_view receiving_agency_id) {
  if (request.channel == Channel::kOnline) return {};
  const Actor& actor = request.actor;
  if (actor.kind == ActorKind::kOfficer && actor.role == kDeskRole && !actor.agency_id.empty() &&
      actor.agency_id == receiving_agency_id)
    return {};
  const std::string channel(to_string(request.channel));
  if (actor.kind != ActorKind::kOfficer) {
    return deny(ErrorCode::kForbidden,
                "Chỉ cán bộ Bộ phận Một cửa của cơ quan tiếp nhận được ghi nhận hồ sơ nộp trực "
                "tiếp hoặc qua bưu chính; hồ sơ tự nộp là hồ sơ trực tuyến (kênh online). / Only a "
                "desk officer of the receiving agency may record a dossier received on the " +
                    channel + " channel; a dossier the applicant submits is online.");
  }
  return deny(ErrorCode::kForbidden,
              "Chỉ cán bộ giữ vai trò một cửa (desk) của cơ quan tiếp nhận " +
                  std::string(receiving_agency_id) +
                  " được ghi nhận hồ sơ nộp trực tiếp hoặc qua bưu chính. / Only an officer "
                  "holding the desk role of the receiving agency " +
                  std::string(receiving_agency_id) + " may record a dossier received on the " +
                  channel + " channel.");
}

Status check_action_sizes(const ActionRequest& request) {
  if (auto ok = check_key(request.idempotency_key); !ok) return ok;
  if (request.dossier_code.empty() || request.dossier_code.size() > 100) {
    return deny(ErrorCode::kInvalidInput, "a dossier code is 1 to 100 bytes");
  }
  if (request.action.empty() || request.action.size() > 100 || request.branch.size() > 100) {
    return deny(ErrorCode::kInvalidInput, "an action (and branch) name is 1 to 100 bytes");
  }
  if (request.expected_version < 1) {
    return deny(ErrorCode::kInvalidInput, "expected_version is the dossier version seen (>= 1)");
  }
  if (auto ok = check_text("the reason", request.reason); !ok) return ok;
  if (auto ok = check_text("the answer", request.answer); !ok) return ok;
  if (request.components.size() > limits::kComponents) {
    return deny(ErrorCode::kInvalidInput,
                "at most " + std::to_string(limits::kComponents) + " components per request");
  }
  return {};
}

Status check_action(const Procedure& procedure, const ActionRequest& request) {
  if (auto ok = check_action_sizes(request); !ok) return ok;
  return check_inputs(procedure, request.attachments);
}

// The tracking secret's hash is left out: every retry of a submission carries a fresh one.
Result<std::string> fingerprint(const SubmitRequest& r) {
  Fingerprint f;
  f.add("submit").add(r.procedure_code).add(r.procedure_version.value_or(0));
  f.add(static_cast<int>(r.channel)).add(r.actor);
  f.add(static_cast<long long>(r.agency_ids.size()));
  for (const auto& [k, v] : r.agency_ids) f.add(k).add(v);
  f.add(static_cast<long long>(r.form.size()));
  for (const auto& [k, v] : r.form) f.add(k).add(v);
  f.add(r.components);
  return f.hex();
}

Result<std::string> fingerprint(const ActionRequest& r) {
  Fingerprint f;
  f.add("act").add(r.dossier_code).add(r.expected_version).add(r.action).add(r.branch);
  f.add(r.reason).add(r.answer).add(r.signed_by_actor ? 1 : 0).add(r.actor);
  f.add(r.new_due ? r.new_due->time_since_epoch().count() : -1);
  f.add(static_cast<long long>(r.components.size()));
  for (const std::string& c : r.components) f.add(c);
  f.add(r.attachments);
  return f.hex();
}

std::string encode_outcome(std::string_view code, std::int64_t from_version,
                           std::int64_t to_version) {
  return std::to_string(from_version) + " " + std::to_string(to_version) + " " + std::string(code);
}

Result<OutcomeRef> decode_outcome(std::string_view text) {
  OutcomeRef ref;
  long long from = 0, to = 0;
  int used = 0;
  const std::string copy(text);
  if (std::sscanf(copy.c_str(), "%lld %lld %n", &from, &to, &used) != 2 || used <= 0 || from < 0 ||
      to <= from || static_cast<std::size_t>(used) >= copy.size()) {
    return fail(ErrorCode::kInternal, "a stored idempotency outcome is malformed", copy);
  }
  ref.from_version = from;
  ref.to_version = to;
  ref.code = copy.substr(static_cast<std::size_t>(used));
  return ref;
}

std::string json_string(std::string_view text) {
  std::string out;
  canonical_json::append_json_string(out, text);
  return out;
}

std::string status_payload(const Dossier& dossier, std::string_view action) {
  return "{\"action\":" + json_string(action) + ",\"state\":" + json_string(dossier.state) +
         ",\"status\":" + std::to_string(static_cast<int>(dossier.status)) +
         ",\"version\":" + std::to_string(dossier.version) + "}";
}

std::vector<ComponentRecord> merge_components(std::vector<ComponentRecord> held,
                                              const std::string& code,
                                              const std::vector<ComponentInput>& inputs) {
  for (const ComponentInput& c : inputs) {
    ComponentRecord record{code,        c.component_id, c.attachment_sha256,
                           c.digitised, c.reused_from,  c.from_citizen_store};
    auto same = std::find_if(held.begin(), held.end(), [&](const ComponentRecord& r) {
      return r.component_id == c.component_id;
    });
    if (same != held.end())
      *same = std::move(record);
    else
      held.push_back(std::move(record));
  }
  std::sort(held.begin(), held.end(), [](const ComponentRecord& a, const ComponentRecord& b) {
    return a.component_id < b.component_id;
  });
  return held;
}

}  // namespace motcua::engine::lifecycle
