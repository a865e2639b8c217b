// motcua catalog check|list: validate procedure definitions and list the catalogue.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "engine/procedure.hpp"
#include "workflows/catalog.hpp"
#include "workflows/procedure_loader.hpp"

namespace motcua::app {
namespace {

constexpr const char* kUsage =
    "usage:\n"
    "  motcua catalog check [PATH...]\n"
    "  motcua catalog list [--catalog DIR]\n"
    "\n"
    "  check  validates procedure definitions (files, or directories of *.xml files) against\n"
    "         schemas/workflow.xsd and the semantic rules, and prints every problem as\n"
    "         file:line: message. Default PATH: the shipped catalogue.\n"
    "  list   prints a table of the valid procedures of a catalogue directory (default: the\n"
    "         shipped catalogue); problems of the files left out go to stderr.\n"
    "\n"
    "  The shipped data are read from $MOTCUA_HOME, or the source tree the binary was built from.\n"
    "\n"
    "exit status: 0 every definition valid, 1 some definition invalid or unreadable, 2 usage.\n";

int usage_error(const std::string& message) {
  std::fprintf(stderr, "motcua catalog: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

std::string default_catalog() { return data_root() + "/workflows/catalog"; }

engine::Result<workflows::ProcedureLoader> make_loader() {
  return workflows::ProcedureLoader::create(data_root() + "/schemas/workflow.xsd");
}

int report_setup_error(const engine::Error& error) {
  std::fprintf(stderr, "motcua catalog: %s\n", error.message.c_str());
  return 1;
}

int run_check(const Words& words) {
  Args args;
  if (auto error = Args::parse(words, {}, {"help"}, args)) return usage_error(*error);
  if (args.has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  auto loader = make_loader();
  if (!loader) return report_setup_error(loader.error());

  std::vector<std::string> paths = args.positional();
  if (paths.empty()) paths.push_back(default_catalog());
  workflows::Diagnostics problems;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      auto listed = workflows::definition_files(path);
      if (!listed)
        problems.push_back({path, 0, listed.error().message});
      else
        files.insert(files.end(), listed->begin(), listed->end());
    } else {
      files.push_back(path);  // a missing file is reported by the loader
    }
  }
  std::map<std::pair<std::string, int>, std::string> seen;  // (code, version) -> file
  std::size_t valid = 0;
  for (const std::string& file : files) {
    auto procedure = loader->load_file(file);
    if (!procedure) {
      problems.insert(problems.end(), procedure.error().begin(), procedure.error().end());
      continue;
    }
    auto [it, inserted] = seen.emplace(std::make_pair(procedure->code, procedure->version), file);
    if (!inserted) {
      problems.push_back({file, 0,
                          "procedure " + procedure->code + " version " +
                              std::to_string(procedure->version) + " is already defined by " +
                              it->second});
      continue;
    }
    ++valid;
  }
  for (const workflows::Diagnostic& d : problems) std::printf("%s\n", d.to_string().c_str());
  std::printf("%zu of %zu definitions valid\n", valid, files.size());
  return problems.empty() ? 0 : 1;
}

// Display width of UTF-8 text in code points (the catalogue's Vietnamese is precomposed, NFC).
std::size_t width(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// Cuts to at most `max` code points (ending in "…" when cut) and pads with spaces to `max`.
std::string cell(const std::string& text, std::size_t max) {
  std::string out;
  std::size_t points = 0;
  if (width(text) <= max) {
    out = text;
    points = width(text);
  } else {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if ((c & 0xC0) != 0x80 && ++points == max) break;
      out += text[i];
    }
    out += "…";
  }
  return out + std::string(max - std::min(points, max), ' ');
}

std::string describe_limit(const engine::Procedure& p) {
  const auto& limit = p.time_limit;
  std::string text;
  if (limit.same_day_cutoff) {
    const int cutoff = *limit.same_day_cutoff;
    char clock[8];
    std::snprintf(clock, sizeof clock, "%02d:%02d", cutoff / 60 % 100, cutoff % 60);
    text = "same day (" + std::string(clock) + " rule)";
    if (limit.total.amount > 0)
      text += " + " + std::to_string(limit.total.amount) + " " +
              std::string(engine::to_string(limit.total.unit));
  } else {
    text =
        std::to_string(limit.total.amount) + " " + std::string(engine::to_string(limit.total.unit));
  }
  for (const auto& [channel, d] : limit.by_channel) {
    if (d == limit.total) continue;
    text += "; " + std::string(engine::to_string(channel)) + " " + std::to_string(d.amount) + " " +
            std::string(engine::to_string(d.unit));
  }
  if (limit.by_field && !limit.by_field->cases.empty()) {
    // The limit follows a form field (1.013225: the work type); show its range.
    auto [low, high] = std::minmax_element(
        limit.by_field->cases.begin(), limit.by_field->cases.end(),
        [](const auto& a, const auto& b) { return a.limit.amount < b.limit.amount; });
    text += "; by " + limit.by_field->field + ": " + std::to_string(low->limit.amount) + "-" +
            std::to_string(high->limit.amount);
  }
  return text;
}

int run_list(const Words& words) {
  Args args;
  if (auto error = Args::parse(words, {"catalog"}, {"help"}, args)) return usage_error(*error);
  if (args.has("help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!args.positional().empty()) return usage_error("unexpected argument " + args.positional()[0]);
  auto loader = make_loader();
  if (!loader) return report_setup_error(loader.error());
  auto report =
      workflows::Catalog::load_directory(*loader, args.get("catalog").value_or(default_catalog()));
  if (!report) return report_setup_error(report.error());

  std::printf("%s %s %s %s %s %s %s\n", cell("code", 8).c_str(), cell("ver", 3).c_str(),
              cell("name (vi)", 40).c_str(), cell("name (en)", 40).c_str(),
              cell("online", 9).c_str(), cell("time limit", 52).c_str(), "agencies");
  for (const workflows::ProcedurePtr& p : report->catalog.all()) {
    std::string agencies;
    for (const engine::Agency& a : p->agencies) {
      agencies += (agencies.empty() ? "" : ", ") + a.key +
                  (a.key == p->receiving_agency ? " (receiving)" : "");
    }
    const std::string online =
        std::to_string(p->online.level) + (p->online.full ? " full" : " partial");
    std::printf("%s %s %s %s %s %s %s\n", cell(p->code, 8).c_str(),
                cell(std::to_string(p->version), 3).c_str(), cell(p->name.vi, 40).c_str(),
                cell(p->name.en, 40).c_str(), cell(online, 9).c_str(),
                cell(describe_limit(*p), 52).c_str(), agencies.c_str());
  }
  for (const workflows::Diagnostic& d : report->problems)
    std::fprintf(stderr, "%s\n", d.to_string().c_str());
  return report->problems.empty() ? 0 : 1;
}

}  // namespace

int run_catalog(const Words& words) {
  if (words.empty()) return usage_error("missing sub-command (check or list)");
  const std::string& sub = words.front();
  if (sub == "--help" || sub == "-h" || sub == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const Words rest(words.begin() + 1, words.end());
  if (sub == "check") return run_check(rest);
  if (sub == "list") return run_list(rest);
  return usage_error("unknown sub-command '" + sub + "'");
}

}  // namespace motcua::app
