#pragma once
// Organisation: which concrete agency (QCVN 102 id) stands for each agency key of the catalogue in
// this deployment. The lifecycle service resolves a submission's agencies through it. Adapters may
// cache (store/sql_organisation.hpp keeps the map in memory until the agencies change).
// Thread-safe. Errors: kIo when the database fails.
#include <map>
#include <string>

#include "engine/error.hpp"

namespace motcua::engine {

class Organisation {
 public:
  virtual ~Organisation() = default;
  // Agency key -> agency id, for every agency that names a key.
  virtual Result<std::map<std::string, std::string>> agency_ids() = 0;
};

}  // namespace motcua::engine
