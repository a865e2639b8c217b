// The public catalogue: procedures and one procedure's components, fields, fees and deadlines.
#include "api/api.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"

namespace motcua::api {
namespace {

boost::json::object text(const engine::Text& t) { return {{"vi", t.vi}, {"en", t.en}}; }

boost::json::object duration(const engine::Duration& d) {
  return {{"amount", d.amount}, {"unit", engine::to_string(d.unit)}};
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

boost::json::object detail(const engine::Procedure& p) {
  boost::json::object o = summary(p);
  o["legal_basis"] = p.legal_basis;
  o["effective_from"] = engine::format_date(p.effective_from);
  o["supplement_mode"] =
      p.supplement_mode == engine::SupplementMode::kRestart ? "restart" : "pause";
  boost::json::object by_channel;
  for (const auto& [ch, d] : p.time_limit.by_channel)
    by_channel[engine::to_string(ch)] = duration(d);
  o["time_limit_by_channel"] = std::move(by_channel);
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
  for (const auto& fee : p.fees) {
    boost::json::object f{{"id", fee.id},
                          {"name", text(fee.name)},
                          {"amount_vnd", fee.amount_vnd},
                          {"basis", fee.basis}};
    f["channel"] = fee.channel ? boost::json::value(engine::to_string(*fee.channel)) : nullptr;
    fees.push_back(std::move(f));
  }
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
         return json_response(200, detail(*p));
       }});
}

}  // namespace motcua::api
