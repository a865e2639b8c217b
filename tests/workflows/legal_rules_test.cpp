// The lifecycle rules as data: the shipped file, the defaults it must equal, the version in force
// on a date, and malformed files.
#include <doctest/doctest.h>

#include <string>

#include "workflows/legal_rules_file.hpp"

namespace motcua::workflows {
namespace {

using engine::Duration;
using engine::DurationUnit;
using namespace std::chrono;

const std::string kShipped = std::string(MOTCUA_SOURCE_DIR) + "/workflows/rules";

const std::string kValid =
    "# test\n"
    "rules test-set\n"
    "version 2\n"
    "effective-from 2030-01-01\n"
    "rule supplement-window 5 working-days | basis A\n"
    "rule apology-lead 2 working-days | basis B\n"
    "rule supplements-before-late 2 | basis C\n"
    "rule working-day-hours 7 | basis D\n";

std::string error_of(const std::string& text) {
  auto r = parse_legal_rules(text, "t.rules");
  REQUIRE_FALSE(r);
  CHECK(r.error().code == engine::ErrorCode::kInvalidDefinition);
  return r.error().message;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

TEST_CASE("The shipped rules equal the built-in defaults, each with a basis and date") {
  auto book = load_legal_rules({kShipped});
  REQUIRE_MESSAGE(book, (book ? "" : book.error().message));
  REQUIRE(book->versions().size() == 1);
  const engine::LegalRules& shipped = book->versions()[0];
  const engine::LegalRules defaults;
  CHECK(shipped.name == "vn-one-stop");
  CHECK(shipped.version == 1);
  CHECK(shipped.effective_from == year{2025} / July / 1);
  CHECK(shipped.supplement_window == Duration{3, DurationUnit::kWorkingDays});
  CHECK(shipped.apology_lead == Duration{1, DurationUnit::kWorkingDays});
  CHECK(shipped.supplements_before_late == 1);
  CHECK(shipped.working_day_hours == 8);
  CHECK(shipped.supplement_window == defaults.supplement_window);
  CHECK(shipped.apology_lead == defaults.apology_lead);
  CHECK(shipped.supplements_before_late == defaults.supplements_before_late);
  CHECK(shipped.working_day_hours == defaults.working_day_hours);
  REQUIRE(shipped.sources.size() == 4);
  CHECK(shipped.sources.at("supplement-window").basis.find("Điều 19 khoản 4") != std::string::npos);
  CHECK(shipped.sources.at("working-day-hours").basis.find("Điều 105") != std::string::npos);
  for (const auto& [name, source] : shipped.sources) {
    CAPTURE(name);
    CHECK(source.effective_from == year{2025} / July / 1);
  }
}

TEST_CASE("A new decree is a new version: the book picks the one in force on a date") {
  auto newer = parse_legal_rules(kValid, "new.rules");
  REQUIRE_MESSAGE(newer, (newer ? "" : newer.error().message));
  auto current = load_legal_rules({kShipped});
  REQUIRE(current);
  auto book = engine::LegalRuleBook::create({*newer, current->versions()[0]});
  REQUIRE(book);
  CHECK(book->in_force(year{2024} / December / 31).version == 0);  // built-in defaults
  CHECK(book->in_force(year{2025} / July / 1).name == "vn-one-stop");
  CHECK(book->in_force(year{2029} / December / 31).supplement_window.amount == 3);
  const engine::LegalRules& later = book->in_force(year{2030} / January / 1);
  CHECK(later.name == "test-set");
  CHECK(later.supplement_window == Duration{5, DurationUnit::kWorkingDays});
  CHECK(later.apology_lead == Duration{2, DurationUnit::kWorkingDays});
  CHECK(later.supplements_before_late == 2);
  CHECK(later.working_day_hours == 7);
  CHECK_FALSE(engine::LegalRuleBook::create({*newer, *newer}));
}

TEST_CASE("Malformed rules files are refused with file and line") {
  CHECK(error_of(replaced(kValid, "rule working-day-hours 7 | basis D\n", "")) ==
        "t.rules:7: rule 'working-day-hours' is missing");
  CHECK(error_of(replaced(kValid, " | basis A", "")) ==
        "t.rules:5: a rule states its legal basis after '|'");
  CHECK(error_of(replaced(kValid, "| basis B", "|  ")) ==
        "t.rules:6: a rule states its legal basis after '|'");
  CHECK(error_of(kValid + "rule apology-lead 1 working-days | again\n") ==
        "t.rules:9: rule 'apology-lead' is given twice");
  CHECK(error_of(replaced(kValid, "apology-lead 2 working-days", "apology-lead 2 days"))
            .find("t.rules:6: rule 'apology-lead' must be in working days") == 0);
  CHECK(
      error_of(replaced(kValid, "working-day-hours 7", "working-day-hours 0")).find("t.rules:8:") ==
      0);
  CHECK(error_of(replaced(kValid, "supplements-before-late 2", "supplements-before-late x"))
            .find("t.rules:7:") == 0);
  CHECK(error_of(replaced(kValid, "rule supplement", "rules-of supplement")) ==
        "t.rules:5: unknown directive 'rules-of'");
  CHECK(error_of(replaced(kValid, "rule apology-lead", "rule apology-delay"))
            .find("unknown rule 'apology-delay'") != std::string::npos);
  CHECK(error_of(replaced(kValid, "effective-from 2030-01-01\n", "")).find("effective-from") !=
        std::string::npos);
  CHECK(error_of(replaced(kValid, "2030-01-01", "2030-02-30")).find("t.rules:4:") == 0);
  CHECK(error_of(std::string(70 * 1024, '#')).find("larger than") != std::string::npos);
  auto missing = load_legal_rules({kShipped + "/nope.rules"});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == engine::ErrorCode::kIo);
}

}  // namespace
}  // namespace motcua::workflows
