#pragma once
// ProcedureLoader: turns a definition file (schemas/workflow.xsd) into a validated
// engine::Procedure. Steps, each stopping the load when it finds problems: safe parsing
// (xml_document.hpp: no DOCTYPE, no entities, no network, 4 MiB and depth 64 limits) -> XSD
// validation (every violation with its line) -> mapping -> semantic validation
// (procedure_validator.hpp, every problem with its line). A definition with any problem never
// produces a Procedure. On success source_path is the given path or name and source_hash the
// lowercase hex SHA-256 of the exact bytes. The loader is immutable and cheap to copy; load() may
// run concurrently from several threads. Requires XmlLibrary (xml_library.hpp) to be alive.
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "engine/error.hpp"
#include "engine/procedure.hpp"
#include "workflows/diagnostic.hpp"
#include "workflows/xml_document.hpp"
#include "workflows/xml_schema.hpp"

namespace motcua::workflows {

using Loaded = tl::expected<engine::Procedure, Diagnostics>;

// Limits for procedure definitions.
inline constexpr XmlLimits kDefinitionLimits{4 * 1024 * 1024, 64};

class ProcedureLoader {
 public:
  // Loads the schema, normally data_root() + "/schemas/workflow.xsd". Errors: kIo when the file
  // cannot be read, kInvalidDefinition when it is not a valid schema.
  static engine::Result<ProcedureLoader> create(const std::string& schema_path);

  Loaded load_file(const std::string& path) const;
  Loaded load(std::string_view bytes, const std::string& source_name) const;

 private:
  explicit ProcedureLoader(XmlSchema schema) : schema_(std::move(schema)) {}
  XmlSchema schema_;
};

}  // namespace motcua::workflows
