#include "workflows/calendar_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "workflows/calendar_file.hpp"

namespace motcua::workflows {
namespace {

namespace fs = std::filesystem;
using engine::ErrorCode;
using engine::fail;

constexpr std::uintmax_t kMaxFileBytes = 1 << 20;

engine::Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return fail(ErrorCode::kIo, fmt::format("{}: not a readable calendar file", path),
                ec ? ec.message() : std::string("not a regular file"));
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return fail(ErrorCode::kIo, fmt::format("{}: cannot read the file", path), ec.message());
  if (size > kMaxFileBytes) {
    return fail(ErrorCode::kIo,
                fmt::format("{}: the file is larger than {} bytes", path, kMaxFileBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(ErrorCode::kIo, fmt::format("{}: cannot open the file", path));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail(ErrorCode::kIo, fmt::format("{}: read error", path));
  return text;
}

}  // namespace

std::string default_calendar_dir(std::string_view data_root) {
  return (fs::path(data_root) / "workflows" / "calendar").string();
}

engine::Result<std::vector<std::string>> calendar_files(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".cal" && it->is_regular_file(ec)) {
        found.push_back(it->path().string());
      }
    }
    if (ec) {
      return fail(ErrorCode::kIo, fmt::format("{}: cannot list the directory", path), ec.message());
    }
    if (found.empty()) {
      return fail(ErrorCode::kIo,
                  fmt::format("{}: no calendar files (*.cal) in the directory", path));
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  if (files.empty()) return fail(ErrorCode::kIo, "no calendar file given");
  return files;
}

engine::Result<engine::CalendarData> load_calendar_data(const std::vector<std::string>& paths) {
  auto files = calendar_files(paths);
  if (!files) return tl::unexpected(files.error());
  // Each file is first parsed on its own, to learn its years; the files are then merged in year
  // order, because the merged calendar must stay one contiguous range of years.
  struct Loaded {
    std::string path;
    std::string text;
    int first_year;
  };
  std::vector<Loaded> loaded;
  for (const std::string& path : *files) {
    auto text = read_file(path);
    if (!text) return tl::unexpected(text.error());
    engine::CalendarData alone;
    if (auto ok = parse_calendar_file(*text, path, alone); !ok) {
      return tl::unexpected(ok.error());
    }
    loaded.push_back({path, std::move(*text), alone.first_year});
  }
  std::stable_sort(loaded.begin(), loaded.end(),
                   [](const Loaded& a, const Loaded& b) { return a.first_year < b.first_year; });
  engine::CalendarData data;
  data.first_year = data.last_year = 0;
  for (const Loaded& file : loaded) {
    if (auto ok = parse_calendar_file(file.text, file.path, data); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return data;
}

engine::Result<engine::Calendar> load_calendar(const std::vector<std::string>& paths) {
  auto data = load_calendar_data(paths);
  if (!data) return tl::unexpected(data.error());
  return engine::Calendar::create(std::move(*data));
}

std::optional<std::string> calendar_expiry_warning(const engine::Calendar& calendar,
                                                   engine::Instant now, int months) {
  using namespace std::chrono;
  const engine::LocalDate today = calendar.local_date(now);
  const engine::LocalDate last = calendar.last_covered_date();
  engine::LocalDate horizon = today + std::chrono::months{months};
  // 31 May + 6 months has no 31 Nov: take the last day of that month.
  if (!horizon.ok()) horizon = horizon.year() / horizon.month() / std::chrono::last;
  if (last >= horizon) return std::nullopt;
  const auto days_left = (sys_days{last} - sys_days{today}).count();
  const int next_year = static_cast<int>(last.year()) + 1;
  if (days_left < 0)
    return "the working-time calendar '" + calendar.data().name + "' ended on " +
           engine::format_date(last) +
           ": every deadline after it is refused; add the calendar file of " +
           std::to_string(next_year);
  return "the working-time calendar '" + calendar.data().name + "' ends on " +
         engine::format_date(last) + " (" + std::to_string(days_left) +
         " days from now): add the calendar file of " + std::to_string(next_year) +
         " (workflows/calendar/README.md) before deadlines reach it";
}

}  // namespace motcua::workflows
