#pragma once
// A lifecycle service on a real database with the shipped catalogue and calendars, for the store
// tests and the helper executables (tests/store/helpers/): no doctest in here.
#include <chrono>
#include <memory>
#include <string>

#include "engine/clock.hpp"
#include "engine/lifecycle_service.hpp"
#include "store/database.hpp"
#include "store/sql_attachment_store.hpp"
#include "store/sql_dossier_queries.hpp"
#include "store/sql_dossier_store.hpp"
#include "store/sql_organisation.hpp"
#include "store/sql_procedure_versions.hpp"
#include "store/sql_tracking_secrets.hpp"
#include "tests/engine/shipped_catalog.hpp"

namespace motcua::store::testing {

// The agencies of the construction permit 1.013225 in a test province.
inline constexpr const char* kCentreId = "000.21.14.H57";  // commune-centre: the receiving desk
inline constexpr const char* kPpcId = "000.20.14.H57";     // commune-ppc: officer and leader
inline constexpr const char* kFireId = "000.00.45.H57";    // fire-police: consultee
inline constexpr const char* kLandId = "000.22.14.H57";    // land-office: consultee
inline constexpr const char* kPermit = "1.013225";

using engine::testing::ManualClock;
using engine::testing::shipped_calendar;
using engine::testing::shipped_procedures;

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
  deps.organisation = std::make_shared<SqlOrganisation>(db, w.clock);
  deps.tracking = std::make_shared<SqlTrackingSecrets>(db);
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
  r.form = engine::testing::permit_form();
  r.components = {{"application", application_sha, false, "", false},
                  {"design-drawings", drawings_sha, true, "", false}};
  r.actor = applicant();
  return r;
}

}  // namespace motcua::store::testing
