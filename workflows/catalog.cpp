#include "workflows/catalog.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace motcua::workflows {

engine::Result<std::vector<std::string>> definition_files(const std::string& directory) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(directory, ec))
    return engine::fail(engine::ErrorCode::kIo, "not a readable directory: " + directory);
  std::vector<std::string> files;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".xml" && it->is_regular_file(ec))
      files.push_back(it->path().string());
  }
  if (ec) return engine::fail(engine::ErrorCode::kIo, "cannot list " + directory, ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

engine::Result<Catalog::Report> Catalog::load_directory(const ProcedureLoader& loader,
                                                        const std::string& directory) {
  auto files = definition_files(directory);
  if (!files) return tl::unexpected(files.error());
  Report out;
  out.files = std::move(*files);
  for (const std::string& file : out.files) {
    // Read once: the bytes parsed are the bytes kept, hashed and later stored with the dossiers.
    auto bytes = read_file_limited(file, kDefinitionLimits.max_bytes);
    if (!bytes) {
      out.problems.push_back(std::move(bytes.error()));
      continue;
    }
    workflows::Loaded procedure = loader.load(*bytes, file);
    if (!procedure) {
      out.problems.insert(out.problems.end(), procedure.error().begin(), procedure.error().end());
      continue;
    }
    auto key = std::make_pair(procedure->code, procedure->version);
    if (ProcedurePtr first = out.catalog.find(key.first, key.second)) {
      out.problems.push_back({file, 0,
                              "procedure " + key.first + " version " + std::to_string(key.second) +
                                  " is already defined by " + first->source_path +
                                  "; this file is left out"});
      continue;
    }
    out.catalog.procedures_.emplace(
        std::move(key),
        engine::PublishedProcedure{std::make_shared<const engine::Procedure>(std::move(*procedure)),
                                   std::make_shared<const std::string>(std::move(*bytes))});
  }
  return out;
}

ProcedurePtr Catalog::find(std::string_view code, int version) const {
  auto it = procedures_.find({std::string(code), version});
  return it == procedures_.end() ? nullptr : it->second.procedure;
}

ProcedurePtr Catalog::latest(std::string_view code) const {
  ProcedurePtr best;
  for (const auto& [key, published] : procedures_) {
    if (key.first == code) best = published.procedure;  // ordered by version within a code
  }
  return best;
}

std::vector<ProcedurePtr> Catalog::all() const {
  std::vector<ProcedurePtr> out;
  for (const auto& [key, published] : procedures_) out.push_back(published.procedure);
  return out;
}

engine::Result<std::shared_ptr<const engine::InMemoryProcedureSource>> Catalog::procedure_source()
    const {
  auto source = std::make_shared<engine::InMemoryProcedureSource>();
  for (const auto& [key, published] : procedures_) {
    if (auto added = source->add(published); !added) return tl::unexpected(added.error());
  }
  return source;
}

}  // namespace motcua::workflows
