#pragma once
// A lifecycle service on a real database with the shipped catalogue and calendars, for the store
// tests and the helper executables (tests/store/helpers/): no doctest in here.
#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "engine/clock.hpp"
#include "engine/lifecycle_service.hpp"
#include "store/database.hpp"
#include "store/sql_attachment_store.hpp"
#include "store/sql_dossier_queries.hpp"
#include "store/sql_dossier_store.hpp"
#include "store/sql_procedure_versions.hpp"
#include "workflows/calendar_loader.hpp"
#include "workflows/catalog.hpp"
#include "workflows/xml_library.hpp"

namespace motcua::store::testing {

// The agencies of the construction permit 1.013225 in a test province.
inline constexpr const char* kCentreId = "000.21.14.H57";  // commune-centre: the receiving desk
inline constexpr const char* kPpcId = "000.20.14.H57";     // commune-ppc: officer and leader
inline constexpr const char* kFireId = "000.00.45.H57";    // fire-police: consultee
inline constexpr const char* kLandId = "000.22.14.H57";    // land-office: consultee
inline constexpr const char* kPermit = "1.013225";

class ManualClock final : public engine::Clock {
 public:
  explicit ManualClock(engine::Instant at) : seconds_(at.time_since_epoch().count()) {}
  engine::Instant now() const override {
    return engine::Instant{std::chrono::seconds{seconds_.load()}};
  }
  void set(engine::Instant at) { seconds_ = at.time_since_epoch().count(); }
  void advance(std::chrono::seconds by) { seconds_ += by.count(); }

 private:
  std::atomic<long long> seconds_;
};

// The shipped catalogue with the exact bytes of each definition. libxml2 stays initialised for the
// process. Errors: those of loading.
inline engine::Result<std::shared_ptr<const engine::InMemoryProcedureSource>> shipped_procedures() {
  static workflows::XmlLibrary xml;
  const std::string root = MOTCUA_SOURCE_DIR;
  auto loader = workflows::ProcedureLoader::create(root + "/schemas/workflow.xsd");
  if (!loader) return tl::unexpected(loader.error());
  auto report = workflows::Catalog::load_directory(*loader, root + "/workflows/catalog");
  if (!report) return tl::unexpected(report.error());
  auto source = std::make_shared<engine::InMemoryProcedureSource>();
  for (const workflows::ProcedurePtr& p : report->catalog.all()) {
    std::ifstream in(p->source_path, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    auto added = source->add(engine::PublishedProcedure{p, bytes.str()});
    if (!added) return tl::unexpected(added.error());
  }
  return source;
}

inline engine::Result<std::shared_ptr<const engine::Calendar>> shipped_calendar() {
  auto calendar = workflows::load_calendar({workflows::default_calendar_dir(MOTCUA_SOURCE_DIR)});
  if (!calendar) return tl::unexpected(calendar.error());
  return std::make_shared<const engine::Calendar>(std::move(*calendar));
}

struct World {
  std::shared_ptr<Database> db;
  std::shared_ptr<ManualClock> clock;
  std::shared_ptr<const engine::InMemoryProcedureSource> procedures;
  std::shared_ptr<SqlAttachmentStore> attachments;
  std::unique_ptr<engine::LifecycleService> service;
};

// A service on `db` (migrated) whose clock starts at `now`.
inline engine::Result<World> make_world(std::shared_ptr<Database> db, engine::Instant now) {
  World w;
  w.db = db;
  w.clock = std::make_shared<ManualClock>(now);
  auto procedures = shipped_procedures();
  if (!procedures) return tl::unexpected(procedures.error());
  w.procedures = *procedures;
  auto calendar = shipped_calendar();
  if (!calendar) return tl::unexpected(calendar.error());
  w.attachments = std::make_shared<SqlAttachmentStore>(db);
  engine::LifecycleDeps deps;
  deps.procedures = w.procedures;
  deps.versions = std::make_shared<SqlProcedureVersions>(db);
  deps.calendar = *calendar;
  deps.store = std::make_shared<SqlDossierStore>(db);
  deps.queries = std::make_shared<SqlDossierQueries>(db);
  deps.clock = w.clock;
  auto service = engine::LifecycleService::create(std::move(deps));
  if (!service) return tl::unexpected(service.error());
  w.service = std::move(*service);
  return w;
}

inline engine::Actor officer(const std::string& role) {
  const char* agency = role == "desk" ? kCentreId : role == "consultee" ? kFireId : kPpcId;
  return engine::Actor{engine::ActorKind::kOfficer, "cb-" + role, agency, role};
}

inline engine::Actor applicant() {
  return engine::Actor{engine::ActorKind::kApplicant, "nguyễn.thị.hoa", "", "applicant"};
}

// A complete online construction-permit submission citing the attachments given (one for each
// required component: application, design-drawings).
inline engine::SubmitRequest permit_submission(const std::string& application_sha,
                                               const std::string& drawings_sha) {
  engine::SubmitRequest r;
  r.procedure_code = kPermit;
  r.channel = engine::Channel::kOnline;
  r.agency_ids = {{"commune-centre", kCentreId},
                  {"commune-ppc", kPpcId},
                  {"fire-police", kFireId},
                  {"land-office", kLandId}};
  r.form = {{"investor-name", "Nguyễn Thị Hoa"},
            {"personal-id", "001190012345"},
            {"site-address", "12 Lê Lợi, phường Thuận Hóa, Huế"},
            {"parcel", "Thửa 45, tờ bản đồ 12"},
            {"floor-area", "180.5"},
            {"storeys", "3"},
            {"work-type", "nhà ở riêng lẻ"}};
  r.components = {{"application", application_sha, false, "", false},
                  {"design-drawings", drawings_sha, true, "", false}};
  r.actor = applicant();
  return r;
}

}  // namespace motcua::store::testing
