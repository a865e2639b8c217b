#pragma once
// The sub-commands of `motcua`. Each run_* takes the words after its own name, prints to
// stdout/stderr and returns the process exit code (0 success, 1 failure of the checked thing,
// 2 usage error). dispatch() owns the library guards for the whole run.
#include <string>
#include <vector>

namespace motcua::app {

using Words = std::vector<std::string>;

int dispatch(int argc, char** argv);

int run_catalog(const Words& words);   // app/cmd_catalog.cpp: catalog check|list
int run_calendar(const Words& words);  // app/cmd_calendar.cpp: calendar due|show
int run_sign(const Words& words);      // app/cmd_sign.cpp
int run_verify(const Words& words);    // app/cmd_verify.cpp
int run_serve(const Words& words);    // app/cmd_serve.cpp: the HTTP API (what scripts/run starts)
int run_demo(const Words& words);      // app/cmd_demo.cpp: what scripts/run starts
int run_migrate(const Words& words);   // app/cmd_migrate.cpp: migrate --db URL
int run_audit(const Words& words);     // app/cmd_audit.cpp: audit verify --db URL

// Where the shipped data lives: $MOTCUA_HOME if set, else the source tree the binary was built from.
std::string data_root();

}  // namespace motcua::app
