#pragma once
// XmlSchema: a W3C XML Schema (XSD) loaded once from a trusted file and used to validate documents.
// Immutable after load; validate() may run concurrently from several threads (each call has its own
// validation context). Requires XmlLibrary (xml_library.hpp).
#include <memory>
#include <string>
#include <tl/expected.hpp>

#include "workflows/diagnostic.hpp"
#include "workflows/xml_document.hpp"

namespace motcua::workflows {

class XmlSchema {
 public:
  // Errors: the file cannot be read, is not XML, or is not a valid schema (first problem, with
  // line).
  static tl::expected<XmlSchema, Diagnostic> load_file(const std::string& path);

  // Every schema violation of `document`, each with its line; empty when the document is valid.
  // Element names are shown without their namespace ("Element 'statex': ...").
  Diagnostics validate(const XmlDocument& document) const;

 private:
  struct Compiled;
  explicit XmlSchema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace motcua::workflows
