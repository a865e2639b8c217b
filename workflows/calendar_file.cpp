// The yearly calendar file format (workflows/calendar/README.md documents it for operators):
//
//   # comment                                   full-line comments and blank lines are ignored
//   calendar vn-civil-service                   name; every merged file must use the same one
//   offset +07:00                               UTC offset of local time (no DST)
//   hours 07:00-11:30 13:30-17:00               working intervals, sorted, separated by a break
//   weekdays mon tue wed thu fri                the working weekdays
//   year 2026                                   or "years 2026-2027"
//   off 2026-01-01 holiday Tết Dương lịch | New Year's Day
//   off 2026-04-27 compensatory Nghỉ bù ... | ...      kinds: holiday, compensatory, swapped
//   off 2027-02-05 holiday provisional ... | ...       provisional: not yet decreed
//   work 2026-01-10 Làm bù cho ngày 2/1 | Make-up working day for 2 Jan
//
// The header lines come first, once each, before any dated line. A file is merged into the
// CalendarData only when all of it is valid, so a bad file never leaves a half-merged calendar.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "workflows/calendar_file.hpp"

namespace motcua::workflows {
using namespace engine;
namespace {

constexpr std::size_t kMaxFileBytes = 1 << 20;
constexpr int kMaxOffsetMinutes = 14 * 60;
constexpr std::string_view kWeekdayNames[7] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Takes the next whitespace-separated word off the front of `rest`.
std::string_view next_word(std::string_view& rest) {
  rest = trim(rest);
  std::size_t n = 0;
  while (n < rest.size() && !is_space(rest[n])) ++n;
  std::string_view word = rest.substr(0, n);
  rest.remove_prefix(n);
  return word;
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    char32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    constexpr char32_t kMin[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

std::string hhmm(MinuteOfDay m) { return fmt::format("{:02}:{:02}", m / 60, m % 60); }

struct Dated {
  CalendarDay day;
  int line = 0;
};

// What one file declares, before it is merged.
struct FileData {
  std::optional<std::string> name;
  std::optional<int> offset;
  std::optional<std::vector<std::pair<MinuteOfDay, MinuteOfDay>>> hours;
  std::optional<std::array<bool, 7>> weekdays;
  std::optional<std::pair<int, int>> years;
  std::map<std::string_view, int> header_lines;  // directive -> line
  std::map<LocalDate, Dated> off;
  std::map<LocalDate, Dated> work;
};

class Parser {
 public:
  explicit Parser(std::string_view source) : source_(source) {}

  Status parse(std::string_view text, CalendarData& into);

 private:
  tl::unexpected<Error> error(int line, std::string message) const {
    const std::string where = line > 0 ? fmt::format("{}:{}", source_, line) : std::string(source_);
    return fail(ErrorCode::kInvalidDefinition, fmt::format("{}: {}", where, message), where);
  }
  Status parse_line(std::string_view line_text, int line);
  Status parse_header(std::string_view directive, std::string_view rest, int line);
  Status parse_dated(bool off, std::string_view rest, int line);
  Status merge(CalendarData& into) const;

  std::string_view source_;
  FileData file_;
};

Status Parser::parse(std::string_view text, CalendarData& into) {
  if (text.size() > kMaxFileBytes) {
    return error(0, fmt::format("the file is larger than {} bytes", kMaxFileBytes));
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  int line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t nl = text.find('\n');
    std::string_view line_text = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line_text.empty() && line_text.back() == '\r') line_text.remove_suffix(1);
    if (!valid_utf8(line_text)) return error(line, "the line is not valid UTF-8");
    if (auto ok = parse_line(line_text, line); !ok) return ok;
  }
  for (std::string_view required : {"calendar", "offset", "hours", "weekdays", "year"}) {
    if (!file_.header_lines.contains(required)) {
      return error(0, fmt::format("the '{}' line is missing", required));
    }
  }
  return merge(into);
}

Status Parser::parse_line(std::string_view line_text, int line) {
  std::string_view rest = trim(line_text);
  if (rest.empty() || rest.front() == '#') return {};
  for (char c : rest) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      return error(line, "the line contains a control character");
    }
  }
  const std::string_view directive = next_word(rest);
  if (directive == "off") return parse_dated(true, rest, line);
  if (directive == "work") return parse_dated(false, rest, line);
  return parse_header(directive, rest, line);
}

Status Parser::parse_header(std::string_view directive, std::string_view rest, int line) {
  // "years" is the plural spelling of the same header line.
  const std::string_view key = directive == "years" ? "year" : directive;
  if (key != "calendar" && key != "offset" && key != "hours" && key != "weekdays" &&
      key != "year") {
    return error(line, fmt::format("unknown line '{}': expected calendar, offset, hours, weekdays, "
                                   "year, off or work",
                                   directive.substr(0, 40)));
  }
  if (!file_.off.empty() || !file_.work.empty()) {
    return error(line, fmt::format("'{}' must come before the dated lines", key));
  }
  if (auto it = file_.header_lines.find(key); it != file_.header_lines.end()) {
    return error(line, fmt::format("'{}' is declared twice (first on line {})", key, it->second));
  }
  file_.header_lines[key] = line;
  rest = trim(rest);
  if (rest.empty()) return error(line, fmt::format("'{}' needs a value", directive));

  if (key == "calendar") {
    const std::string_view name = next_word(rest);
    if (!trim(rest).empty()) return error(line, "the calendar name must be one word");
    file_.name = std::string(name);
  } else if (key == "offset") {
    auto h = rest.size() == 6 ? parse_clock_time(rest.substr(1)) : Result<MinuteOfDay>{};
    if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') || !h || *h > kMaxOffsetMinutes) {
      return error(line, fmt::format("bad offset '{}': expected +HH:MM or -HH:MM within 14:00",
                                     rest.substr(0, 40)));
    }
    file_.offset = rest[0] == '-' ? -*h : *h;
  } else if (key == "hours") {
    std::vector<std::pair<MinuteOfDay, MinuteOfDay>> hours;
    for (std::string_view word = next_word(rest); !word.empty(); word = next_word(rest)) {
      const std::size_t dash = word.find('-');
      auto start = parse_clock_time(word.substr(0, dash));
      auto end = dash == std::string_view::npos ? start : parse_clock_time(word.substr(dash + 1));
      if (dash == std::string_view::npos || !start || !end) {
        return error(line, fmt::format("bad working interval '{}': expected HH:MM-HH:MM",
                                       word.substr(0, 40)));
      }
      if (*start >= *end) {
        return error(line, fmt::format("working interval {} ends before it starts", word));
      }
      if (!hours.empty() && *start < hours.back().second) {
        return error(line, fmt::format("working interval {} overlaps or precedes {}-{}", word,
                                       hhmm(hours.back().first), hhmm(hours.back().second)));
      }
      if (!hours.empty() && *start == hours.back().second) {
        return error(line, fmt::format("working interval {} touches the previous one; write them "
                                       "as one interval",
                                       word));
      }
      hours.emplace_back(*start, *end);
    }
    file_.hours = std::move(hours);
  } else if (key == "weekdays") {
    std::array<bool, 7> days{};
    for (std::string_view word = next_word(rest); !word.empty(); word = next_word(rest)) {
      const auto* it = std::find(std::begin(kWeekdayNames), std::end(kWeekdayNames), word);
      if (it == std::end(kWeekdayNames)) {
        return error(line, fmt::format("unknown weekday '{}': expected mon tue wed thu fri sat sun",
                                       word.substr(0, 40)));
      }
      auto& slot = days[static_cast<std::size_t>(it - std::begin(kWeekdayNames))];
      if (slot) return error(line, fmt::format("weekday '{}' is listed twice", word));
      slot = true;
    }
    file_.weekdays = days;
  } else {  // year
    const std::string_view word = next_word(rest);
    const std::size_t dash = word.find('-');
    auto parse_year = [](std::string_view y) -> std::optional<int> {
      if (y.size() != 4) return std::nullopt;
      int v = 0;
      for (char c : y) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
      }
      return v >= 1 ? std::optional<int>(v) : std::nullopt;
    };
    auto first = parse_year(word.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : parse_year(word.substr(dash + 1));
    if (!first || !last || !trim(rest).empty() || *last < *first || *last - *first >= 50) {
      return error(line,
                   fmt::format("bad year '{}': expected YYYY or YYYY-YYYY", word.substr(0, 40)));
    }
    file_.years = std::pair{*first, *last};
  }
  return {};
}

Status Parser::parse_dated(bool off, std::string_view rest, int line) {
  const char* what = off ? "off" : "work";
  if (!file_.years || !file_.weekdays) {
    return error(line, fmt::format("'{}' line before the 'year' and 'weekdays' lines", what));
  }
  const std::string_view date_text = next_word(rest);
  auto date = parse_date(date_text);
  if (!date) {
    return error(line, fmt::format("bad date '{}': expected a real date YYYY-MM-DD",
                                   date_text.substr(0, 40)));
  }
  const int year = static_cast<int>(date->year());
  if (year < file_.years->first || year > file_.years->second) {
    return error(
        line, fmt::format("date {} is outside the declared year{}", date_text,
                          file_.years->first == file_.years->second
                              ? fmt::format(" {}", file_.years->first)
                              : fmt::format("s {}-{}", file_.years->first, file_.years->second)));
  }
  CalendarDay day;
  day.kind = DayKind::kMakeUp;
  if (off) {
    const std::string_view kind = next_word(rest);
    if (kind == "holiday") {
      day.kind = DayKind::kHoliday;
    } else if (kind == "compensatory") {
      day.kind = DayKind::kCompensatory;
    } else if (kind == "swapped") {
      day.kind = DayKind::kSwapped;
    } else {
      return error(line, fmt::format("unknown kind of day off '{}': expected holiday, "
                                     "compensatory or swapped",
                                     kind.substr(0, 40)));
    }
  }
  std::string_view peek = rest;
  if (next_word(peek) == "provisional") {
    day.provisional = true;
    rest = peek;
  }
  rest = trim(rest);
  const std::size_t bar = rest.find('|');
  const std::string_view vi = trim(rest.substr(0, bar));
  const std::string_view en = bar == std::string_view::npos ? "" : trim(rest.substr(bar + 1));
  if (vi.empty() || en.empty() || en.find('|') != std::string_view::npos) {
    return error(line, "the name must be 'Vietnamese name | English name'");
  }
  day.name = fmt::format("{} / {}", vi, en);

  const unsigned weekday = std::chrono::weekday(std::chrono::sys_days(*date)).c_encoding();
  const bool working_weekday = (*file_.weekdays)[weekday];
  if (!off && working_weekday) {
    return error(line, fmt::format("{} is a {}, already a working weekday; 'work' is for make-up "
                                   "days on a rest day",
                                   date_text, kWeekdayNames[weekday]));
  }
  if (off && !working_weekday && day.kind != DayKind::kHoliday) {
    return error(line, fmt::format("{} is a {}, already a rest day; a {} day off must be a "
                                   "working weekday",
                                   date_text, kWeekdayNames[weekday], to_string(day.kind)));
  }
  for (const auto* map : {&file_.off, &file_.work}) {
    if (auto it = map->find(*date); it != map->end()) {
      const bool same = (map == &file_.off) == off;
      return error(line, same ? fmt::format("duplicate date {} (also on line {})", date_text,
                                            it->second.line)
                              : fmt::format("date {} is both a day off and a working day (line {})",
                                            date_text, it->second.line));
    }
  }
  (off ? file_.off : file_.work).emplace(*date, Dated{std::move(day), line});
  return {};
}

Status Parser::merge(CalendarData& into) const {
  auto line_of = [&](std::string_view key) { return file_.header_lines.at(key); };
  const auto [first, last] = *file_.years;
  const bool empty = into.first_year == 0 && into.last_year == 0;
  if (!empty) {
    if (*file_.name != into.name) {
      return error(line_of("calendar"), fmt::format("calendar '{}' differs from '{}' of the files "
                                                    "already loaded",
                                                    *file_.name, into.name));
    }
    if (*file_.offset != into.utc_offset_minutes) {
      return error(line_of("offset"), "the offset differs from the files already loaded");
    }
    if (*file_.hours != into.hours) {
      return error(line_of("hours"), "the working hours differ from the files already loaded");
    }
    if (*file_.weekdays != into.working_weekdays) {
      return error(line_of("weekdays"), "the weekdays differ from the files already loaded");
    }
    if (last >= into.first_year && first <= into.last_year) {
      return error(line_of("year"),
                   fmt::format("year {} is already covered by another file "
                               "({}-{})",
                               std::max(first, into.first_year), into.first_year, into.last_year));
    }
    if (first != into.last_year + 1 && last != into.first_year - 1) {
      return error(line_of("year"),
                   fmt::format("years {}-{} leave a gap next to the years already loaded ({}-{})",
                               first, last, into.first_year, into.last_year));
    }
  }
  CalendarData merged = into;
  merged.name = *file_.name;
  merged.utc_offset_minutes = *file_.offset;
  merged.hours = *file_.hours;
  merged.working_weekdays = *file_.weekdays;
  merged.first_year = empty ? first : std::min(first, into.first_year);
  merged.last_year = empty ? last : std::max(last, into.last_year);
  for (const auto& [date, dated] : file_.off) merged.days_off[date] = dated.day;
  for (const auto& [date, dated] : file_.work) merged.working_days[date] = dated.day;
  into = std::move(merged);
  return {};
}

}  // namespace

Status parse_calendar_file(std::string_view text, std::string_view source_name,
                           CalendarData& into) {
  return Parser(source_name).parse(text, into);
}

}  // namespace motcua::workflows
