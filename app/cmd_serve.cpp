// motcua serve: the product's main job. Parses the command line (app/serve_config.hpp), builds the
// composition root (app/serve_root.hpp: database, catalogue, calendar, demo organisation, signing,
// lifecycle service, HTTP API) and serves until SIGTERM/SIGINT, draining in-flight requests; the
// root's destructor then tears everything down in reverse order of construction.
#include <cstdio>

#include "app/commands.hpp"
#include "app/serve_config.hpp"
#include "app/serve_root.hpp"

namespace motcua::app {

int run_serve(const Words& words) {
  auto config = parse_serve_config(words, data_root());
  if (!config) {
    std::fprintf(stderr, "motcua serve: %s\n\n%s", config.error().message.c_str(), kServeUsage);
    return 2;
  }
  if (config->help) {
    std::fputs(kServeUsage, stdout);
    return 0;
  }
  auto root = ServeRoot::create(*config, data_root());
  if (!root) {
    const engine::Error& e = root.error().error;
    std::fprintf(stderr, "motcua serve: %s: %s%s%s\n", root.error().what.c_str(), e.message.c_str(),
                 e.detail.empty() ? "" : " -- ", e.detail.c_str());
    return root.error().exit_code;
  }
  (*root)->run();
  std::printf("motcua serve: stopped\n");
  std::fflush(stdout);
  return 0;
}

}  // namespace motcua::app
