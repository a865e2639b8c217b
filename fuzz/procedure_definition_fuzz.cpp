// libFuzzer target: a procedure definition file, through the whole loader the catalogue and
// `motcua catalog check` use (workflows/procedure_loader.hpp): safe parsing, XSD validation,
// mapping and semantic validation. The input is the file's bytes.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "workflows/procedure_loader.hpp"
#include "workflows/xml_library.hpp"

namespace {

using motcua::workflows::ProcedureLoader;

// Built once: libxml2's initialisation guard and the compiled schema live until exit (read-only
// afterwards, as in the server).
const ProcedureLoader& loader() {
  static const motcua::workflows::XmlLibrary* library = new motcua::workflows::XmlLibrary();
  (void)library;
  static const ProcedureLoader* made = [] {
    auto created = ProcedureLoader::create(MOTCUA_SOURCE_DIR "/schemas/workflow.xsd");
    if (!created) std::abort();
    return new ProcedureLoader(std::move(*created));
  }();
  return *made;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  loader();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto loaded = loader().load(bytes, "fuzz.xml");
  // A definition is either a Procedure with the hash of its bytes or at least one diagnostic.
  if (loaded ? loaded->source_hash.size() != 64 : loaded.error().empty()) std::abort();
  return 0;
}
