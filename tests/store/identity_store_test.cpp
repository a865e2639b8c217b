// SqlIdentityStore on both backends: organisation, officers, failure counters, tokens, tracking
// secrets.
#include "store/identity_store.hpp"

#include <doctest/doctest.h>

#include "store/sql_tracking_secrets.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::store::testing {
namespace {

engine::OfficerRecord officer(std::string login, std::vector<std::string> roles) {
  engine::OfficerRecord o;
  o.login = std::move(login);
  o.display_name = "Nguyễn Văn A";
  o.agency_id = "000.01.21.H57";
  o.roles = std::move(roles);
  o.password_hash = "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
  o.created = instant(1795000000);
  return o;
}

}  // namespace

TEST_CASE("SqlIdentityStore keeps agencies, roles and officers and refuses inconsistent ones") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    SqlIdentityStore ids(db);
    CAPTURE(backend_name(*db));
    REQUIRE(ids.put_agency({"000.01.21.H57", "commune-centre", {"Trung tâm", "Centre"}}));
    REQUIRE(ids.put_agency({"000.01.21.H57", "commune-centre", {"Trung tâm phường", "Centre"}}));
    auto all = ids.agencies();
    REQUIRE(all);
    REQUIRE(all->size() == 1);
    CHECK(all->front().name.vi == "Trung tâm phường");
    CHECK(ids.add_role({"000.01.21.H57", "desk"}));
    CHECK(ids.add_role({"000.01.21.H57", "desk"}));  // idempotent
    CHECK(ids.add_role({"000.99.99.H57", "desk"}).error().code == engine::ErrorCode::kNotFound);

    CHECK(ids.add_officer(officer("desk1", {"desk"})));
    CHECK(ids.add_officer(officer("desk1", {"desk"})).error().code == engine::ErrorCode::kConflict);
    CHECK(ids.add_officer(officer("bad", {"leader"})).error().code ==
          engine::ErrorCode::kInvalidInput);
    CHECK(!ids.find_officer("bad")->has_value());  // nothing half-written
    CHECK(ids.add_officer(officer("Bad Login", {"desk"})).error().code ==
          engine::ErrorCode::kInvalidInput);

    auto found = ids.find_officer("desk1");
    REQUIRE(found);
    REQUIRE(found->has_value());
    CHECK((*found)->roles == std::vector<std::string>{"desk"});
    CHECK((*found)->display_name == "Nguyễn Văn A");
    CHECK(ids.remove_role({"000.01.21.H57", "desk"}).error().code == engine::ErrorCode::kConflict);

    auto changed = **found;
    changed.active = false;
    changed.roles.clear();
    REQUIRE(ids.update_officer(changed));
    CHECK(!(*ids.find_officer("desk1"))->active);
    CHECK(ids.remove_role({"000.01.21.H57", "desk"}));
    CHECK(ids.roles("")->empty());
    CHECK(ids.officers("000.01.21.H57")->size() == 1);
    CHECK(ids.officers("other")->empty());
  }
}

TEST_CASE("SqlIdentityStore counts failed logins, locks, and resets") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    SqlIdentityStore ids(db);
    REQUIRE(ids.put_agency({"000.01.21.H57", "commune-centre", {"a", "b"}}));
    REQUIRE(ids.add_officer(officer("o1", {})));
    const auto now = instant(1795000000);
    CHECK(*ids.record_login_failure("o1", now, 3, std::chrono::seconds(900)) == 1);
    CHECK(*ids.record_login_failure("o1", now, 3, std::chrono::seconds(900)) == 2);
    CHECK(!(*ids.find_officer("o1"))->locked_until);
    CHECK(*ids.record_login_failure("o1", now, 3, std::chrono::seconds(900)) == 3);
    CHECK((*ids.find_officer("o1"))->locked_until == now + std::chrono::seconds(900));
    CHECK(*ids.record_login_failure("nobody", now, 3, std::chrono::seconds(900)) == 0);
    REQUIRE(ids.reset_login_failures("o1"));
    CHECK((*ids.find_officer("o1"))->failed_logins == 0);
    CHECK(!(*ids.find_officer("o1"))->locked_until);
  }
}

TEST_CASE("SqlIdentityStore stores token hashes, revokes them, and keeps tracking secrets") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    SqlIdentityStore ids(db);
    REQUIRE(ids.put_agency({"000.01.21.H57", "commune-centre", {"a", "b"}}));
    REQUIRE(ids.add_officer(officer("o1", {})));
    const std::string h1(64, 'a'), h2(64, 'b');
    REQUIRE(ids.add_token({h1, "o1", instant(100), instant(200), {}}));
    REQUIRE(ids.add_token({h2, "o1", instant(100), instant(200), {}}));
    CHECK(ids.add_token({h1, "o1", instant(100), instant(200), {}}).error().code ==
          engine::ErrorCode::kConflict);
    CHECK(ids.add_token({std::string(64, 'c'), "ghost", instant(1), instant(2), {}}).error().code ==
          engine::ErrorCode::kNotFound);
    auto t = ids.find_token(h1);
    REQUIRE(t);
    REQUIRE(t->has_value());
    CHECK((*t)->login == "o1");
    CHECK((*t)->expires == instant(200));
    CHECK(!(*t)->revoked);
    REQUIRE(ids.revoke_token(h1, instant(150)));
    CHECK((*ids.find_token(h1))->revoked == instant(150));
    CHECK(!(*ids.find_token(h2))->revoked);
    REQUIRE(ids.revoke_tokens_of("o1", instant(160)));
    CHECK((*ids.find_token(h2))->revoked == instant(160));
    CHECK(!ids.find_token(std::string(64, 'd'))->has_value());

    // Secrets are written with their dossier (lifecycle_service_test.cpp) and read through one
    // port; none for an unknown code.
    SqlTrackingSecrets secrets(db);
    CHECK(!secrets.find("000.01.21.H57-261127-0002")->has_value());
  }
}

}  // namespace motcua::store::testing
