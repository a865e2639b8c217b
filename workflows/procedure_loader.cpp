#include "workflows/procedure_loader.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <filesystem>

#include "workflows/procedure_reader.hpp"
#include "workflows/procedure_validator.hpp"

namespace motcua::workflows {

engine::Result<std::string> sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    char text[256] = {};
    ERR_error_string_n(ERR_get_error(), text, sizeof text);
    ERR_clear_error();
    return engine::fail(engine::ErrorCode::kInternal, "SHA-256 failed", text);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0x0f];
  }
  return hex;
}

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
  auto hash = sha256_hex(bytes);
  if (!hash) return tl::unexpected(Diagnostics{{source_name, 0, hash.error().message}});
  read->procedure.source_hash = std::move(*hash);
  return std::move(read->procedure);
}

}  // namespace motcua::workflows
