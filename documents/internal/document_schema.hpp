#pragma once
// DocumentSchema: one W3C XML Schema (schemas/receipt.xsd, schemas/result.xsd) loaded once from a
// trusted file, used to check every document motcua renders before it is signed. Documents are
// parsed with no DTD, no entities and no network access. Immutable after load: validate() may run
// on several threads at once (each call has its own parser and validation context). Requires
// libxml2 to be initialised (signing::Library does it).
#include <memory>
#include <string>
#include <string_view>

#include "engine/error.hpp"

namespace motcua::documents {

// Rendered documents larger than this are refused.
inline constexpr std::size_t kMaxDocumentBytes = 1024 * 1024;

class DocumentSchema {
 public:
  // Errors: kIo (the file cannot be read), kInvalidDefinition (not XML, or not a valid schema).
  static engine::Result<DocumentSchema> load(const std::string& path);

  // Errors: kInvalidInput with the first schema violations (line and message) in the detail.
  engine::Status validate(std::string_view xml) const;

 private:
  struct Compiled;
  explicit DocumentSchema(std::shared_ptr<const Compiled> compiled)
      : compiled_(std::move(compiled)) {}
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace motcua::documents
