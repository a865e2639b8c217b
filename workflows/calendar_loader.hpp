#pragma once
// Loads the working-time calendar from yearly text files (format: workflows/calendar/README.md).
// Each path may be a file or a directory (every *.cal file directly inside it). Files are parsed
// with engine::parse_calendar_file and merged in year order, whatever order they are given in, so
// a set of adjacent years becomes one Calendar. Stateless free functions; thread-safe.
//
// Errors: kIo when a path cannot be read (missing, unreadable, not a regular file, larger than
// 1 MiB, or a directory with no *.cal file); kInvalidDefinition (message "file:line: ...") when a
// file is malformed or the files disagree (different hours, overlapping or non-adjacent years).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/calendar.hpp"

namespace motcua::workflows {

// The directory of the shipped calendars under a data root: "<root>/workflows/calendar".
std::string default_calendar_dir(std::string_view data_root);

// The *.cal files that `paths` name, expanded and sorted by name within each directory.
engine::Result<std::vector<std::string>> calendar_files(const std::vector<std::string>& paths);

// Reads and merges the files into CalendarData (not yet validated as a whole).
engine::Result<engine::CalendarData> load_calendar_data(const std::vector<std::string>& paths);

// load_calendar_data followed by engine::Calendar::create.
engine::Result<engine::Calendar> load_calendar(const std::vector<std::string>& paths);

// Months before the end of the last covered year from which operators are warned.
inline constexpr int kCalendarWarningMonths = 6;

// A warning (English, one line, naming the last covered date and what to add) when the calendar
// ends within `months` months of `now` (local date), or has already ended; nullopt otherwise.
// Used by `motcua serve` at start and `motcua calendar show`.
std::optional<std::string> calendar_expiry_warning(const engine::Calendar& calendar,
                                                   engine::Instant now,
                                                   int months = kCalendarWarningMonths);

}  // namespace motcua::workflows
