// The public catalogue: procedures and one procedure's components, fields, fees and deadlines,
// with what the law requires to be published (issue 10): the partial-online reason and its basis,
// the same-day cut-off, the supplement window, the agencies (with the deployment's agency ids),
// fees as amounts, per-page rates with a cap, or unknown with a text (never 0 VND), payment terms,
// and time limits in their unit, including those that follow a form field.
#include <cstdio>
#include <map>

#include "api/api.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

boost::json::object text(const engine::Text& t) { return {{"vi", t.vi}, {"en", t.en}}; }

boost::json::object duration(const engine::Duration& d) {
  return {{"amount", d.amount}, {"unit", engine::to_string(d.unit)}};
}

std::string clock_time(engine::MinuteOfDay m) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", m / 60 % 100, m % 60);
  return buffer;
}

boost::json::object summary(const engine::Procedure& p) {
  boost::json::array channels;
  for (auto ch : p.channels) channels.emplace_back(engine::to_string(ch));
  return {{"code", p.code},
          {"version", p.version},
          {"name", text(p.name)},
          {"sector", p.sector},
          {"online_level", p.online.level},
          {"full_online", p.online.full},
          {"channels", std::move(channels)},
          {"time_limit", duration(p.time_limit.total)}};
}

const char* fee_kind(engine::FeeKind k) {
  switch (k) {
    case engine::FeeKind::kFixed:
      return "fixed";
    case engine::FeeKind::kPerPage:
      return "per-page";
    case engine::FeeKind::kUnknown:
      return "unknown";
  }
  return "fixed";
}

boost::json::object fee_json(const engine::Fee& fee) {
  boost::json::object f{
      {"id", fee.id}, {"name", text(fee.name)}, {"kind", fee_kind(fee.kind)}, {"basis", fee.basis}};
  f["channel"] = fee.channel ? boost::json::value(engine::to_string(*fee.channel)) : nullptr;
  // An unknown amount is null with its text, never 0.
  f["amount_vnd"] = fee.kind == engine::FeeKind::kFixed ? boost::json::value(fee.amount_vnd)
                                                        : boost::json::value(nullptr);
  if (fee.kind == engine::FeeKind::kUnknown) f["unknown"] = text(fee.unknown);
  if (fee.kind == engine::FeeKind::kPerPage) {
    const engine::PerPageRate& r = fee.per_page;
    boost::json::object rate{{"first_pages", r.first_pages},
                             {"first_page_vnd", r.first_page_vnd},
                             {"page_vnd", r.page_vnd},
                             {"pages_field", r.pages_field}};
    rate["cap_per_copy_vnd"] = r.cap_vnd > 0 ? boost::json::value(r.cap_vnd) : nullptr;
    rate["copies_field"] =
        r.copies_field.empty() ? boost::json::value(nullptr) : boost::json::value(r.copies_field);
    f["per_page"] = std::move(rate);
  }
  boost::json::array exemptions;
  for (const auto& e : fee.exemptions)
    exemptions.push_back({{"field", e.field}, {"value", e.value}, {"name", text(e.name)}});
  f["exemptions"] = std::move(exemptions);
  return f;
}

// The time limits: total, per channel, or per value of a form field, plus the rules around them.
// The rules in force today, which decide what a procedure does not publish.
const engine::LegalRules& rules_today(Context& c) {
  if (!c.deps.rules || !c.deps.calendar || !c.deps.clock) return engine::built_in_rules();
  return c.deps.rules->in_force(c.deps.calendar->local_date(c.deps.clock->now()));
}

void add_time(boost::json::object& o, const engine::Procedure& p,
              const engine::LegalRules& rules) {
  boost::json::object by_channel;
  for (const auto& [ch, d] : p.time_limit.by_channel)
    by_channel[engine::to_string(ch)] = duration(d);
  o["time_limit_by_channel"] = std::move(by_channel);
  if (p.time_limit.by_field) {
    boost::json::array cases;
    for (const auto& c : p.time_limit.by_field->cases)
      cases.push_back({{"value", c.value}, {"limit", duration(c.limit)}});
    o["time_limit_by_field"] = {{"field", p.time_limit.by_field->field},
                                {"exhaustive", p.time_limit.by_field->exhaustive},
                                {"cases", std::move(cases)}};
  } else {
    o["time_limit_by_field"] = nullptr;
  }
  o["same_day_cutoff"] = p.time_limit.same_day_cutoff
                             ? boost::json::value(clock_time(*p.time_limit.same_day_cutoff))
                             : boost::json::value(nullptr);
  o["supplement_window"] = duration(engine::supplement_window(p.time_limit, rules));
}

// The agencies with the id this deployment maps each key to (null when it maps none).
boost::json::array agencies_json(const engine::Procedure& p, Context& c) {
  std::map<std::string, engine::AgencyRecord> mapped;
  if (c.deps.identity) {
    if (auto all = c.deps.identity->agencies()) {
      for (auto& a : *all) mapped.emplace(a.key, a);
    }
  }
  boost::json::array out;
  for (const auto& a : p.agencies) {
    boost::json::object agency{{"key", a.key},
                               {"level", a.level},
                               {"name", text(a.name)},
                               {"receiving", a.key == p.receiving_agency}};
    auto it = mapped.find(a.key);
    const std::string id = it != mapped.end() ? it->second.id : a.code;
    agency["agency_id"] = id.empty() ? boost::json::value(nullptr) : boost::json::value(id);
    if (it != mapped.end()) agency["deployment_name"] = text(it->second.name);
    out.push_back(std::move(agency));
  }
  return out;
}

const char* field_type(engine::FieldType t) {
  switch (t) {
    case engine::FieldType::kText:
      return "text";
    case engine::FieldType::kNumber:
      return "number";
    case engine::FieldType::kDate:
      return "date";
    case engine::FieldType::kEnum:
      return "enum";
    case engine::FieldType::kPersonalId:
      return "personal-id";
  }
  return "text";
}

boost::json::object detail(const engine::Procedure& p, Context& c) {
  boost::json::object o = summary(p);
  o["legal_basis"] = p.legal_basis;
  o["effective_from"] = engine::format_date(p.effective_from);
  o["supplement_mode"] =
      p.supplement_mode == engine::SupplementMode::kRestart ? "restart" : "pause";
  o["online"] = {{"level", p.online.level},
                 {"full", p.online.full},
                 {"partial_reason", p.online.full ? boost::json::value(nullptr)
                                                  : boost::json::value(p.online.partial_reason)},
                 {"partial_basis", p.online.partial_basis.empty()
                                       ? boost::json::value(nullptr)
                                       : boost::json::value(p.online.partial_basis)}};
  add_time(o, p, rules_today(c));
  o["agencies"] = agencies_json(p, c);
  o["payment"] = {
      {"online", p.payment.online},
      {"at", p.payment.at.empty() ? std::string("submission") : p.payment.at},
      {"terms", p.payment.terms.vi.empty() ? boost::json::value(nullptr)
                                           : boost::json::value(text(p.payment.terms))}};
  boost::json::array components, fields, fees, results;
  for (const auto& c : p.components)
    components.push_back({{"id", c.id},
                          {"name", text(c.name)},
                          {"required", c.required},
                          {"originals", c.originals},
                          {"copies", c.copies},
                          {"form", c.form}});
  for (const auto& f : p.fields) {
    boost::json::object field{{"id", f.id},
                              {"name", text(f.name)},
                              {"type", field_type(f.type)},
                              {"required", f.required}};
    if (f.max_length) field["max_length"] = *f.max_length;
    if (!f.pattern.empty()) field["pattern"] = f.pattern;
    if (!f.options.empty()) {
      boost::json::array options;
      for (const auto& opt : f.options) options.emplace_back(opt);
      field["options"] = std::move(options);
    }
    fields.push_back(std::move(field));
  }
  for (const auto& fee : p.fees) fees.push_back(fee_json(fee));
  for (const auto& r : p.results)
    results.push_back({{"id", r.id}, {"code", r.code}, {"name", text(r.name)}});
  o["components"] = std::move(components);
  o["fields"] = std::move(fields);
  o["fees"] = std::move(fees);
  o["results"] = std::move(results);
  return o;
}

}  // namespace

void add_catalog_routes(Router& router, Context& c) {
  router.add({"GET", "/api/v1/procedures", "procedures.list", Access::kPublic, 0, [&c](Call&) {
                boost::json::array items;
                for (const auto& p : c.deps.procedures->all_current()) items.push_back(summary(*p));
                return json_response(200, {{"procedures", std::move(items)}});
              }});
  router.add(
      {"GET", "/api/v1/procedures/{code}", "procedures.get", Access::kPublic, 0, [&c](Call& call) {
         auto p = c.procedure(call.params.at("code"));
         if (!p) return problem(call.request, 404, problem_code::kNotFound);
         return json_response(200, detail(*p, c));
       }});
}

}  // namespace motcua::api
