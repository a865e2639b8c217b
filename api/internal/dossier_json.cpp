#include "api/internal/dossier_json.hpp"

#include <iterator>
#include <optional>
#include <vector>

namespace motcua::api {
namespace {

boost::json::value instant(const Context& c, const std::optional<engine::Instant>& at) {
  if (!at) return nullptr;
  return boost::json::value(c.format(*at));
}

boost::json::object text(const engine::Text& t) { return {{"vi", t.vi}, {"en", t.en}}; }

// Form 01 of Circular 03/2025/TT-VPCP.
const engine::Text kReceiptName{"Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
                                "Receipt and appointment for the result"};

boost::json::array strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// The national status codes' names (DOMAIN.md lifecycle rule 12), index = code - 1.
const engine::Text kStatusNames[] = {
    {"Mới đăng ký", "Submitted"},
    {"Đã tiếp nhận", "Accepted"},
    {"Từ chối tiếp nhận", "Refused at intake"},
    {"Đang giải quyết", "Processing"},
    {"Yêu cầu bổ sung hồ sơ", "Supplement requested"},
    {"Yêu cầu thực hiện nghĩa vụ tài chính", "Payment requested"},
    {"Công dân rút hồ sơ", "Withdrawn by the applicant"},
    {"Dừng xử lý", "Processing stopped"},
    {"Đã giải quyết", "Resolved"},
    {"Đã trả kết quả", "Result returned"},
};

boost::json::value status_name(int status) {
  if (status < 1 || status > static_cast<int>(std::size(kStatusNames))) return nullptr;
  return text(kStatusNames[status - 1]);
}

// The status fields every view shares; `provisional` are the undecreed days the due depends on.
boost::json::object status_json(const Context& c, const std::string& code, const std::string& state,
                                int status, const std::optional<engine::Instant>& due,
                                const std::vector<engine::LocalDate>& provisional) {
  boost::json::array days;
  for (engine::LocalDate d : provisional) days.emplace_back(engine::format_date(d));
  return {{"code", code},
          {"state", state},
          {"status", status},
          {"status_name", status_name(status)},
          {"due", instant(c, due)},
          {"due_provisional", !provisional.empty()},
          {"due_provisional_days", std::move(days)}};
}

// What the applicant sees of an event: what happened, when, and the reasons and components the
// law says they must be told (supplement request, refusal, apology, withdrawal, stop); not the
// officers' logins nor the consulted agencies' opinions.
boost::json::object citizen_event(const Context& c, const engine::Event& e) {
  boost::json::object o;
  o["kind"] = engine::to_string(e.kind);
  o["at"] = c.format(e.at);
  if (!e.action.empty()) o["action"] = e.action;
  if (!e.actor.agency_id.empty()) o["agency_id"] = e.actor.agency_id;
  if (!e.from_state.empty()) o["from_state"] = e.from_state;
  if (!e.to_state.empty()) o["to_state"] = e.to_state;
  if (e.status) o["status"] = static_cast<int>(*e.status);
  if (!e.branch.empty()) o["branch"] = e.branch;
  if (!e.reason.empty()) o["reason"] = e.reason;
  if (!e.components.empty()) o["components"] = strings(e.components);
  if (e.due) o["due"] = c.format(*e.due);
  return o;
}

}  // namespace

boost::json::object public_status(const Context& c, const engine::DossierSummary& s) {
  std::vector<engine::LocalDate> provisional;
  if (s.due) provisional = c.deps.lifecycle->due_provisional(s.code, *s.due);
  return status_json(c, s.code, s.state, s.status, s.due, provisional);
}

boost::json::object public_status(const Context& c, const engine::Dossier& d) {
  std::vector<engine::LocalDate> provisional;
  if (d.due) {
    // The pinned procedure gives the exact days; without it, the code's receipt date bounds them.
    auto exact = c.deps.lifecycle->due_provisional(d);
    provisional = exact ? std::move(*exact) : c.deps.lifecycle->due_provisional(d.code, *d.due);
  }
  return status_json(c, d.code, d.state, static_cast<int>(d.status), d.due, provisional);
}

boost::json::object timeline(const Context& c, const engine::DossierView& view) {
  const std::vector<engine::DocumentRecord>& documents = view.documents;
  const engine::Dossier& d = view.stored.dossier;
  boost::json::object o = public_status(c, d);
  o["procedure"] = d.procedure_code;
  o["procedure_version"] = d.procedure_version;
  o["channel"] = engine::to_string(d.channel);
  o["submitted_at"] = c.format(d.submitted_at);
  o["finished_at"] = instant(c, d.finished_at);
  o["verdict"] = engine::to_string(d.verdict);
  o["version"] = d.version;
  o["supplement_components"] = strings(d.supplement_components);
  boost::json::array steps;
  for (const engine::SlipRow& r : d.slip) {
    steps.push_back({{"state", r.state},
                     {"from_state", r.from_state},
                     {"agency_id", r.agency_id},
                     {"handed_by", r.handed_by},
                     {"entered", c.format(r.entered)},
                     {"due", instant(c, r.due)},
                     {"left", instant(c, r.left)},
                     {"left_by", r.left_by},
                     {"verdict", engine::to_string(r.verdict)}});
  }
  o["steps"] = std::move(steps);
  boost::json::array branches;
  for (const engine::BranchTask& b : d.branches) {
    branches.push_back({{"branch", b.branch},
                        {"agency_id", b.agency_id},
                        {"role", b.role},
                        {"opened", c.format(b.opened)},
                        {"due", c.format(b.due)},
                        {"completed", instant(c, b.completed)},
                        {"handler", b.handler},
                        {"verdict", engine::to_string(b.verdict)}});
  }
  o["branches"] = std::move(branches);
  o["documents"] = documents_json(c, d, documents);
  boost::json::array events;
  for (const engine::Event& e : view.stored.events) events.push_back(citizen_event(c, e));
  o["events"] = std::move(events);
  return o;
}

boost::json::array documents_json(const Context& c, const engine::Dossier& d,
                                  const std::vector<engine::DocumentRecord>& documents) {
  const auto procedure = c.procedure(d.procedure_code, d.procedure_version);
  boost::json::array out;
  for (const engine::DocumentRecord& r : documents) {
    boost::json::object o{{"id", r.document_id},
                          {"kind", r.kind},
                          {"media_type", r.media_type},
                          {"sha256", r.sha256},
                          {"agency_id", r.agency_id},
                          {"role", r.role},
                          {"issued_at", c.format(r.issued_at)},
                          {"href", "/api/v1/dossiers/" + d.code + "/documents/" + r.document_id}};
    if (r.kind == "receipt") {
      o["name"] = text(kReceiptName);
    } else if (procedure) {
      // Result document ids are "result-<dossier code>-<result id>" (documents/document_issuer).
      const std::string prefix = "result-" + d.code + "-";
      for (const engine::ResultDocument& result : procedure->results) {
        if (r.document_id == prefix + result.id) {
          o["name"] = text(result.name);
          o["code"] = result.code;
        }
      }
    }
    out.push_back(std::move(o));
  }
  return out;
}

boost::json::object event_json(const Context& c, const engine::Event& e) {
  boost::json::object o;
  o["kind"] = engine::to_string(e.kind);
  o["at"] = c.format(e.at);
  o["action"] = e.action;
  o["actor"] = {{"user", e.actor.user}, {"agency_id", e.actor.agency_id}, {"role", e.actor.role}};
  if (!e.from_state.empty()) o["from_state"] = e.from_state;
  if (!e.to_state.empty()) o["to_state"] = e.to_state;
  if (!e.branch.empty()) o["branch"] = e.branch;
  if (!e.reason.empty()) o["reason"] = e.reason;
  if (!e.answer.empty()) o["answer"] = e.answer;
  if (!e.components.empty()) o["components"] = strings(e.components);
  if (e.due) o["due"] = c.format(*e.due);
  return o;
}

boost::json::object full_record(const Context& c, const engine::DossierView& view) {
  boost::json::object o = timeline(c, view);
  boost::json::object agencies;
  for (const auto& [key, id] : view.stored.dossier.agency_ids) agencies[key] = id;
  o["agency_ids"] = std::move(agencies);
  boost::json::array events;
  for (const engine::Event& e : view.stored.events) events.push_back(event_json(c, e));
  o["events"] = std::move(events);
  boost::json::array components;
  for (const engine::ComponentRecord& r : view.components) {
    components.push_back({{"component", r.component_id},
                          {"sha256", r.attachment_sha256},
                          {"digitised", r.digitised},
                          {"reused_from", r.reused_from},
                          {"from_citizen_store", r.from_citizen_store}});
  }
  o["components"] = std::move(components);
  boost::json::object form;
  for (const auto& [k, v] : view.form) form[k] = v;
  o["form"] = std::move(form);
  o["head_hash"] = view.stored.head_hash;
  return o;
}

}  // namespace motcua::api
