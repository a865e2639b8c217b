#include "workflows/procedure_loader.hpp"

#include <filesystem>

#include "engine/audit_chain.hpp"
#include "workflows/internal/procedure_reader.hpp"
#include "workflows/internal/procedure_validator.hpp"

namespace motcua::workflows {

engine::Result<ProcedureLoader> ProcedureLoader::create(const std::string& schema_path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(schema_path, ec))
    return engine::fail(engine::ErrorCode::kIo, "cannot read the definition schema " + schema_path);
  auto schema = XmlSchema::load_file(schema_path);
  if (!schema)
    return engine::fail(engine::ErrorCode::kInvalidDefinition,
                        "the definition schema is not valid: " + schema.error().to_string());
  return ProcedureLoader(std::move(*schema));
}

Loaded ProcedureLoader::load_file(const std::string& path) const {
  auto bytes = read_file_limited(path, kDefinitionLimits.max_bytes);
  if (!bytes) return tl::unexpected(Diagnostics{std::move(bytes.error())});
  return load(*bytes, path);
}

Loaded ProcedureLoader::load(std::string_view bytes, const std::string& source_name) const {
  auto document = XmlDocument::parse(bytes, source_name, kDefinitionLimits);
  if (!document) return tl::unexpected(Diagnostics{std::move(document.error())});
  if (Diagnostics problems = schema_.validate(*document); !problems.empty())
    return tl::unexpected(std::move(problems));
  auto read = read_procedure(*document);
  if (!read) return tl::unexpected(std::move(read.error()));
  if (Diagnostics problems = validate_procedure(read->procedure, read->lines); !problems.empty())
    return tl::unexpected(std::move(problems));
  auto digest = engine::sha256(bytes);
  if (!digest) return tl::unexpected(Diagnostics{{source_name, 0, digest.error().message}});
  read->procedure.source_hash = engine::to_hex(*digest);
  return std::move(read->procedure);
}

}  // namespace motcua::workflows
