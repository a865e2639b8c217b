// SqlOrganisation: the agency map is read once and kept until this process changes the agencies
// (put_agency) or it grows older than its maximum age.
#include "store/identity_store.hpp"
#include "store/sql_organisation.hpp"
#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store::testing {

TEST_CASE("Organisation caches the agency map until the agencies change or it ages") {
  for (const auto& url : test_database_urls()) {
    auto db = fresh_database(url);
    CAPTURE(backend_name(*db));
    auto clock = std::make_shared<ManualClock>(monday_morning());
    SqlIdentityStore identity(db);
    SqlOrganisation organisation(db, clock, std::chrono::seconds{60});
    REQUIRE(identity.put_agency({kCentreId, "commune-centre", {"Trung tâm", "Centre"}}));
    auto first = organisation.agency_ids();
    REQUIRE_MESSAGE(first, describe(first));
    CHECK(*first == std::map<std::string, std::string>{{"commune-centre", kCentreId}});

    // Written behind its back (another server): the cached map is still answered.
    exec(*db,
         "INSERT INTO agencies (id, agency_key, name_vi, name_en) VALUES ('000.22.14.H57', "
         "'land-office', 'Địa chính', 'Land office')");
    CHECK(organisation.agency_ids()->size() == 1);
    // This process changes an agency: the next read sees everything.
    REQUIRE(identity.put_agency({kPpcId, "commune-ppc", {"UBND", "PPC"}}));
    CHECK(organisation.agency_ids()->size() == 3);

    exec(*db,
         "INSERT INTO agencies (id, agency_key, name_vi, name_en) VALUES ('000.00.45.H57', "
         "'fire-police', 'PCCC', 'Fire police')");
    CHECK(organisation.agency_ids()->size() == 3);
    clock->advance(std::chrono::seconds{61});  // too old: read again
    CHECK(organisation.agency_ids()->size() == 4);
  }
}

TEST_CASE("A submission takes the agencies it does not name from the organisation") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    SqlIdentityStore identity(w.db);
    REQUIRE(identity.put_agency({kFireId, "fire-police", {"PCCC", "Fire police"}}));
    REQUIRE(identity.put_agency({"000.99.99.H57", "elsewhere", {"Khác", "Elsewhere"}}));
    engine::SubmitRequest r = good_submission(w);
    r.agency_ids.erase("fire-police");
    const engine::Dossier d = submit_ok(w, r).dossier;
    CHECK(d.agency_ids.at("fire-police") == kFireId);
    CHECK(d.agency_ids.count("elsewhere") == 0);
  }
}

}  // namespace motcua::store::testing
