#pragma once
// Maps a schema-valid definition document (schemas/workflow.xsd) to an engine::Procedure, with the
// source lines the validator needs. It checks only what the schema cannot: real calendar dates,
// numbers in range, duplicate per-channel limits. It does not run the semantic validator (see
// procedure_validator.hpp) and does not set source_hash. Pure; thread-safe.
#include <tl/expected.hpp>

#include "engine/procedure.hpp"
#include "workflows/diagnostic.hpp"
#include "workflows/internal/procedure_validator.hpp"
#include "workflows/xml_document.hpp"

namespace motcua::workflows {

struct ReadProcedure {
  engine::Procedure procedure;
  SourceLines lines;
};

tl::expected<ReadProcedure, Diagnostics> read_procedure(const XmlDocument& document);

}  // namespace motcua::workflows
