#pragma once
// Shared helpers of the workflows tests: the shipped schema and catalogue, a loader, and a way to
// tell whether some diagnostic mentions a text (and sits on a given line).
#include <string>
#include <string_view>

#include "workflows/diagnostic.hpp"
#include "workflows/procedure_loader.hpp"
#include "workflows/xml_library.hpp"

namespace motcua::workflows::testing {

inline const std::string kSchemaPath = std::string(MOTCUA_SOURCE_DIR) + "/schemas/workflow.xsd";
inline const std::string kCatalogDir = std::string(MOTCUA_SOURCE_DIR) + "/workflows/catalog";

// The loader of the shipped schema; libxml2 initialised for the whole test run.
const ProcedureLoader& loader();

// The first diagnostic whose message contains `text`, or nullptr.
const Diagnostic* find(const Diagnostics& diagnostics, std::string_view text);

// All diagnostics, one per line, for failure messages.
std::string dump(const Diagnostics& diagnostics);

// The text of a shipped catalogue file.
std::string catalog_file(const std::string& name);

}  // namespace motcua::workflows::testing
