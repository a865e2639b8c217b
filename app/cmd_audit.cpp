// motcua audit verify [--db URL]: checks every dossier's event hash chain and names each dossier
// whose events were altered, deleted, reordered or inserted. Exit 0 when every chain verifies,
// 1 when any is broken or the database cannot be read, 2 on usage errors.
#include <cstdio>
#include <memory>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "engine/audit_chain.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/sql_audit_log.hpp"

namespace motcua::app {

int run_audit(const Words& words) {
  constexpr const char* kUsage = "usage: motcua audit verify [--db URL]";
  if (words.empty() || words.front() != "verify") {
    std::fprintf(stderr, "%s\n", kUsage);
    return 2;
  }
  Args args;
  if (auto bad = Args::parse(Words(words.begin() + 1, words.end()), {"db"}, {}, args)) {
    std::fprintf(stderr, "motcua audit: %s\n%s\n", bad->c_str(), kUsage);
    return 2;
  }
  if (!args.positional().empty()) {
    std::fprintf(stderr, "%s\n", kUsage);
    return 2;
  }
  auto url =
      store::parse_database_url(args.get("db").value_or(std::string(store::kDefaultDatabaseUrl)));
  if (!url) {
    std::fprintf(stderr, "motcua audit: %s\n", url.error().message.c_str());
    return 2;
  }
  auto db = store::Database::open_existing(*url, 1);
  if (!db) {
    if (db.error().detail.empty())
      std::fprintf(stderr, "motcua audit: %s\n", db.error().message.c_str());
    else
      std::fprintf(stderr, "motcua audit: %s (%s)\n", db.error().message.c_str(),
                   db.error().detail.c_str());
    return 1;
  }
  if (auto schema = store::check_schema(**db); !schema) {
    std::fprintf(stderr, "motcua audit: %s\n", schema.error().message.c_str());
    return 1;
  }
  store::SqlAuditLog log(*db);
  auto codes = log.dossier_codes();
  auto broken = engine::verify_log(log);
  if (!codes || !broken) {
    const engine::Error& e = codes ? broken.error() : codes.error();
    std::fprintf(stderr, "motcua audit: %s (%s)\n", e.message.c_str(), e.detail.c_str());
    return 1;
  }
  for (const engine::DossierFindings& d : *broken)
    for (const engine::Finding& f : d.findings)
      std::printf("%s: %s at seq %lld: %s\n", d.code.c_str(),
                  std::string(engine::to_string(f.kind)).c_str(), static_cast<long long>(f.seq),
                  f.message.c_str());
  std::printf("audit: %zu dossiers checked, %zu with a broken chain\n", codes->size(),
              broken->size());
  return broken->empty() ? 0 : 1;
}

}  // namespace motcua::app
