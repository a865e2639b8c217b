#include "app/serve_organisation.hpp"

#include <fstream>
#include <sstream>

#include "api/password.hpp"
#include "app/demo_organisation.hpp"

namespace motcua::app {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, sep);) out.push_back(part);
  return out;
}

}  // namespace

engine::Result<SeedReport> seed_demo_organisation(engine::IdentityRepository& identity,
                                                  const engine::Clock& clock,
                                                  const std::string& agencies_tsv,
                                                  const std::string& officers_tsv) {
  auto agencies = load_demo_agencies(agencies_tsv);
  if (!agencies) return tl::unexpected(agencies.error());
  SeedReport report;
  for (const auto& [key, a] : *agencies) {
    if (auto ok = identity.put_agency({a.id, key, {a.name_vi, a.name_en}}); !ok)
      return tl::unexpected(ok.error());
    ++report.agencies;
  }
  std::ifstream in(officers_tsv);
  if (!in) return engine::fail(engine::ErrorCode::kIo, "cannot read " + officers_tsv);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const std::string where = officers_tsv + ":" + std::to_string(number);
    auto columns = split(line, '\t');
    if (columns.size() != 4)
      return engine::fail(engine::ErrorCode::kInvalidInput,
                          where + ": expected 4 tab-separated columns");
    auto agency = agencies->find(columns[1]);
    if (agency == agencies->end())
      return engine::fail(engine::ErrorCode::kInvalidInput,
                          where + ": unknown agency key " + columns[1]);
    engine::OfficerRecord o;
    o.login = columns[0];
    o.agency_id = agency->second.id;
    o.roles = split(columns[2], ',');
    o.display_name = columns[3];
    o.created = clock.now();
    for (const std::string& role : o.roles) {
      if (auto ok = identity.add_role({o.agency_id, role}); !ok) return tl::unexpected(ok.error());
    }
    ++report.officers;
    auto existing = identity.find_officer(o.login);
    if (!existing) return tl::unexpected(existing.error());
    if (existing->has_value()) continue;
    auto password = api::random_password();
    if (!password) return tl::unexpected(password.error());
    auto hash = api::hash_password(*password);
    if (!hash) return tl::unexpected(hash.error());
    o.password_hash = *hash;
    if (auto ok = identity.add_officer(o); !ok) return tl::unexpected(ok.error());
    report.created.push_back({o.login, o.agency_id, columns[2], *password});
  }
  return report;
}

}  // namespace motcua::app
