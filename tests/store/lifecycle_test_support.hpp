#pragma once
// doctest helpers over lifecycle_world.hpp: a World per backend, attachments, actions, row counts.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "engine/audit_chain.hpp"
#include "store/sql_audit_log.hpp"
#include "tests/store/lifecycle_world.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store::testing {

// Monday 23 November 2026, 09:00 in Hà Nội.
inline engine::Instant monday_morning() {
  return engine::parse_instant("2026-11-23T09:00:00+07:00").value();
}

inline World world_on(const std::string& url, std::size_t pool = 4) {
  auto w = make_world(fresh_database(url, pool), monday_morning());
  REQUIRE_MESSAGE(w, describe(w));
  return std::move(*w);
}

inline std::string put(World& w, const std::string& content) {
  auto sha = w.attachments->put(content, "application/pdf");
  REQUIRE_MESSAGE(sha, describe(sha));
  return *sha;
}

inline engine::SubmitRequest good_submission(World& w) {
  return permit_submission(put(w, "%PDF đơn đề nghị"), put(w, "%PDF bản vẽ"));
}

inline engine::Outcome submit_ok(World& w, const engine::SubmitRequest& r) {
  auto out = w.service->submit(r);
  REQUIRE_MESSAGE(out, describe(out));
  return std::move(*out);
}

inline engine::ActionRequest action(const engine::Dossier& d, const std::string& name,
                                    const engine::Actor& actor) {
  engine::ActionRequest r;
  r.dossier_code = d.code;
  r.expected_version = d.version;
  r.action = name;
  r.actor = actor;
  return r;
}

inline engine::Dossier act_ok(World& w, const engine::ActionRequest& r) {
  auto out = w.service->act(r);
  const std::string what = r.action + ": " + describe(out);
  REQUIRE_MESSAGE(out, what);
  return out->dossier;
}

inline long long count_rows(Database& db, const std::string& table) {
  soci::session sql(db.pool().connections);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM " + table, soci::into(n);
  return n;
}

// Row counts of every table a lifecycle command may write, plus the sum of dossier versions and
// the code sequences, so "nothing changed" can be checked.
inline std::map<std::string, long long> table_counts(Database& db) {
  std::map<std::string, long long> out;
  for (const char* t :
       {"dossiers", "dossier_events", "dossier_components", "dossier_form_values", "work_items",
        "outbox", "idempotency_keys", "dossier_code_sequences", "procedure_versions", "attachments",
        "tracking_secrets", "dossier_documents"})
    out[t] = count_rows(db, t);
  soci::session sql(db.pool().connections);
  long long versions = 0, last = 0, marks = 0;
  soci::indicator i1 = soci::i_ok, i2 = soci::i_ok, i3 = soci::i_ok;
  sql << "SELECT SUM(version) FROM dossiers", soci::into(versions, i1);
  sql << "SELECT SUM(last) FROM dossier_code_sequences", soci::into(last, i2);
  sql << "SELECT SUM(mark) FROM work_items", soci::into(marks, i3);
  out["sum(version)"] = i1 == soci::i_null ? 0 : versions;
  out["sum(last)"] = i2 == soci::i_null ? 0 : last;
  out["sum(mark)"] = i3 == soci::i_null ? 0 : marks;
  return out;
}

inline void check_chains(const std::shared_ptr<Database>& db) {
  SqlAuditLog log(db);
  auto broken = engine::verify_log(log);
  REQUIRE_MESSAGE(broken, describe(broken));
  CHECK(broken->empty());
}

}  // namespace motcua::store::testing
