// Organisation administration (role "admin"): agencies, the roles each staffs, officers.
#include "api/api.hpp"
#include "api/internal/json.hpp"
#include "api/internal/problem.hpp"
#include "api/password.hpp"

namespace motcua::api {
namespace {

boost::json::object officer_json(const engine::OfficerRecord& o) {
  boost::json::array roles;
  for (const auto& r : o.roles) roles.emplace_back(r);
  return {{"login", o.login},
          {"display_name", o.display_name},
          {"agency_id", o.agency_id},
          {"roles", std::move(roles)},
          {"active", o.active},
          {"failed_logins", o.failed_logins},
          {"locked", o.locked_until.has_value()}};
}

std::optional<std::vector<std::string>> roles_of(Fields& f) {
  const boost::json::array* list = f.array("roles");
  if (!list) return std::nullopt;
  std::vector<std::string> roles;
  for (const auto& v : *list) {
    if (!v.is_string() || v.as_string().size() > 64) return std::vector<std::string>{""};
    roles.emplace_back(v.as_string());
  }
  return roles;
}

Response put_agency(Context& c, Call& call) {
  auto body = parse_object(call.request);
  if (!body) return body.error();
  Fields f(*body);
  engine::AgencyRecord a;
  a.id = f.string("id", true, 64).value_or("");
  a.key = f.string("key", false, 64).value_or("");
  a.name.vi = f.string("name_vi", true, 300).value_or("");
  a.name.en = f.string("name_en", true, 300).value_or("");
  if (!f.ok()) return problem(call.request, 422, problem_code::kInvalidInput, f.error());
  if (auto ok = c.deps.identity->put_agency(a); !ok) return problem(call.request, ok.error());
  return json_response(201, {{"id", a.id}, {"key", a.key}});
}

Response add_officer(Context& c, Call& call) {
  auto body = parse_object(call.request);
  if (!body) return body.error();
  Fields f(*body);
  engine::OfficerRecord o;
  o.login = f.string("login", true, 64).value_or("");
  o.display_name = f.string("display_name", true, 200).value_or("");
  o.agency_id = f.string("agency_id", true, 64).value_or("");
  auto password = f.string("password", true, 1024);
  o.roles = roles_of(f).value_or(std::vector<std::string>{});
  if (!f.ok()) return problem(call.request, 422, problem_code::kInvalidInput, f.error());
  if (password->size() < 12)
    return problem(call.request, 422, problem_code::kInvalidInput,
                   "a password has at least 12 characters");
  auto hash = hash_password(*password);
  if (!hash) return problem(call.request, hash.error());
  o.password_hash = *hash;
  o.created = c.deps.clock->now();
  if (auto ok = c.deps.identity->add_officer(o); !ok) return problem(call.request, ok.error());
  return json_response(201, officer_json(o));
}

Response update_officer(Context& c, Call& call) {
  auto found = c.deps.identity->find_officer(call.params.at("login"));
  if (!found) return problem(call.request, found.error());
  if (!found->has_value()) return problem(call.request, 404, problem_code::kNotFound);
  engine::OfficerRecord o = **found;
  auto body = parse_object(call.request);
  if (!body) return body.error();
  Fields f(*body);
  if (auto v = f.string("display_name", false, 200)) o.display_name = *v;
  if (auto v = f.string("agency_id", false, 64)) o.agency_id = *v;
  if (auto v = roles_of(f)) o.roles = *v;
  auto active = f.boolean("active");
  if (active) o.active = *active;
  auto password = f.string("password", false, 1024);
  if (!f.ok()) return problem(call.request, 422, problem_code::kInvalidInput, f.error());
  if (password) {
    if (password->size() < 12)
      return problem(call.request, 422, problem_code::kInvalidInput,
                     "a password has at least 12 characters");
    auto hash = hash_password(*password);
    if (!hash) return problem(call.request, hash.error());
    o.password_hash = *hash;
  }
  if (auto ok = c.deps.identity->update_officer(o); !ok) return problem(call.request, ok.error());
  if (password || (active && !*active)) {
    if (auto ok = c.deps.identity->revoke_tokens_of(o.login, c.deps.clock->now()); !ok)
      return problem(call.request, ok.error());
  }
  return json_response(200, officer_json(o));
}

}  // namespace

void add_admin_routes(Router& router, Context& c) {
  router.add(
      {"GET", "/api/v1/admin/agencies", "admin.agencies.list", Access::kAdmin, 0, [&c](Call& call) {
         auto agencies = c.deps.identity->agencies();
         if (!agencies) return problem(call.request, agencies.error());
         auto roles = c.deps.identity->roles("");
         if (!roles) return problem(call.request, roles.error());
         boost::json::array items;
         for (const auto& a : *agencies) {
           boost::json::array staffed;
           for (const auto& r : *roles)
             if (r.agency_id == a.id) staffed.emplace_back(r.role);
           items.push_back({{"id", a.id},
                            {"key", a.key},
                            {"name_vi", a.name.vi},
                            {"name_en", a.name.en},
                            {"roles", std::move(staffed)}});
         }
         return json_response(200, {{"agencies", std::move(items)}});
       }});
  router.add({"POST", "/api/v1/admin/agencies", "admin.agencies.put", Access::kAdmin,
              kJsonBodyLimit, [&c](Call& call) { return put_agency(c, call); }});
  router.add({"PUT", "/api/v1/admin/agencies/{id}/roles/{role}", "admin.roles.add", Access::kAdmin,
              0, [&c](Call& call) {
                return no_content_or_problem(
                    call.request,
                    c.deps.identity->add_role({call.params.at("id"), call.params.at("role")}));
              }});
  router.add({"DELETE", "/api/v1/admin/agencies/{id}/roles/{role}", "admin.roles.remove",
              Access::kAdmin, 0, [&c](Call& call) {
                return no_content_or_problem(
                    call.request,
                    c.deps.identity->remove_role({call.params.at("id"), call.params.at("role")}));
              }});
  router.add(
      {"GET", "/api/v1/admin/officers", "admin.officers.list", Access::kAdmin, 0, [&c](Call& call) {
         auto list = c.deps.identity->officers(call.request.query_param("agency_id"));
         if (!list) return problem(call.request, list.error());
         boost::json::array items;
         for (const auto& o : *list) items.push_back(officer_json(o));
         return json_response(200, {{"officers", std::move(items)}});
       }});
  router.add({"POST", "/api/v1/admin/officers", "admin.officers.add", Access::kAdmin,
              kJsonBodyLimit, [&c](Call& call) { return add_officer(c, call); }});
  router.add({"PATCH", "/api/v1/admin/officers/{login}", "admin.officers.update", Access::kAdmin,
              kJsonBodyLimit, [&c](Call& call) { return update_officer(c, call); }});
}

}  // namespace motcua::api
