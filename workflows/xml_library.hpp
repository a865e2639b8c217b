#pragma once
// XmlLibrary: the libxml2 initialisation guard. `main` (app dispatch) owns one for the whole run,
// constructed BEFORE signing::Library (xmlsec) and therefore destroyed after it. The constructor
// calls xmlInitParser (safe to call more than once); the destructor of the outermost guard calls
// xmlCleanupParser exactly once. signing's guard never calls xmlCleanupParser, so nothing is freed
// twice. Guards may nest (a command may hold its own while main holds one): only the last one to go
// cleans up. Construct and destroy guards on the main thread, while no other thread uses libxml2.
namespace motcua::workflows {

class XmlLibrary {
 public:
  XmlLibrary();
  ~XmlLibrary();
  XmlLibrary(const XmlLibrary&) = delete;
  XmlLibrary& operator=(const XmlLibrary&) = delete;
};

}  // namespace motcua::workflows
