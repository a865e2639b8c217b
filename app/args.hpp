#pragma once
// Command-line arguments of one sub-command: `--name value` options, `--flag` switches and
// positional words. Options listed as switches take no value.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::app {

class Args {
 public:
  // `words` are the arguments after the sub-command name(s). Returns an error message when an
  // option that needs a value has none, or an unknown option appears.
  static std::optional<std::string> parse(const std::vector<std::string>& words,
                                          std::initializer_list<std::string_view> options,
                                          std::initializer_list<std::string_view> switches,
                                          Args& out);

  std::optional<std::string> get(std::string_view name) const;  // last value of --name
  std::vector<std::string> all(std::string_view name) const;    // every value of --name
  bool has(std::string_view name) const;                        // switch or option given
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::vector<std::pair<std::string, std::string>> options_;
  std::vector<std::string> positional_;
};

}  // namespace motcua::app
