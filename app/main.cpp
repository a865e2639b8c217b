// The `motcua` command: dispatches to one function per sub-command (app/commands.hpp).
#include <cstdio>
#include <string_view>

#include "app/commands.hpp"

int main(int argc, char** argv) { return motcua::app::dispatch(argc, argv); }
