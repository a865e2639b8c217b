#pragma once
// Limits applied to every untrusted XML document before parsing further.
#include <cstddef>

namespace motcua::signing {

struct Limits {
  std::size_t max_bytes = 16 * 1024 * 1024;  // whole document
  int max_depth = 64;                        // element nesting
};

}  // namespace motcua::signing
