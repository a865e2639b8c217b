#include "tests/workflows/test_support.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace motcua::workflows::testing {

const ProcedureLoader& loader() {
  static XmlLibrary library;
  static const ProcedureLoader instance = [] {
    auto created = ProcedureLoader::create(kSchemaPath);
    if (!created) throw std::runtime_error(created.error().message);
    return std::move(*created);
  }();
  return instance;
}

const Diagnostic* find(const Diagnostics& diagnostics, std::string_view text) {
  for (const Diagnostic& d : diagnostics) {
    if (d.message.find(text) != std::string::npos) return &d;
  }
  return nullptr;
}

std::string dump(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics) out += d.to_string() + "\n";
  return out;
}

std::string catalog_file(const std::string& name) {
  std::ifstream in(kCatalogDir + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing catalogue file " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace motcua::workflows::testing
