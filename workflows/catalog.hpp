#pragma once
// Catalog: the valid procedure definitions of a directory, by (code, version). Every *.xml file
// directly under the directory is loaded in file-name order; a file with any problem is left out
// and its problems are reported (a broken definition never loads), as is a second file with a
// (code, version) already loaded. Each procedure is kept with the exact bytes it was parsed from
// (its source_hash is theirs: a file changed on disk after the load changes nothing here), so the
// engine gets the very definition that was validated (procedure_source()). Immutable after load:
// safe to share between threads; procedures are handed out as shared pointers to const and stay
// valid as long as any holder keeps them.
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/error.hpp"
#include "engine/procedure.hpp"
#include "engine/procedure_source.hpp"
#include "workflows/diagnostic.hpp"
#include "workflows/procedure_loader.hpp"

namespace motcua::workflows {

using ProcedurePtr = std::shared_ptr<const engine::Procedure>;

class Catalog {
 public:
  struct Report;

  // Errors: kIo when `directory` is not a readable directory. Per-file problems are not errors of
  // the call: they are in Report::problems.
  static engine::Result<Report> load_directory(const ProcedureLoader& loader,
                                               const std::string& directory);

  // nullptr when absent.
  ProcedurePtr find(std::string_view code, int version) const;
  // The highest version of `code`; nullptr when absent.
  ProcedurePtr latest(std::string_view code) const;
  // Every procedure, ordered by code then version.
  std::vector<ProcedurePtr> all() const;
  std::size_t size() const { return procedures_.size(); }
  // Every procedure with the bytes it was parsed from, for the engine's lifecycle services and the
  // API (one source shared by both). Errors: none expected (each hash was computed from the bytes
  // kept); kInvalidInput from engine::InMemoryProcedureSource::add otherwise.
  engine::Result<std::shared_ptr<const engine::InMemoryProcedureSource>> procedure_source() const;

 private:
  std::map<std::pair<std::string, int>, engine::PublishedProcedure> procedures_;
};

struct Catalog::Report {
  Catalog catalog;
  std::vector<std::string> files;  // every *.xml file examined, sorted
  Diagnostics problems;            // of the files left out, each with file and line
};

// The *.xml files directly under `directory`, sorted by name. Errors: kIo.
engine::Result<std::vector<std::string>> definition_files(const std::string& directory);

}  // namespace motcua::workflows
