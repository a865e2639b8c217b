#include "engine/procedure_source.hpp"

#include "engine/audit_chain.hpp"

namespace motcua::engine {

Status InMemoryProcedureSource::add(PublishedProcedure published) {
  if (!published.procedure || !published.definition)
    return fail(ErrorCode::kInvalidInput, "no procedure or no definition given");
  auto digest = sha256(*published.definition);
  if (!digest) return tl::unexpected(digest.error());
  const Procedure& p = *published.procedure;
  if (to_hex(*digest) != p.source_hash) {
    return fail(ErrorCode::kInvalidInput, "procedure " + p.code + " version " +
                                              std::to_string(p.version) +
                                              ": source_hash is not the SHA-256 of the definition");
  }
  auto key = std::make_pair(p.code, p.version);
  if (auto it = versions_.find(key); it != versions_.end()) {
    if (it->second.procedure->source_hash != p.source_hash) {
      return fail(ErrorCode::kConflict, "procedure " + p.code + " version " +
                                            std::to_string(p.version) +
                                            " is already present with another definition");
    }
    return {};
  }
  versions_.emplace(std::move(key), std::move(published));
  return {};
}

Result<PublishedProcedure> InMemoryProcedureSource::current(std::string_view code) const {
  const PublishedProcedure* found = nullptr;
  for (const auto& [key, published] : versions_) {
    if (key.first == code) found = &published;  // map order: the last one is the highest version
  }
  if (found == nullptr) {
    return deny(ErrorCode::kNotFound, "no procedure " + std::string(code) + " is published");
  }
  return *found;
}

Result<PublishedProcedure> InMemoryProcedureSource::find(std::string_view code, int version) const {
  for (const auto& [key, published] : versions_) {
    if (key.first == code && key.second == version) return published;
  }
  return deny(ErrorCode::kNotFound, "procedure " + std::string(code) + " version " +
                                        std::to_string(version) + " is not available");
}

std::vector<std::shared_ptr<const Procedure>> InMemoryProcedureSource::all_current() const {
  std::vector<std::shared_ptr<const Procedure>> out;
  for (const auto& [key, published] : versions_) {
    // Map order: versions of one code are adjacent, ascending; the last of each run is in force.
    if (!out.empty() && out.back()->code == key.first) {
      out.back() = published.procedure;
    } else {
      out.push_back(published.procedure);
    }
  }
  return out;
}

}  // namespace motcua::engine
