#pragma once
// DossierStore: begins units of work (engine/ports/unit_of_work.hpp). Thread-safe: each thread
// begins its own. Errors: kIo when no transaction can be started; kConflict when the database is
// busy (the caller may retry).
#include <memory>

#include "engine/error.hpp"
#include "engine/ports/unit_of_work.hpp"

namespace motcua::engine {

class DossierStore {
 public:
  virtual ~DossierStore() = default;
  virtual Result<std::unique_ptr<UnitOfWork>> begin() = 0;
};

}  // namespace motcua::engine
