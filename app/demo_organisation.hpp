#pragma once
// The demo organisation of samples/demo/agencies.tsv: which concrete QCVN 102 agency id stands for
// each agency key of the catalogue's procedures. Read once by the demo; plain value.
#include <map>
#include <string>

#include "engine/error.hpp"

namespace motcua::app {

struct DemoAgency {
  std::string id;
  std::string name_vi;
  std::string name_en;
};

// Parses the TSV file (comments with '#', four tab-separated columns). Errors: kIo when unreadable,
// kInvalidInput with "file:line" for a malformed row or a duplicate key.
engine::Result<std::map<std::string, DemoAgency>> load_demo_agencies(const std::string& path);

}  // namespace motcua::app
