#include "app/commands.hpp"

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "signing/library.hpp"
#include "workflows/xml_library.hpp"

namespace motcua::app {
namespace {

struct Entry {
  std::string_view name;
  std::string_view summary;
  int (*run)(const Words&);
};

constexpr Entry kCommands[] = {
    {"serve", "serve the HTTP API (serve [--db URL] [--listen ADDR:PORT] [--catalog DIR] ...)",
     run_serve},
    {"demo",
     "load the shipped catalogue and calendars and print a summary (what scripts/run starts)",
     run_demo},
    {"catalog", "check or list procedure definitions (catalog check [PATH...] | catalog list)",
     run_catalog},
    {"calendar",
     "working-time arithmetic (calendar due --from T --add \"N unit\" [--calendar FILE])",
     run_calendar},
    {"sign", "sign an XML document with XML-DSig (sign --key ... --in doc.xml --out signed.xml)",
     run_sign},
    {"verify", "verify a signed XML document against a trust store and print the report as JSON",
     run_verify},
    {"migrate", "apply the database schema migrations (migrate --db URL)", run_migrate},
    {"audit", "check every dossier's event hash chain (audit verify --db URL)", run_audit},
};

int usage(std::FILE* out) {
  std::fprintf(out,
               "motcua: one-stop public administrative services engine\n\n"
               "usage: motcua <command> [options]   (motcua <command> --help for each)\n\n"
               "commands:\n");
  for (const Entry& e : kCommands) {
    std::fprintf(out, "  %-9s %.*s\n", std::string(e.name).c_str(),
                 static_cast<int>(e.summary.size()), e.summary.data());
  }
  return out == stdout ? 0 : 2;
}

}  // namespace

std::string data_root() {
  if (const char* home = std::getenv("MOTCUA_HOME"); home != nullptr && *home != '\0') return home;
  return MOTCUA_SOURCE_DIR;
}

int dispatch(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  std::string_view name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") return usage(stdout);
  // Library-wide initialisation, once, in dependency order: libxml2, then xmlsec over it.
  workflows::XmlLibrary xml;
  signing::Library crypto;
  Words words(argv + 2, argv + argc);
  for (const Entry& e : kCommands) {
    if (e.name == name) return e.run(words);
  }
  std::fprintf(stderr, "motcua: unknown command '%s'\n\n", argv[1]);
  return usage(stderr);
}

}  // namespace motcua::app
