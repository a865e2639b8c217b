#include "app/demo_organisation.hpp"

#include <fstream>
#include <sstream>
#include <vector>

namespace motcua::app {

engine::Result<std::map<std::string, DemoAgency>> load_demo_agencies(const std::string& path) {
  std::ifstream in(path);
  if (!in) return engine::fail(engine::ErrorCode::kIo, "cannot read " + path);
  std::map<std::string, DemoAgency> agencies;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> columns;
    std::istringstream row(line);
    for (std::string column; std::getline(row, column, '\t');) columns.push_back(column);
    const std::string where = path + ":" + std::to_string(number);
    if (columns.size() != 4) {
      return engine::fail(engine::ErrorCode::kInvalidInput,
                          where + ": expected 4 tab-separated columns");
    }
    if (!agencies.emplace(columns[0], DemoAgency{columns[1], columns[2], columns[3]}).second) {
      return engine::fail(engine::ErrorCode::kInvalidInput,
                          where + ": duplicate key " + columns[0]);
    }
  }
  return agencies;
}

}  // namespace motcua::app
