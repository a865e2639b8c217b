#pragma once
// The yearly working-time calendar file (the text format of workflows/calendar/, see its README):
// one parser, used by the calendar loader, the CLI and the server alike. Pure and thread-safe.
#include <string_view>

#include "engine/calendar.hpp"
#include "engine/error.hpp"

namespace motcua::workflows {

// Parses one yearly calendar file and merges it into `into`, only when the whole file is valid (a
// bad file never leaves a half-merged calendar). Errors (kInvalidDefinition) name the source and
// line.
engine::Status parse_calendar_file(std::string_view text, std::string_view source_name,
                                   engine::CalendarData& into);

}  // namespace motcua::workflows
