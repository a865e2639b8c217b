#pragma once
// ProcedureVersionRepository: the procedure versions dossiers are pinned to, stored once and never
// changed. Thread-safe. Errors (common): kIo when the database fails.
#include <string>
#include <string_view>

#include "engine/error.hpp"
#include "engine/time.hpp"

namespace motcua::engine {

// One procedure version as published. Immutable once stored.
struct ProcedureVersionRecord {
  std::string code;        // national procedure code
  int version = 0;         // >= 1
  std::string hash;        // lowercase hex SHA-256 of `definition`
  std::string definition;  // the definition bytes (XML) exactly as published
  Instant stored{};
};

class ProcedureVersionRepository {
 public:
  virtual ~ProcedureVersionRepository() = default;
  // Stores a version. Storing the same (code, version, hash) again is a no-op. Errors: kConflict
  // when (code, version) already exists with another hash (published versions never change);
  // kInvalidInput when `hash` is not the SHA-256 of `definition`.
  virtual Status save(const ProcedureVersionRecord& record) = 0;
  // Errors: kNotFound.
  virtual Result<ProcedureVersionRecord> find(std::string_view code, int version) = 0;
  // The highest stored version of `code`. Errors: kNotFound.
  virtual Result<ProcedureVersionRecord> latest(std::string_view code) = 0;
};

}  // namespace motcua::engine
