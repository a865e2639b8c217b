// Placeholder until the owner of this command lands it; replaced, never shipped.
#include <cstdio>

#include "app/commands.hpp"

namespace motcua::app {
int run_migrate(const Words&) {
  std::fprintf(stderr, "motcua migrate: not built yet\n");
  return 2;
}
}  // namespace motcua::app
