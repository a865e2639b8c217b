#include "app/args.hpp"

#include <algorithm>

namespace motcua::app {

std::optional<std::string> Args::parse(const std::vector<std::string>& words,
                                       std::initializer_list<std::string_view> options,
                                       std::initializer_list<std::string_view> switches,
                                       Args& out) {
  auto in = [](std::initializer_list<std::string_view> list, std::string_view name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.size() < 3 || word.rfind("--", 0) != 0) {
      out.positional_.push_back(word);
      continue;
    }
    std::string name = word.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    if (in(switches, name) && !inline_value) {
      out.options_.emplace_back(name, "");
    } else if (in(options, name)) {
      if (inline_value) {
        out.options_.emplace_back(name, *inline_value);
      } else if (i + 1 < words.size()) {
        out.options_.emplace_back(name, words[++i]);
      } else {
        return "option --" + name + " needs a value";
      }
    } else {
      return "unknown option --" + name;
    }
  }
  return std::nullopt;
}

std::optional<std::string> Args::get(std::string_view name) const {
  for (auto it = options_.rbegin(); it != options_.rend(); ++it) {
    if (it->first == name) return it->second;
  }
  return std::nullopt;
}

std::vector<std::string> Args::all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : options_) {
    if (key == name) values.push_back(value);
  }
  return values;
}

bool Args::has(std::string_view name) const {
  return std::any_of(options_.begin(), options_.end(),
                     [&](const auto& o) { return o.first == name; });
}

}  // namespace motcua::app
