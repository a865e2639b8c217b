#pragma once
// ProcedureSource: where the lifecycle services find the procedure versions dossiers are pinned to.
// The engine cannot read XML, so whoever can (app/ with the workflows catalogue, tests with a
// fixture) hands it parsed procedures together with the exact definition bytes they came from; the
// service stores those bytes in the ProcedureVersionRepository the first time a version is used.
//
// InMemoryProcedureSource is the ready-made implementation: fill it once at start-up, then share
// it read-only between threads.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "engine/procedure.hpp"

namespace motcua::engine {

// One published procedure version: the parsed definition and its exact bytes, both shared and
// immutable (a look-up copies two pointers, not the definition's kilobytes).
// Invariant: procedure->source_hash is the lowercase hex SHA-256 of `*definition`.
struct PublishedProcedure {
  std::shared_ptr<const Procedure> procedure;
  std::shared_ptr<const std::string> definition;
};

// Thread-safe in every implementation (const methods may run concurrently).
class ProcedureSource {
 public:
  virtual ~ProcedureSource() = default;
  // The version in force for new dossiers of `code` (the highest published version).
  // Errors: kNotFound when no version of `code` is known.
  virtual Result<PublishedProcedure> current(std::string_view code) const = 0;
  // Exactly (code, version), for dossiers already pinned to it. Errors: kNotFound.
  virtual Result<PublishedProcedure> find(std::string_view code, int version) const = 0;
  // The version in force of every code, ordered by code: what a catalogue lists. Without the
  // definition bytes.
  virtual std::vector<std::shared_ptr<const Procedure>> all_current() const = 0;
};

// A fixed set of versions. add() is not thread-safe; call it before sharing the source.
class InMemoryProcedureSource final : public ProcedureSource {
 public:
  // Errors: kInvalidInput when the procedure is null or its source_hash is not the SHA-256 of
  // `definition`; kConflict when (code, version) is already present with another hash.
  Status add(PublishedProcedure published);

  Result<PublishedProcedure> current(std::string_view code) const override;
  Result<PublishedProcedure> find(std::string_view code, int version) const override;
  std::vector<std::shared_ptr<const Procedure>> all_current() const override;

 private:
  std::map<std::pair<std::string, int>, PublishedProcedure, std::less<>> versions_;
};

}  // namespace motcua::engine
