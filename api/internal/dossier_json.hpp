#pragma once
// JSON views of dossiers for the API: the public status (code, state, national status with its
// Vietnamese and English name, due date and whether it is provisional -- nothing personal), the
// applicant's timeline (control slip with agency, handler and times, branches, issued documents,
// and the events with the reasons and components the applicant must be told) and the officer's
// full record (plus every event in full, components and form). Pure, thread-safe.
#include <boost/json.hpp>

#include "api/context.hpp"
#include "engine/lifecycle_service.hpp"

namespace motcua::api {

boost::json::object public_status(const Context& c, const engine::Dossier& d);
boost::json::object public_status(const Context& c, const engine::DossierSummary& s);
// The view carries the dossier's signed documents, in issue order (LifecycleService::view).
boost::json::object timeline(const Context& c, const engine::DossierView& view);
boost::json::object full_record(const Context& c, const engine::DossierView& view);
// Each document's metadata with the route that serves its bytes.
boost::json::array documents_json(const Context& c, const engine::Dossier& d,
                                  const std::vector<engine::DocumentRecord>& documents);
boost::json::object event_json(const Context& c, const engine::Event& e);

}  // namespace motcua::api
