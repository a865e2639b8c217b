// The lifecycle service with the XmlDocumentIssuer on a real database (SQLite always, PostgreSQL
// when MOTCUA_TEST_PG is set): accept stores a signed receipt, approval and refusal store signed
// results, inside the command's transaction.
#include "engine/internal/lifecycle_documents.hpp"

#include <doctest/doctest.h>

#include "documents/document_xml.hpp"
#include "engine/audit_chain.hpp"
#include "tests/documents/fixture.hpp"
#include "tests/store/lifecycle_world.hpp"
#include "tests/store/test_databases.hpp"

namespace motcua::documents::test {
namespace {

using store::testing::describe;

constexpr const char* kPolice = "000.00.04.H57";  // demo provincial police: desk, officer, leader

struct Setup {
  std::shared_ptr<store::Database> db;
  std::shared_ptr<store::testing::ManualClock> clock;
  std::shared_ptr<store::SqlAttachmentStore> attachments;
  std::unique_ptr<engine::LifecycleService> service;
};

Setup setup(std::shared_ptr<store::Database> db, bool with_issuer = true) {
  Setup s;
  s.db = db;
  s.clock = std::make_shared<store::testing::ManualClock>(
      *engine::parse_instant("2026-11-27T09:00:00+07:00"));
  auto procedures = store::testing::shipped_procedures();
  REQUIRE_MESSAGE(procedures, describe(procedures));
  auto calendar = store::testing::shipped_calendar();
  REQUIRE_MESSAGE(calendar, describe(calendar));
  s.attachments = std::make_shared<store::SqlAttachmentStore>(db);
  engine::LifecycleDeps deps;
  deps.procedures = *procedures;
  deps.versions = std::make_shared<store::SqlProcedureVersions>(db);
  deps.calendar = *calendar;
  deps.store = std::make_shared<store::SqlDossierStore>(db);
  deps.queries = std::make_shared<store::SqlDossierQueries>(db);
  deps.clock = s.clock;
  deps.organisation = std::make_shared<store::SqlOrganisation>(db, s.clock);
  deps.tracking = std::make_shared<store::SqlTrackingSecrets>(db);
  // The fixture's issuer lives for the whole run.
  if (with_issuer)
    deps.issuer = std::shared_ptr<const engine::DocumentIssuer>(&issuer(), [](auto*) {});
  auto service = engine::LifecycleService::create(std::move(deps));
  REQUIRE_MESSAGE(service, describe(service));
  s.service = std::move(*service);
  return s;
}

// Stores one document through a unit of work's one write.
engine::Status store_document(engine::UnitOfWork& uow, const engine::DocumentRecord& record,
                              const std::string& bytes) {
  engine::DossierWrite w;
  w.documents.push_back(engine::StoredDocument{record, bytes});
  return uow.write(w);
}

engine::Actor officer(const char* agency, const char* role) {
  return engine::Actor{engine::ActorKind::kOfficer, std::string("cb.") + role, agency, role};
}

engine::Dossier submit(Setup& s, const std::string& certificate_type = "Phiếu số 2") {
  auto application = s.attachments->put("%PDF tờ khai", "application/pdf");
  auto identity = s.attachments->put("%PDF căn cước", "application/pdf");
  REQUIRE(application);
  REQUIRE(identity);
  engine::SubmitRequest r;
  r.procedure_code = "3.000333";
  r.channel = engine::Channel::kDesk;
  r.agency_ids = {{"province-police", kPolice}};
  r.form = {{"full-name", "Nguyễn Thị Hồng Nhung"},
            {"personal-id", "001190012345"},
            {"date-of-birth", "1990-05-17"},
            {"certificate-type", certificate_type},
            {"copies", "1"}};
  r.components = {{"application", *application, false, "", false},
                  {"identity-document", *identity, true, "", false}};
  r.actor = officer(kPolice, "desk");
  auto out = s.service->submit(r);
  REQUIRE_MESSAGE(out, describe(out));
  return out->dossier;
}

engine::Dossier act(Setup& s, const engine::Dossier& d, const std::string& action,
                    engine::Actor actor, const std::string& reason = "") {
  engine::ActionRequest r;
  r.dossier_code = d.code;
  r.expected_version = d.version;
  r.action = action;
  r.actor = std::move(actor);
  r.reason = reason;
  r.signed_by_actor = true;
  s.clock->advance(std::chrono::hours(2));
  auto out = s.service->act(r);
  REQUIRE_MESSAGE(out, describe(out));
  return out->dossier;
}

signing::VerifyOptions options(const std::string& id, const char* element, std::string_view ns) {
  signing::VerifyOptions o;
  o.expected_id = id;
  o.expected_element = element;
  o.expected_namespace = std::string(ns);
  o.require_xades = true;
  return o;
}

engine::StoredDocument fetch(Setup& s, const std::string& code, const std::string& id) {
  auto doc = s.service->document(code, id);
  REQUIRE_MESSAGE(doc, describe(doc));
  return *doc;
}

}  // namespace

TEST_CASE("Lifecycle issues a signed receipt on accept and a signed result on approval") {
  for (const auto& url : store::testing::test_database_urls()) {
    auto db = store::testing::fresh_database(url);
    CAPTURE(store::testing::backend_name(*db));
    Setup s = setup(db);
    engine::Dossier d = submit(s);
    auto none = s.service->documents(d.code);
    REQUIRE(none);
    CHECK(none->empty());

    d = act(s, d, "accept", officer(kPolice, "desk"));
    auto listed = s.service->documents(d.code);
    REQUIRE_MESSAGE(listed, describe(listed));
    REQUIRE(listed->size() == 1);
    const engine::DocumentRecord receipt = listed->front();
    CHECK(receipt.kind == "receipt");
    CHECK(receipt.document_id == "receipt-" + d.code);
    CHECK(receipt.agency_id == kPolice);
    CHECK(receipt.role == "desk");
    CHECK(receipt.issued_at == s.clock->now());
    engine::StoredDocument stored = fetch(s, d.code, receipt.document_id);
    CHECK(engine::to_hex(*engine::sha256(stored.content)) == receipt.sha256);
    CHECK(verifier()
              .verify(stored.content, options(receipt.document_id, "receipt", kReceiptNamespace))
              .valid());
    CHECK(element_text(stored.content, "applicant") == "Nguyễn Thị Hồng Nhung");
    CHECK(element_text(stored.content, "dossier-code") == d.code);
    CHECK(element_text(stored.content, "due") == engine::format_instant(*d.due, 420));
    // The stored bytes are also an attachment, content-addressed.
    auto attachment = s.attachments->get(receipt.sha256);
    REQUIRE(attachment);
    CHECK(attachment->content == stored.content);

    d = act(s, d, "propose", officer(kPolice, "officer"));
    d = act(s, d, "approve", officer(kPolice, "leader"));
    listed = s.service->documents(d.code);
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    const engine::DocumentRecord result = listed->back();
    CHECK(result.kind == "result");
    // "Phiếu số 2" is the second option of certificate-type: the second result.
    CHECK(result.document_id == "result-" + d.code + "-certificate-2");
    CHECK(result.agency_id == kPolice);
    CHECK(result.role == "leader");
    stored = fetch(s, d.code, result.document_id);
    CHECK(verifier()
              .verify(stored.content, options(result.document_id, "result", kResultNamespace))
              .valid());
    CHECK(stored.content.find("<approved/>") != std::string::npos);

    // The documents survive a new service on the same database; the receipt was not reissued.
    Setup reloaded = setup(db);
    auto again = reloaded.service->documents(d.code);
    REQUIRE(again);
    REQUIRE(again->size() == 2);
    CHECK(again->front().sha256 == receipt.sha256);
    CHECK(fetch(reloaded, d.code, result.document_id).content == stored.content);
    auto unknown = reloaded.service->document(d.code, "receipt-000.01.21.H57-261127-9999");
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == engine::ErrorCode::kNotFound);
    auto no_dossier = reloaded.service->documents("000.01.21.H57-261127-9999");
    REQUIRE_FALSE(no_dossier);
    CHECK(no_dossier.error().code == engine::ErrorCode::kNotFound);
  }
}

TEST_CASE("Lifecycle refusal after appraisal stores a refused result with the reason") {
  for (const auto& url : store::testing::test_database_urls()) {
    auto db = store::testing::fresh_database(url);
    CAPTURE(store::testing::backend_name(*db));
    Setup s = setup(db);
    engine::Dossier d = submit(s, "Phiếu số 1");
    d = act(s, d, "accept", officer(kPolice, "desk"));
    const std::string reason = "Người yêu cầu không thuộc đối tượng được cấp theo Điều 7 Luật LLTP";
    d = act(s, d, "refuse", officer(kPolice, "leader"), reason);
    auto listed = s.service->documents(d.code);
    REQUIRE(listed);
    REQUIRE(listed->size() == 2);
    CHECK(listed->back().document_id == "result-" + d.code + "-certificate-1");
    engine::StoredDocument stored = fetch(s, d.code, listed->back().document_id);
    CHECK(stored.content.find("<approved/>") == std::string::npos);
    CHECK(element_text(stored.content, "reason") == reason);
    CHECK(
        verifier()
            .verify(stored.content, options(listed->back().document_id, "result", kResultNamespace))
            .valid());
  }
}

TEST_CASE("Lifecycle command whose document cannot be signed changes nothing") {
  for (const auto& url : store::testing::test_database_urls()) {
    auto db = store::testing::fresh_database(url);
    CAPTURE(store::testing::backend_name(*db));
    Setup s = setup(db);
    engine::Dossier d = submit(s);
    d = act(s, d, "accept", officer(kPolice, "desk"));
    d = act(s, d, "propose", officer(kPolice, "officer"));
    // A leader of an agency without a signing key: the result cannot be issued, so the approval
    // rolls back with its events and no document row remains.
    engine::ActionRequest r;
    r.dossier_code = d.code;
    r.expected_version = d.version;
    r.action = "approve";
    r.actor = officer("000.99.99.H57", "leader");
    r.signed_by_actor = true;
    auto refused = s.service->act(r);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == engine::ErrorCode::kForbidden);
    auto view = s.service->view(d.code);
    REQUIRE(view);
    CHECK(view->stored.dossier.version == d.version);
    CHECK(view->stored.dossier.state == "approval");
    auto listed = s.service->documents(d.code);
    REQUIRE(listed);
    CHECK(listed->size() == 1);

    // A unit of work that stores a document and rolls back leaves no row.
    engine::DocumentRecord record{d.code,
                                  "result-" + d.code + "-certificate-2",
                                  "result",
                                  "",
                                  "application/xml",
                                  kPolice,
                                  "leader",
                                  s.clock->now()};
    const std::string bytes = "<result/>";
    record.sha256 = engine::to_hex(*engine::sha256(bytes));
    {
      store::SqlDossierStore dossiers(db);
      auto uow = dossiers.begin();
      REQUIRE(uow);
      auto stored = store_document(**uow, record, bytes);
      REQUIRE_MESSAGE(stored, describe(stored));
      auto inside = (*uow)->documents(d.code);
      REQUIRE(inside);
      CHECK(inside->size() == 2);
    }
    listed = s.service->documents(d.code);
    REQUIRE(listed);
    CHECK(listed->size() == 1);
  }
}

TEST_CASE("Document store refuses bad records and never rewrites a document") {
  for (const auto& url : store::testing::test_database_urls()) {
    auto db = store::testing::fresh_database(url);
    CAPTURE(store::testing::backend_name(*db));
    Setup s = setup(db, /*with_issuer=*/false);
    engine::Dossier d = submit(s);
    d = act(s, d, "accept", officer(kPolice, "desk"));
    auto none = s.service->documents(d.code);  // no issuer: the lifecycle works as before
    REQUIRE(none);
    CHECK(none->empty());

    const std::string bytes = "<receipt/>";
    engine::DocumentRecord record{d.code,
                                  "receipt-" + d.code,
                                  "receipt",
                                  engine::to_hex(*engine::sha256(bytes)),
                                  "application/xml",
                                  kPolice,
                                  "desk",
                                  s.clock->now()};
    store::SqlDossierStore dossiers(db);
    SUBCASE("wrong digest") {
      auto uow = dossiers.begin();
      REQUIRE(uow);
      auto bad = record;
      bad.sha256 = std::string(64, '0');
      auto r = store_document(**uow, bad, bytes);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == engine::ErrorCode::kInvalidInput);
    }
    SUBCASE("unknown kind or dossier") {
      auto uow = dossiers.begin();
      REQUIRE(uow);
      auto bad = record;
      bad.kind = "invoice";
      auto r = store_document(**uow, bad, bytes);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == engine::ErrorCode::kInvalidInput);
      uow->reset();  // a refused write abandons its unit of work
      uow = dossiers.begin();
      REQUIRE(uow);
      bad = record;
      bad.dossier_code = "000.01.21.H57-261127-9999";
      r = store_document(**uow, bad, bytes);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == engine::ErrorCode::kNotFound);
    }
    SUBCASE("same id twice") {
      {
        auto uow = dossiers.begin();
        REQUIRE(uow);
        REQUIRE(store_document(**uow, record, bytes));
        REQUIRE((*uow)->commit());
      }
      auto uow = dossiers.begin();
      REQUIRE(uow);
      auto r = store_document(**uow, record, "<receipt>other</receipt>");
      REQUIRE_FALSE(r);
      CHECK(r.error().code == engine::ErrorCode::kInvalidInput);  // digest check comes first
      uow->reset();  // a refused write abandons its unit of work
      uow = dossiers.begin();
      REQUIRE(uow);
      const std::string other = "<receipt>other</receipt>";
      auto again = record;
      again.sha256 = engine::to_hex(*engine::sha256(other));
      r = store_document(**uow, again, other);
      REQUIRE_FALSE(r);
      CHECK(r.error().code == engine::ErrorCode::kConflict);
    }
  }
}

TEST_CASE("Lifecycle document rules: applicant name and result selection") {
  const engine::Procedure& judicial = procedure("3.000333");
  CHECK(engine::lifecycle::applicant_name(judicial, {{"full-name", "Trần Văn An"}}) ==
        "Trần Văn An");
  CHECK(engine::lifecycle::applicant_name(judicial, {}) == "—");
  const engine::Procedure& birth = procedure("1.001193");
  CHECK(engine::lifecycle::applicant_name(birth, {{"child-name", "Lê Minh Khôi"}}) ==
        "Lê Minh Khôi");
  CHECK(engine::lifecycle::select_result(judicial, {{"certificate-type", "Phiếu số 2"}})->id ==
        "certificate-2");
  CHECK(engine::lifecycle::select_result(judicial, {{"certificate-type", "Phiếu số 1"}})->id ==
        "certificate-1");
  CHECK(engine::lifecycle::select_result(judicial, {})->id == "certificate-1");
  CHECK(engine::lifecycle::select_result(birth, {})->id == "birth-certificate");
}

}  // namespace motcua::documents::test
