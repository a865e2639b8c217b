#pragma once
// Builders of DossierWrite values for the store's contract tests.
#include <cstdint>
#include <vector>

#include "engine/ports/dossier_write.hpp"

namespace motcua::store::testing {

// Appends `events` after `expected` stored events, with the projection they fold into.
inline engine::DossierWrite appending(std::int64_t expected, std::vector<engine::Event> events,
                                      engine::Dossier projection) {
  engine::DossierWrite w;
  w.expected_version = expected;
  w.events = std::move(events);
  w.projection = std::move(projection);
  return w;
}

}  // namespace motcua::store::testing
