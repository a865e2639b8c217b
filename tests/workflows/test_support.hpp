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

namespace motcua::workflows::testing {

// A small valid definition (two agencies, a parallel state, budgets 3 + 1 + 1 of 5 working days)
// that the validator tests mutate one rule at a time.
const std::string& minimal_definition();

// `text` with the only occurrence of `from` replaced by `to`; throws if `from` is absent or
// repeated, so a test never silently checks an unchanged definition.
std::string with(std::string text, const std::string& from, const std::string& to);

// 1-based line of the first occurrence of `snippet` in `text`; throws if absent.
int line_of(const std::string& text, const std::string& snippet);

}  // namespace motcua::workflows::testing
