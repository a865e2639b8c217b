#include "workflows/procedure_loader.hpp"

#include <doctest/doctest.h>

#include <string>

#include "engine/audit_chain.hpp"
#include "tests/workflows/test_support.hpp"

namespace motcua::workflows {
namespace {

using engine::Channel;
using engine::ClockEffect;
using engine::Duration;
using engine::DurationUnit;
using engine::StateKind;
using testing::dump;
using testing::line_of;
using testing::minimal_definition;
using testing::with;

engine::Procedure shipped(const std::string& file) {
  auto loaded = testing::loader().load_file(testing::kCatalogDir + "/" + file);
  INFO((loaded ? std::string() : dump(loaded.error())));
  REQUIRE(loaded);
  return *loaded;
}

TEST_CASE("ProcedureLoader maps the construction permit's parallel consultation") {
  const engine::Procedure p = shipped("1.013225-construction-permit.xml");
  CHECK(p.code == "1.013225");
  CHECK(p.version == 2);
  CHECK(p.name.vi.rfind("Cấp giấy phép xây dựng mới", 0) == 0);
  CHECK(p.receiving_agency == "commune-centre");
  // The limit follows the work type, not the channel: the total is the longest (grade III/IV).
  CHECK(p.time_limit.total == Duration{20, DurationUnit::kCalendarDays});
  CHECK(p.time_limit.by_channel.empty());
  REQUIRE(p.time_limit.by_field.has_value());
  CHECK(p.time_limit.by_field->field == "work-type");
  CHECK(p.time_limit.by_field->exhaustive);
  CHECK(p.time_limit.by_field->cases.size() == 3);
  CHECK(p.time_limit.supplement_window == Duration{7, DurationUnit::kWorkingDays});
  CHECK(p.supplement_mode == engine::SupplementMode::kRestart);
  const engine::State* consultation = p.state("consultation");
  REQUIRE(consultation != nullptr);
  CHECK(consultation->kind == StateKind::kParallel);
  CHECK(consultation->on_complete == "decision");
  REQUIRE(consultation->branches.size() == 2);
  for (const engine::Branch& b : consultation->branches) {
    CHECK(b.budget == Duration{12, DurationUnit::kCalendarDays});
    CHECK(b.silence_is_consent);
    CHECK(b.action == "respond");
    CHECK(b.line > consultation->line);
  }
  CHECK(consultation->branches[0].agency != consultation->branches[1].agency);
  const engine::Transition* approve = p.transition("decision", "approve");
  REQUIRE(approve != nullptr);
  CHECK(approve->issues_result);
  CHECK(approve->requires_signature);
  CHECK(approve->clock == ClockEffect::kFinish);
  const engine::Transition* apologise = p.transition("consultation", "apologise");
  REQUIRE(apologise != nullptr);
  CHECK(apologise->to.empty());
  CHECK(apologise->clock == ClockEffect::kRedate);
  CHECK(p.transition("appraisal", "request-supplement")->requires_components);
  CHECK(p.results.at(0).code == "KQ.G17.000311");
  CHECK(p.field("personal-id")->pattern == "^[0-9]{12}$");
  CHECK(p.field("personal-id")->type == engine::FieldType::kPersonalId);
  CHECK(p.field("work-type")->options.size() == 3);
  CHECK(p.component("design-drawings")->originals == 2);
}

TEST_CASE("ProcedureLoader maps the 15:00 rule, fees per channel, cross-level and partial online") {
  const engine::Procedure birth = shipped("1.001193-birth-registration.xml");
  CHECK(birth.time_limit.same_day_cutoff == 15 * 60);
  CHECK(birth.time_limit.total.amount == 0);
  CHECK(birth.online.full);
  CHECK(birth.online.level == 4);

  const engine::Procedure household = shipped("1.001612-household-business-registration.xml");
  REQUIRE(household.fees.size() == 3);
  CHECK(household.fees[2].channel == Channel::kDesk);
  CHECK(household.fees[2].amount_vnd == 50000);
  CHECK(household.payment.online);
  CHECK(household.payment.at == "submission");
  CHECK(household.effective_from ==
        engine::LocalDate{std::chrono::year{2025}, std::chrono::July, std::chrono::day{3}});

  const engine::Procedure record = shipped("3.000333-judicial-record-certificate.xml");
  // Received and decided at province level (Công an tỉnh), as the DVCQG record says.
  CHECK_FALSE(record.state("verification")->cross_level);
  CHECK(record.agency(record.state("verification")->agency)->level == "province");
  CHECK(record.agency(record.receiving_agency)->level == "province");
  CHECK(record.fees.at(0).kind == engine::FeeKind::kUnknown);
  CHECK(record.time_limit.total == Duration{10, DurationUnit::kCalendarDays});

  const engine::Procedure land = shipped("1.012783-land-certificate-exchange.xml");
  CHECK_FALSE(land.online.full);
  CHECK(land.online.level == 3);
  CHECK(land.online.partial_reason.find("in person") != std::string::npos);
  CHECK(land.online.partial_basis.find("NĐ 151/2025/NĐ-CP") != std::string::npos);
  // Its own agency key: the provincial land registration office is not the ward's land office.
  CHECK(land.agency("land-office") == nullptr);
  CHECK(land.agency("land-registration-office")->level == "province");
  CHECK(land.limit_for(Channel::kPostal) == Duration{20, DurationUnit::kWorkingDays});

  const engine::Procedure copy = shipped("2.000815-certified-copy.xml");
  CHECK(copy.channels == std::vector<Channel>{Channel::kDesk});
  CHECK(copy.time_limit.same_day_cutoff == 15 * 60);
}

TEST_CASE("ProcedureLoader hashes the exact bytes with SHA-256") {
  const std::string text = minimal_definition();
  auto first = testing::loader().load(text, "a.xml");
  REQUIRE(first);
  CHECK(first->source_hash == engine::to_hex(*engine::sha256(text)));
  CHECK(first->source_hash.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(first->source_hash.size() == 64);
  CHECK(first->source_path == "a.xml");
  auto changed = testing::loader().load(with(text, "Test procedure", "Test procedure."), "a.xml");
  REQUIRE(changed);
  CHECK(changed->source_hash != first->source_hash);
}

TEST_CASE("ProcedureLoader reports schema violations with their lines") {
  SUBCASE("unknown element") {
    const auto text =
        with(minimal_definition(), R"(<final id="withdrawn")", R"(<finale id="withdrawn")");
    auto loaded = testing::loader().load(text, "x.xml");
    REQUIRE_FALSE(loaded);
    INFO(dump(loaded.error()));
    const Diagnostic* d = testing::find(loaded.error(), "finale");
    REQUIRE(d != nullptr);
    CHECK(d->line == line_of(text, "<finale"));
    CHECK(d->message.find("urn:motcua") == std::string::npos);
  }
  SUBCASE("missing required attribute and bad values, all reported") {
    auto text = with(minimal_definition(), R"(<role id="desk" vi="Bộ phận Một cửa" en="Desk"/>)",
                     R"(<role id="desk" vi="Bộ phận Một cửa"/>)");
    text = with(text, R"(budget="3 working-days")", R"(budget="3 weeks")");
    text = with(text, R"(code="9.000001")", R"(code="1234")");
    auto loaded = testing::loader().load(text, "x.xml");
    REQUIRE_FALSE(loaded);
    INFO(dump(loaded.error()));
    CHECK(loaded.error().size() >= 3);
    const Diagnostic* en = testing::find(loaded.error(), "'en' is required");
    REQUIRE(en != nullptr);
    CHECK(en->line == line_of(text, R"(<role id="desk")"));
    const Diagnostic* budget = testing::find(loaded.error(), "3 weeks");
    REQUIRE(budget != nullptr);
    CHECK(budget->line == line_of(text, R"(<state id="appraisal")"));
  }
  SUBCASE("wrong namespace") {
    const auto text = with(minimal_definition(), "urn:motcua:workflow:1", "urn:other");
    auto loaded = testing::loader().load(text, "x.xml");
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error().front().line == 2);
  }
}

TEST_CASE("ProcedureLoader rejects impossible dates the schema lets through") {
  const auto text = with(minimal_definition(), R"(effective-from="2026-01-01")",
                         R"(effective-from="2026-02-30")");
  auto loaded = testing::loader().load(text, "x.xml");
  REQUIRE_FALSE(loaded);
  INFO(dump(loaded.error()));
  REQUIRE(testing::find(loaded.error(), "effective-from") != nullptr);
  CHECK(testing::find(loaded.error(), "effective-from")->line == 2);
}

TEST_CASE("ProcedureLoader refuses hostile and unreadable input with one clear diagnostic") {
  SUBCASE("doctype") {
    auto loaded = testing::loader().load(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE procedure [<!ENTITY e SYSTEM "
        "\"file:///etc/passwd\">]>\n"
        "<procedure>&e;</procedure>",
        "evil.xml");
    REQUIRE_FALSE(loaded);
    REQUIRE(loaded.error().size() == 1);
    CHECK(loaded.error()[0].to_string().rfind("evil.xml:2: a DOCTYPE", 0) == 0);
  }
  SUBCASE("missing file") {
    auto loaded = testing::loader().load_file("/nonexistent/definition.xml");
    REQUIRE_FALSE(loaded);
    CHECK(loaded.error()[0].source == "/nonexistent/definition.xml");
  }
  SUBCASE("missing schema") {
    auto loader = ProcedureLoader::create("/nonexistent/workflow.xsd");
    REQUIRE_FALSE(loader);
    CHECK(loader.error().code == engine::ErrorCode::kIo);
  }
}

TEST_CASE("Diagnostics summarise into one Error with every problem in the detail") {
  const Diagnostics problems{{"a.xml", 3, "first"}, {"a.xml", 0, "second"}};
  const engine::Error error = to_error(problems);
  CHECK(error.code == engine::ErrorCode::kInvalidDefinition);
  CHECK(error.message == "a.xml:3: first");
  CHECK(error.detail == "a.xml:3: first\na.xml: second");
}

}  // namespace
}  // namespace motcua::workflows

namespace motcua::workflows {
namespace {

TEST_CASE("ProcedureLoader ignores xsi:schemaLocation hints in a definition") {
  const auto text = testing::with(
      testing::minimal_definition(), R"(code="9.000001")",
      R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:motcua:workflow:1 file:///nonexistent/evil.xsd" code="9.000001")");
  auto loaded = testing::loader().load(text, "hint.xml");
  INFO((loaded ? std::string() : testing::dump(loaded.error())));
  CHECK(loaded);
}

}  // namespace
}  // namespace motcua::workflows
