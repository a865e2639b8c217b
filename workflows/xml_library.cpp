#include "workflows/xml_library.hpp"

#include <libxml/parser.h>

#include <mutex>

namespace motcua::workflows {
namespace {

std::mutex guard_mutex;
int live_guards = 0;

}  // namespace

XmlLibrary::XmlLibrary() {
  std::lock_guard lock(guard_mutex);
  if (live_guards++ == 0) xmlInitParser();
}

XmlLibrary::~XmlLibrary() {
  std::lock_guard lock(guard_mutex);
  // xmlCleanupParser frees global state other libraries (xmlsec) may still use: only the outermost
  // guard, which main destroys last, may call it.
  if (--live_guards == 0) xmlCleanupParser();
}

}  // namespace motcua::workflows
