#include "workflows/legal_rules_file.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <system_error>

namespace motcua::workflows {
namespace {

using engine::ErrorCode;

constexpr std::uintmax_t kMaxFileBytes = 64 * 1024;

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

// Splits "word rest" at the first blank.
std::pair<std::string_view, std::string_view> head(std::string_view text) {
  text = trim(text);
  const auto blank = text.find_first_of(" \t");
  if (blank == std::string_view::npos) return {text, {}};
  return {text.substr(0, blank), trim(text.substr(blank))};
}

std::optional<int> whole(std::string_view text, int min, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}

class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  tl::unexpected<engine::Error> error(int line, const std::string& message) const {
    return tl::unexpected(engine::Error{
        ErrorCode::kInvalidDefinition, source_ + ":" + std::to_string(line) + ": " + message, {}});
  }

  engine::Result<engine::LegalRules> parse(std::string_view text) {
    if (text.size() > kMaxFileBytes) return error(0, "the file is larger than 64 KiB");
    int line = 0;
    while (!text.empty()) {
      ++line;
      const auto nl = text.find('\n');
      const std::string_view raw = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
      const std::string_view content = trim(raw);
      if (content.empty() || content.front() == '#') continue;
      if (auto ok = parse_line(content, line); !ok) return tl::unexpected(ok.error());
    }
    if (!has_name_ || !has_version_ || !has_date_)
      return error(line, "the file needs the lines 'rules', 'version' and 'effective-from'");
    for (std::string_view name : engine::kLegalRuleNames) {
      if (!rules_.sources.contains(std::string(name)))
        return error(line, "rule '" + std::string(name) + "' is missing");
    }
    for (auto& [name, source] : rules_.sources) source.effective_from = rules_.effective_from;
    return rules_;
  }

 private:
  engine::Status parse_line(std::string_view content, int line) {
    auto [directive, rest] = head(content);
    if (directive == "rules") {
      if (rest.empty() || rest.find_first_of(" \t") != std::string_view::npos)
        return error(line, "the rule set name must be one word");
      rules_.name = std::string(rest);
      has_name_ = true;
      return {};
    }
    if (directive == "version") {
      auto v = whole(rest, 1, 1'000'000);
      if (!v) return error(line, "version must be a whole number from 1");
      rules_.version = *v;
      has_version_ = true;
      return {};
    }
    if (directive == "effective-from") {
      auto d = engine::parse_date(rest);
      if (!d) return error(line, "effective-from: " + d.error().message);
      rules_.effective_from = *d;
      has_date_ = true;
      return {};
    }
    if (directive == "rule") return parse_rule(rest, line);
    return error(line, "unknown directive '" + std::string(directive) + "'");
  }

  engine::Status parse_rule(std::string_view rest, int line) {
    const auto bar = rest.find('|');
    if (bar == std::string_view::npos || trim(rest.substr(bar + 1)).empty())
      return error(line, "a rule states its legal basis after '|'");
    auto [name, value] = head(rest.substr(0, bar));
    const std::string key(name);
    if (std::find(std::begin(engine::kLegalRuleNames), std::end(engine::kLegalRuleNames), name) ==
        std::end(engine::kLegalRuleNames))
      return error(line, "unknown rule '" + key + "'");
    if (rules_.sources.contains(key)) return error(line, "rule '" + key + "' is given twice");
    if (key == "supplement-window" || key == "apology-lead") {
      auto d = engine::parse_duration(value);
      if (!d) return error(line, "rule '" + key + "': " + d.error().message);
      if (d->unit == engine::DurationUnit::kCalendarDays || d->amount > 365)
        return error(line, "rule '" + key + "' must be in working days or hours, at most 365");
      (key == "supplement-window" ? rules_.supplement_window : rules_.apology_lead) = *d;
    } else {
      auto n = whole(value, key == "working-day-hours" ? 1 : 0, 24);
      if (!n) return error(line, "rule '" + key + "' must be a whole number (at most 24)");
      (key == "working-day-hours" ? rules_.working_day_hours : rules_.supplements_before_late) = *n;
    }
    rules_.sources[key] = {std::string(trim(rest.substr(bar + 1))), {}};
    return {};
  }

  std::string source_;
  engine::LegalRules rules_;
  bool has_name_ = false, has_version_ = false, has_date_ = false;
};

engine::Result<std::string> read_small_file(const std::filesystem::path& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || !std::filesystem::is_regular_file(path, ec) || size > kMaxFileBytes)
    return engine::fail(ErrorCode::kIo, "cannot read rules file " + path.string() +
                                            " (missing, not a file, or over 64 KiB)");
  std::ifstream in(path, std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (!in && !in.eof()) return engine::fail(ErrorCode::kIo, "cannot read " + path.string());
  return text;
}

}  // namespace

engine::Result<engine::LegalRules> parse_legal_rules(std::string_view text,
                                                     std::string_view source_name) {
  return Parser(source_name).parse(text);
}

std::string default_rules_dir(std::string_view data_root) {
  return std::string(data_root) + "/workflows/rules";
}

engine::Result<engine::LegalRuleBook> load_legal_rules(const std::vector<std::string>& paths) {
  std::vector<std::filesystem::path> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) {
      files.emplace_back(p);
      continue;
    }
    std::vector<std::filesystem::path> found;
    for (const auto& entry : std::filesystem::directory_iterator(p, ec)) {
      if (entry.path().extension() == ".rules") found.push_back(entry.path());
    }
    if (ec || found.empty())
      return engine::fail(ErrorCode::kIo, "no *.rules file in directory " + p);
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  std::vector<engine::LegalRules> versions;
  for (const auto& file : files) {
    auto text = read_small_file(file);
    if (!text) return tl::unexpected(text.error());
    auto rules = parse_legal_rules(*text, file.filename().string());
    if (!rules) return tl::unexpected(rules.error());
    versions.push_back(std::move(*rules));
  }
  return engine::LegalRuleBook::create(std::move(versions));
}

}  // namespace motcua::workflows
