#include "workflows/internal/procedure_validator.hpp"

#include <doctest/doctest.h>

#include <string>

#include "tests/workflows/test_support.hpp"

namespace motcua::workflows {
namespace {

using testing::dump;
using testing::line_of;
using testing::minimal_definition;
using testing::with;

Diagnostics problems_of(const std::string& text) {
  auto loaded = testing::loader().load(text, "bad.xml");
  REQUIRE_FALSE(loaded);
  return loaded.error();
}

// The definition is refused with a diagnostic containing `message` on the line of `snippet`.
void expect_refused(const std::string& text, const std::string& message,
                    const std::string& snippet) {
  const Diagnostics problems = problems_of(text);
  INFO(dump(problems));
  const Diagnostic* d = testing::find(problems, message);
  REQUIRE(d != nullptr);
  CHECK(d->source == "bad.xml");
  CHECK(d->line == line_of(text, snippet));
}

const std::string& base() { return minimal_definition(); }

TEST_CASE("Validator accepts the minimal definition the other cases break") {
  auto loaded = testing::loader().load(base(), "good.xml");
  INFO((loaded ? std::string() : dump(loaded.error())));
  CHECK(loaded);
}

TEST_CASE("Validator rejects references to states that do not exist") {
  SUBCASE("transition target") {
    const auto text =
        with(base(), R"(from="resolved" to="returned")", R"(from="resolved" to="nowhere")");
    expect_refused(text, "leads to 'nowhere', which is not a declared state", R"(action="return")");
  }
  SUBCASE("transition source") {
    const auto text =
        with(base(), R"(action="return" from="resolved")", R"(action="return" from="ghost")");
    expect_refused(text, "starts from 'ghost', which is not a declared state",
                   R"(action="return")");
  }
  SUBCASE("on-complete") {
    const auto text = with(base(), R"(on-complete="decision")", R"(on-complete="nowhere")");
    expect_refused(text, "continues on completion to 'nowhere'", R"(<parallel id="consult")");
  }
  SUBCASE("initial state") {
    const auto text = with(base(), R"(initial="submitted")", R"(initial="start")");
    expect_refused(text, "the initial state 'start' is not declared", "<states ");
  }
}

TEST_CASE("Validator rejects a state that cannot be reached from the initial state") {
  const auto text =
      with(base(), R"(<final id="withdrawn")",
           "<state id=\"orphan\" status=\"4\" agency=\"desk-office\" role=\"officer\" "
           "vi=\"Mồ côi\" en=\"Orphan\"/>\n    <final id=\"withdrawn\"");
  expect_refused(text, "state 'orphan' cannot be reached from the initial state 'submitted'",
                 R"(<state id="orphan")");
}

TEST_CASE("Validator rejects a state from which no final state can be reached") {
  auto text = with(base(), R"(<final id="withdrawn")",
                   "<state id=\"limbo\" status=\"4\" agency=\"desk-office\" role=\"officer\" "
                   "vi=\"Treo\" en=\"Limbo\"/>\n    <final id=\"withdrawn\"");
  text = with(text, "  </transitions>",
              "    <transition action=\"park\" from=\"appraisal\" to=\"limbo\" roles=\"officer\" "
              "vi=\"Treo\" en=\"Park\"/>\n  </transitions>");
  expect_refused(text, "state 'limbo' can never reach a final state", R"(<state id="limbo")");
}

TEST_CASE("Validator rejects duplicate ids") {
  SUBCASE("state") {
    const auto text = with(base(), R"(<final id="withdrawn")", R"(<final id="returned")");
    expect_refused(text, "duplicate state id 'returned'", R"(<final id="returned" status="7")");
  }
  SUBCASE("component") {
    const auto text = with(base(), R"(<component id="id-copy")", R"(<component id="form")");
    expect_refused(text, "duplicate component id 'form'", R"(<component id="form" required)");
  }
  SUBCASE("field") {
    const auto text = with(base(), R"(<field id="kind")", R"(<field id="pid")");
    expect_refused(text, "duplicate field id 'pid'", R"(<field id="pid" type="enum")");
  }
  SUBCASE("role") {
    const auto text = with(base(), R"(<role id="leader")", R"(<role id="officer")");
    expect_refused(text, "duplicate role id 'officer'", R"(<role id="officer" vi="Lãnh đạo")");
  }
  SUBCASE("agency") {
    const auto text = with(base(), R"(<agency key="police")", R"(<agency key="desk-office")");
    expect_refused(text, "duplicate agency id 'desk-office'",
                   R"(<agency key="desk-office" level="province")");
  }
  SUBCASE("branch") {
    const auto text =
        with(base(), "</parallel>",
             "  <branch id=\"police-opinion\" agency=\"police\" role=\"officer\" "
             "budget=\"1 working-days\" vi=\"Lần hai\" en=\"Twice\"/>\n    </parallel>");
    expect_refused(text, "duplicate branch id 'police-opinion'", R"(vi="Lần hai")");
  }
  SUBCASE("action in one from-state") {
    const auto text = with(base(), R"(action="consult" from="appraisal")",
                           R"(action="request-supplement" from="appraisal")");
    expect_refused(text, "duplicate action 'request-supplement' in state 'appraisal'",
                   R"(requires-components="true" clock="supplement-request")");
  }
}

TEST_CASE("Validator rejects transitions that name components the procedure does not list") {
  SUBCASE("undeclared component") {
    const auto text = with(base(), R"(to="returned" roles="desk")",
                           R"(to="returned" roles="desk" requires-components="true" )"
                           R"(components="original-deed")");
    expect_refused(text, "names component 'original-deed', which is not declared",
                   R"(action="return")");
  }
  SUBCASE("components named without requiring them") {
    const auto text = with(base(), R"(to="returned" roles="desk")",
                           R"(to="returned" roles="desk" components="form")");
    expect_refused(text, "names components but does not require them", R"(action="return")");
  }
}

TEST_CASE("Validator rejects roles and agencies that are not declared") {
  SUBCASE("transition role") {
    const auto text =
        with(base(), R"(to="returned" roles="desk")", R"(to="returned" roles="clerk")");
    expect_refused(text, "allows role 'clerk', which is not declared", R"(action="return")");
  }
  SUBCASE("state role") {
    const auto text = with(base(), R"(role="leader" budget)", R"(role="boss" budget)");
    expect_refused(text, "names role 'boss', which is not declared", R"(<state id="decision")");
  }
  SUBCASE("state agency") {
    const auto text = with(base(), R"(<state id="decision" status="4" agency="desk-office")",
                           R"(<state id="decision" status="4" agency="ministry")");
    expect_refused(text, "names agency 'ministry', which is not declared",
                   R"(<state id="decision")");
  }
  SUBCASE("branch agency") {
    const auto text = with(base(), R"(<branch id="police-opinion" agency="police")",
                           R"(<branch id="police-opinion" agency="army")");
    expect_refused(text, "names agency 'army', which is not declared", "<branch ");
  }
  SUBCASE("receiving agency") {
    const auto text = with(base(), R"(receiving="desk-office")", R"(receiving="centre")");
    expect_refused(text, "the receiving agency 'centre' is not declared", "<agencies ");
  }
  SUBCASE("result signer") {
    const auto text = with(base(), R"(signer-role="leader")", R"(signer-role="minister")");
    expect_refused(text, "signed by role 'minister', which is not declared", "<result ");
  }
}

TEST_CASE("Validator rejects step budgets beyond the total time limit") {
  SUBCASE("a state's budget") {
    const auto text = with(base(), R"(budget="3 working-days")", R"(budget="6 working-days")");
    expect_refused(text, "state 'appraisal' has a budget of 6 working-days, more than the total",
                   R"(<state id="appraisal")");
  }
  SUBCASE("a branch's budget, in calendar days against working days") {
    const auto text =
        with(base(), R"(budget="1 working-days" silence)", R"(budget="6 days" silence)");
    expect_refused(text, "branch 'police-opinion' of state 'consult' has a budget of 6 days",
                   "<branch ");
  }
  SUBCASE("the sum along a path") {
    const auto text = with(base(), R"(role="leader" budget="1 working-days")",
                           R"(role="leader" budget="2 working-days")");
    expect_refused(
        text,
        "the step budgets along submitted -> appraisal -> consult -> decision -> "
        "resolved -> returned add up to more than the total time limit of 5 working-days",
        "<time-limit ");
  }
  SUBCASE("working hours count as eighths of a working day") {
    const auto text = with(base(), R"(budget="3 working-days")", R"(budget="25 working-hours")");
    expect_refused(text, "add up to more than the total", "<time-limit ");
  }
}

TEST_CASE("Validator compares mixed units nominally and accepts what can fit") {
  auto text = with(base(), R"(total="5 working-days")", R"(total="15 days")");
  text = with(text, R"(budget="3 working-days")", R"(budget="7 working-days")");
  text = with(text, R"(budget="1 working-days" silence)", R"(budget="7 days" silence)");
  auto loaded = testing::loader().load(text, "mixed.xml");
  INFO((loaded ? std::string() : dump(loaded.error())));
  CHECK(loaded);
  CHECK(nominal_minutes({1, engine::DurationUnit::kCalendarDays}) ==
        nominal_minutes({8, engine::DurationUnit::kWorkingHours}));
}

TEST_CASE("Validator rejects a level 4 procedure with a fee but no online payment") {
  const auto text = with(base(), R"(<payment online="true"/>)", R"(<payment online="false"/>)");
  expect_refused(text, "a level 4 procedure with a fee must offer online payment", "<payment ");
  const auto free = with(text, R"(amount-vnd="50000")", R"(amount-vnd="0")");
  CHECK(testing::loader().load(free, "free.xml"));
}

TEST_CASE("Validator rejects a procedure without a result") {
  auto text = with(
      base(),
      R"(<result id="permit" code="KQ.G00.000001" signer-role="leader" vi="Giấy phép" en="Permit"/>)",
      "");
  expect_refused(text, "the procedure issues no result", "<results>");
  const auto no_issuer = with(base(), R"(issues-result="true")", R"(issues-result="false")");
  expect_refused(no_issuer, "no transition issues the result", "<results>");
}

TEST_CASE("Validator rejects outgoing transitions of a final state") {
  const auto text = with(base(), R"(action="return" from="resolved")",
                         R"(action="return" from="resolved returned")");
  expect_refused(text, "leaves final state 'returned'", R"(action="return")");
}

TEST_CASE("Validator rejects a parallel state without branches") {
  auto text = base();
  const auto begin = text.find("      <branch ");
  text.erase(begin, text.find("</parallel>") - begin);
  expect_refused(text, "parallel state 'consult' has no <branch>", R"(<parallel id="consult")");
}

TEST_CASE("Validator rejects issuing the result without a signature") {
  const auto text = with(base(), R"(roles="leader" requires-signature="true" issues-result="true")",
                         R"(roles="leader" issues-result="true")");
  expect_refused(text, "issues the result and must require a signature", R"(action="approve")");
  const auto other_signer =
      with(base(), R"(to="resolved" roles="leader")", R"(to="resolved" roles="officer")");
  expect_refused(other_signer, "signed by role 'leader', which may not perform it",
                 R"(action="approve")");
}

TEST_CASE("Validator rejects clock effects that make no sense") {
  SUBCASE("start from a processing state") {
    const auto text =
        with(base(), R"(action="consult" from="appraisal" to="consult" roles="officer")",
             R"(action="consult" from="appraisal" to="consult" roles="officer" clock="start")");
    expect_refused(text, "starts the clock but leaves a state that is not status 1",
                   R"(action="consult")");
  }
  SUBCASE("supplement request into a processing state") {
    const auto text =
        with(base(), R"(from="appraisal" to="supplement")", R"(from="appraisal" to="decision")");
    expect_refused(text, "requests a supplement but does not lead to a status 5 state",
                   R"(action="request-supplement")");
  }
  SUBCASE("supplement request without components") {
    const auto text = with(base(), R"(requires-components="true" clock="supplement-request")",
                           R"(clock="supplement-request")");
    expect_refused(text, "must list the missing components", R"(action="request-supplement")");
  }
  SUBCASE("supplement received from a processing state") {
    const auto text = with(
        base(), R"(action="consult" from="appraisal" to="consult" roles="officer")",
        R"(action="consult" from="appraisal" to="consult" roles="officer" clock="supplement-received")");
    expect_refused(text, "receives a supplement but leaves a state that is not status 5",
                   R"(action="consult")");
  }
  SUBCASE("redate that moves") {
    const auto text = with(base(), R"(action="apologise" from="appraisal decision")",
                           R"(action="apologise" from="appraisal decision" to="resolved")");
    expect_refused(text, "sets a new date and must stay in its state", R"(action="apologise")");
  }
  SUBCASE("redate without a reason") {
    const auto text = with(base(), R"(roles="leader" requires-reason="true" clock="redate")",
                           R"(roles="leader" clock="redate")");
    expect_refused(text, "sets a new date and must require a reason", R"(action="apologise")");
  }
  SUBCASE("finish into a processing state") {
    const auto text =
        with(base(), R"(from="decision" to="resolved")", R"(from="decision" to="appraisal")");
    expect_refused(text, "finishes the dossier but does not lead to a status 9 or 10 state",
                   R"(action="approve")");
  }
  SUBCASE("end into a state that is not final") {
    const auto text = with(base(), R"(to="withdrawn")", R"(to="resolved")");
    expect_refused(text,
                   "ends the dossier but does not lead to a final state with status 3, 7 or 8",
                   R"(action="withdraw")");
  }
  SUBCASE("a refusal that finishes without a reason") {
    const auto text =
        with(base(), "  </transitions>",
             "    <transition action=\"refuse\" from=\"decision\" to=\"resolved\" "
             "roles=\"leader\" requires-signature=\"true\" clock=\"finish\" vi=\"Từ chối\" "
             "en=\"Refuse\"/>\n  </transitions>");
    expect_refused(text,
                   "finishes without issuing the result (a refusal) and must require a reason",
                   R"(action="refuse")");
  }
  SUBCASE("a refusal at intake without a reason") {
    const auto text = with(base(), R"(roles="desk" requires-reason="true" clock="end")",
                           R"(roles="desk" clock="end")");
    expect_refused(text, "must require a reason", R"(action="refuse-intake")");
  }
  SUBCASE("a stay that finishes") {
    const auto text = with(base(), R"(requires-reason="true" clock="redate")",
                           R"(requires-reason="true" clock="finish")");
    expect_refused(text, "stays in place, which only makes sense with clock none or redate",
                   R"(action="apologise")");
  }
}

TEST_CASE("Validator rejects status codes outside 1..10 and misplaced ones") {
  SUBCASE("eleven") {
    const auto text =
        with(base(), R"(<state id="appraisal" status="4")", R"(<state id="appraisal" status="11")");
    expect_refused(text, "has status 11, which is not a national status code (1 to 10)",
                   R"(<state id="appraisal")");
  }
  SUBCASE("zero") {
    const auto text =
        with(base(), R"(<state id="appraisal" status="4")", R"(<state id="appraisal" status="0")");
    expect_refused(text, "has status 0", R"(<state id="appraisal")");
  }
  SUBCASE("initial state not submitted") {
    const auto text =
        with(base(), R"(<state id="submitted" status="1")", R"(<state id="submitted" status="2")");
    expect_refused(text, "must have status 1 (submitted)", R"(<state id="submitted")");
  }
  SUBCASE("final state processing") {
    const auto text =
        with(base(), R"(<final id="returned" status="10")", R"(<final id="returned" status="4")");
    expect_refused(text, "final state 'returned' must have status 3, 7, 8, 9 or 10",
                   R"(<final id="returned")");
  }
}

TEST_CASE("Validator rejects agency ids that are not QCVN 102 ids") {
  for (const char* code : {"H20", "000.00.14", "000.00.14.h20", "00.00.14.H20", "000.00.14.H20x"}) {
    CAPTURE(code);
    const auto text = with(base(), R"(code="000.00.14.H20")", std::string("code=\"") + code + "\"");
    expect_refused(text, "is not a QCVN 102 agency id", R"(<agency key="desk-office")");
  }
  const auto ministry = with(base(), R"(code="000.00.14.H20")", R"(code="000.00.00.G12")");
  CHECK(testing::loader().load(ministry, "ministry.xml"));
}

TEST_CASE("Validator rejects partial online without a reason") {
  const auto text =
      with(base(), R"(<online level="4" mode="full"/>)", R"(<online level="3" mode="partial"/>)");
  expect_refused(text, "a partial-online procedure must publish its reason", "<online ");
  const auto with_reason =
      with(base(), R"(<online level="4" mode="full"/>)",
           "<online level=\"3\" mode=\"partial\"><reason>Bản gốc phải nộp trực "
           "tiếp (the original is surrendered in person).</reason></online>");
  CHECK(testing::loader().load(with_reason, "partial.xml"));
}

TEST_CASE("Validator rejects a cross-level state at the receiving agency's level") {
  const auto text =
      with(base(), R"(budget="3 working-days")", R"(budget="3 working-days" cross-level="true")");
  expect_refused(text, "is cross-level but agency 'desk-office' is at the same level (commune)",
                 R"(<state id="appraisal")");
  auto up = with(text, R"(<state id="appraisal" status="4" agency="desk-office")",
                 R"(<state id="appraisal" status="4" agency="police")");
  CHECK(testing::loader().load(up, "up.xml"));
}

TEST_CASE("Validator rejects inconsistent fields") {
  SUBCASE("enum without options") {
    const auto text = with(base(), "<option>một</option><option>hai</option>", "");
    expect_refused(text, "enum field 'kind' has no <option>", R"(<field id="kind")");
  }
  SUBCASE("options on a text field") {
    const auto text =
        with(base(), R"(<field id="kind" type="enum")", R"(<field id="kind" type="text")");
    expect_refused(text, "has options but is not of type enum", R"(<field id="kind")");
  }
  SUBCASE("personal id without a pattern") {
    const auto text = with(base(), R"( pattern="^[0-9]{12}$")", "");
    expect_refused(text, "personal-id field 'pid' needs a pattern", R"(<field id="pid")");
  }
  SUBCASE("pattern that does not compile") {
    const auto text = with(base(), R"(pattern="^[0-9]{12}$")", R"(pattern="^[0-9{12}$")");
    expect_refused(text, "not a valid regular expression", R"(<field id="pid")");
  }
  SUBCASE("pattern with a repeat count std::regex cannot read (fuzz)") {
    const auto text =
        with(base(), R"(pattern="^[0-9]{12}$")", R"(pattern="^[0-9]{2222222222222222222222}$")");
    expect_refused(text, "a number of more than 9 digits", R"(<field id="pid")");
  }
  SUBCASE("min above max") {
    const auto text = with(
        base(), R"(<field id="kind" type="enum")",
        R"(<field id="count" type="number" min="5" max="1" vi="Số" en="Count"/><field id="kind" type="enum")");
    expect_refused(text, "field 'count' has min greater than max", R"(<field id="count")");
  }
}

TEST_CASE("Validator rejects limits and fees for channels not offered, and a bare zero limit") {
  SUBCASE("channel limit") {
    const auto text =
        with(base(), R"(<time-limit total="5 working-days"/>)",
             "<time-limit total=\"5 working-days\">\n    <channel-limit channel=\"postal\" "
             "limit=\"7 working-days\"/>\n  </time-limit>");
    expect_refused(text, "a time limit is given for channel 'postal'", "<channel-limit ");
  }
  SUBCASE("fee") {
    const auto text = with(base(), R"(<fee id="fee" amount-vnd="50000")",
                           R"(<fee id="fee" amount-vnd="50000" channel="postal")");
    expect_refused(text, "fee 'fee' applies to channel 'postal'", "<fee ");
  }
  SUBCASE("zero total without the 15:00 rule") {
    auto text = with(base(), R"(total="5 working-days")", R"(total="0 working-days")");
    expect_refused(text, "a total time limit of 0 needs a same-day cutoff", "<time-limit ");
  }
}

TEST_CASE("Validator reports every problem of a definition, not just the first") {
  auto text = with(base(), R"(on-complete="decision")", R"(on-complete="nowhere")");
  text = with(text, R"(signer-role="leader")", R"(signer-role="minister")");
  text = with(text, R"(code="000.00.14.H20")", R"(code="H20")");
  text = with(text, R"(<state id="appraisal" status="4")", R"(<state id="appraisal" status="12")");
  const Diagnostics problems = problems_of(text);
  INFO(dump(problems));
  CHECK(problems.size() >= 4);
  CHECK(testing::find(problems, "continues on completion to 'nowhere'"));
  CHECK(testing::find(problems, "minister"));
  CHECK(testing::find(problems, "QCVN 102"));
  CHECK(testing::find(problems, "status 12"));
  for (std::size_t i = 1; i < problems.size(); ++i) CHECK(problems[i - 1].line <= problems[i].line);
}

TEST_CASE("Validator works on a Procedure built in code, without source lines") {
  auto loaded = testing::loader().load(base(), "good.xml");
  REQUIRE(loaded);
  engine::Procedure p = *loaded;
  p.states[4].status = static_cast<engine::StatusCode>(42);  // "decision"
  const Diagnostics problems = validate_procedure(p);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message.find("status 42") != std::string::npos);
  CHECK(problems[0].source == "good.xml");
}

}  // namespace
}  // namespace motcua::workflows

namespace motcua::workflows {
namespace {

TEST_CASE("Validator rejects the smaller inconsistencies too") {
  const std::string& text = testing::minimal_definition();
  SUBCASE("payment collected at an unknown state") {
    const auto bad = testing::with(text, R"(<payment online="true"/>)",
                                   R"(<payment online="true" at="cashier"/>)");
    expect_refused(bad, "payment is collected at 'cashier'", "<payment ");
  }
  SUBCASE("an officer's state without an agency") {
    const auto bad =
        testing::with(text, R"(<state id="decision" status="4" agency="desk-office" role="leader")",
                      R"(<state id="decision" status="4" role="leader")");
    expect_refused(bad, "is owned by role 'leader' but names no agency", R"(<state id="decision")");
  }
  SUBCASE("a channel listed twice") {
    const auto bad = testing::with(text, "<channels>desk online</channels>",
                                   "<channels>desk online desk</channels>");
    expect_refused(bad, "channel 'desk' is listed twice", "<channels>");
  }
  SUBCASE("a branch completing with a transition's action") {
    auto bad = testing::with(text, R"(<branch id="police-opinion")",
                             R"(<branch id="police-opinion" action="apologise")");
    bad = testing::with(bad, R"(action="apologise" from="appraisal decision")",
                        R"(action="apologise" from="appraisal consult decision")");
    expect_refused(bad,
                   "completes with action 'apologise', which a transition of the state also uses",
                   "<branch ");
  }
}

}  // namespace
}  // namespace motcua::workflows
