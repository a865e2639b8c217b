// The applicant's form values are part of the submitted event, so the audit chain covers them:
// what the service shows is what was chained, and an edit of the stored event is found.
#include "engine/audit_chain.hpp"
#include "store/sql_audit_log.hpp"
#include "tests/store/event_rows_sql.hpp"
#include "tests/store/lifecycle_test_support.hpp"

namespace motcua::store {
using namespace testing;
using engine::FindingKind;

TEST_CASE("Submitted form values are in the chained submitted event and read back from it") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    const engine::SubmitRequest request = good_submission(w);
    const engine::Outcome submitted = submit_ok(w, request);
    REQUIRE(submitted.events.size() == 1);
    CHECK(submitted.events.front().kind == engine::EventKind::kSubmitted);
    CHECK(submitted.events.front().form == request.form);

    auto view = w.service->view(submitted.dossier.code);
    REQUIRE_MESSAGE(view, describe(view));
    REQUIRE_FALSE(view->stored.events.empty());
    CHECK(view->stored.events.front().form == request.form);  // decoded from the stored bytes
    CHECK(view->form == request.form);
    // The form is stored once: in the chained event, not in the old form table.
    CHECK(count_rows(*w.db, "dossier_form_values") == 0);

    // A value in the old form table does not change what the service shows: the event is the
    // record (the table serves only dossiers whose submitted event carries no form).
    exec(*w.db, "INSERT INTO dossier_form_values (dossier_code, field_id, value) VALUES ('" +
                    submitted.dossier.code + "', 'storeys', '9')");
    auto again = w.service->view(submitted.dossier.code);
    REQUIRE(again);
    CHECK(again->form.at("storeys") == request.form.at("storeys"));
    check_chains(w.db);
  }
}

TEST_CASE("Audit verify names a form value altered inside the stored submitted event") {
  for (const auto& url : test_database_urls()) {
    World w = world_on(url);
    CAPTURE(backend_name(*w.db));
    const engine::SubmitRequest request = good_submission(w);
    REQUIRE(request.form.at("storeys") == "3");
    const std::string code = submit_ok(w, request).dossier.code;
    check_chains(w.db);

    edit_row(*w.db, code, 1, "\"storeys\":\"3\"", "\"storeys\":\"9\"");
    SqlAuditLog log(w.db);
    auto broken = engine::verify_log(log);
    REQUIRE_MESSAGE(broken, describe(broken));
    REQUIRE(broken->size() == 1);
    CHECK((*broken)[0].code == code);
    REQUIRE((*broken)[0].findings.size() == 1);
    CHECK((*broken)[0].findings[0].kind == FindingKind::kAltered);
    CHECK((*broken)[0].findings[0].seq == 1);
  }
}

}  // namespace motcua::store
