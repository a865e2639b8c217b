// Issue 10 ("The law, exactly"): time limits that follow a form field, fees (fixed, per page with
// a cap, unknown, exemptions) and the online level against the channels, on the shipped
// definitions with hand-computed values and on broken definitions the validator must refuse.
#include <doctest/doctest.h>

#include <string>

#include "engine/procedure.hpp"
#include "tests/workflows/test_support.hpp"

namespace motcua::workflows {
namespace {

using engine::Channel;
using engine::Duration;
using engine::DurationUnit;
using testing::dump;
using testing::minimal_definition;
using testing::with;

engine::Procedure shipped(const std::string& file) {
  auto loaded = testing::loader().load(testing::catalog_file(file), file);
  INFO((loaded ? std::string() : dump(loaded.error())));
  REQUIRE(loaded);
  return *loaded;
}

engine::Procedure valid(const std::string& text) {
  auto loaded = testing::loader().load(text, "good.xml");
  INFO((loaded ? std::string() : dump(loaded.error())));
  REQUIRE(loaded);
  return *loaded;
}

void expect_refused(const std::string& text, const std::string& message) {
  auto loaded = testing::loader().load(text, "bad.xml");
  REQUIRE_FALSE(loaded);
  INFO(dump(loaded.error()));
  CHECK(testing::find(loaded.error(), message) != nullptr);
}

Duration days(std::int64_t n) { return {n, DurationUnit::kCalendarDays}; }

TEST_CASE("Construction permit: the limit follows the work type, not the channel") {
  const engine::Procedure p = shipped("1.013225-construction-permit.xml");
  for (Channel ch : {Channel::kDesk, Channel::kOnline, Channel::kPostal}) {
    CAPTURE(engine::to_string(ch));
    CHECK(p.time_limit_for({{"work-type", "nhà ở riêng lẻ"}}, ch) == days(15));
    CHECK(p.time_limit_for({{"work-type", "công trình cấp III"}}, ch) == days(20));
    CHECK(p.time_limit_for({{"work-type", "công trình cấp IV"}}, ch) == days(20));
  }
  // Before the form is known (or without the field): the total, the longest case.
  CHECK(p.time_limit_for({}, Channel::kDesk) == days(20));
  CHECK(p.limit_for(Channel::kDesk) == days(20));
}

TEST_CASE("Procedures without a field-dependent limit keep their channel limits") {
  const engine::Procedure land = shipped("1.012783-land-certificate-exchange.xml");
  CHECK(land.time_limit_for({}, Channel::kOnline) == Duration{15, DurationUnit::kWorkingDays});
  CHECK(land.time_limit_for({}, Channel::kDesk) == Duration{5, DurationUnit::kWorkingDays});
}

TEST_CASE("Certified copy: per-page fee with the 200,000 VND cap per copy") {
  const engine::Procedure p = shipped("2.000815-certified-copy.xml");
  auto fee = [&](const char* pages, const char* copies) {
    auto quote = p.fee_for({{"pages", pages}, {"copies", copies}}, Channel::kDesk);
    REQUIRE_MESSAGE(quote, (quote ? "" : quote.error().message));
    CHECK(quote->known());
    return quote->known_total_vnd();
  };
  CHECK(fee("1", "1") == 2'000);      // 1 x 2,000
  CHECK(fee("2", "1") == 4'000);      // 2 x 2,000
  CHECK(fee("5", "1") == 7'000);      // 2 x 2,000 + 3 x 1,000
  CHECK(fee("5", "3") == 21'000);     // 7,000 x 3 copies
  CHECK(fee("198", "1") == 200'000);  // 4,000 + 196 x 1,000: exactly the cap
  CHECK(fee("300", "2") == 400'000);  // 302,000 capped to 200,000, x 2 copies
  auto missing = p.fee_for({{"copies", "1"}}, Channel::kDesk);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == engine::ErrorCode::kInvalidInput);
  CHECK_FALSE(p.fee_for({{"pages", "2.5"}, {"copies", "1"}}, Channel::kDesk));
  CHECK_FALSE(p.fee_for({{"pages", "2"}, {"copies", "0"}}, Channel::kDesk));
}

TEST_CASE("Unknown fees are quoted as unknown with their text, never as 0 VND") {
  for (const char* file :
       {"1.013225-construction-permit.xml", "1.012783-land-certificate-exchange.xml",
        "3.000333-judicial-record-certificate.xml"}) {
    CAPTURE(file);
    const engine::Procedure p = shipped(file);
    auto quote = p.fee_for({}, Channel::kDesk);
    REQUIRE(quote);
    CHECK_FALSE(quote->known());
    REQUIRE(quote->lines.size() == 1);
    CHECK_FALSE(quote->lines[0].amount_vnd.has_value());
    CHECK_FALSE(quote->lines[0].note.vi.empty());
    CHECK_FALSE(quote->lines[0].note.en.empty());
  }
  CHECK(shipped("1.013225-construction-permit.xml")
            .fee_for({}, Channel::kOnline)
            ->lines[0]
            .note.en.find("provincial People's Council") != std::string::npos);
}

TEST_CASE("Fixed fees per channel and exemptions") {
  const engine::Procedure household = shipped("1.001612-household-business-registration.xml");
  CHECK(household.fee_for({}, Channel::kOnline)->known_total_vnd() == 150'000);
  CHECK(household.fee_for({}, Channel::kDesk)->known_total_vnd() == 50'000);
  CHECK(household.fee_for({}, Channel::kDesk)->lines.size() == 1);
  CHECK_FALSE(household.payment.terms.en.empty());

  const engine::Procedure exempt =
      valid(with(minimal_definition(),
                 R"(<fee id="fee" amount-vnd="50000" basis="test value" vi="Lệ phí" en="Fee"/>)",
                 R"(<fee id="fee" amount-vnd="50000" basis="test value" vi="Lệ phí" en="Fee">
      <exemption field="kind" value="hai" vi="Miễn" en="Exempt"/></fee>)"));
  CHECK(exempt.fee_for({{"kind", "một"}}, Channel::kDesk)->known_total_vnd() == 50'000);
  auto waived = exempt.fee_for({{"kind", "hai"}}, Channel::kDesk);
  CHECK(waived->known());
  CHECK(waived->known_total_vnd() == 0);
  CHECK(waived->lines[0].note.en == "Exempt");
}

TEST_CASE("Validator: a field-dependent limit names an enum field and only its options") {
  const std::string base = minimal_definition();
  const std::string limit = R"(<time-limit total="5 working-days"/>)";
  auto field_limit = [&](const std::string& inner, const char* attrs = "") {
    return with(base, limit,
                std::string(R"(<time-limit total="5 working-days"><field-limit field="kind")") +
                    attrs + ">" + inner + "</field-limit></time-limit>");
  };
  CHECK(valid(field_limit(R"(<case value="một" limit="3 working-days"/>)"))
            .time_limit_for({{"kind", "một"}}, Channel::kDesk) ==
        Duration{3, DurationUnit::kWorkingDays});
  expect_refused(field_limit(R"(<case value="ba" limit="3 working-days"/>)"),
                 "names value 'ba', which field 'kind' does not offer");
  expect_refused(field_limit(R"(<case value="một" limit="3 days"/>)"),
                 "must be in the unit of the total");
  expect_refused(field_limit(R"(<case value="một" limit="9 working-days"/>)"),
                 "is longer than the total");
  expect_refused(field_limit(R"(<case value="một" limit="3 working-days"/>
                                <case value="một" limit="4 working-days"/>)"),
                 "gives value 'một' twice");
  expect_refused(
      field_limit(R"(<case value="một" limit="3 working-days"/>)", R"( exhaustive="true")"),
      "gives no limit for 'hai'");
  expect_refused(with(field_limit(R"(<case value="x" limit="3 working-days"/>)"), R"(field="kind")",
                      R"(field="pid")"),
                 "needs field 'pid' to be of type enum");
  expect_refused(with(base, limit, R"(<time-limit total="5 working-days">
      <channel-limit channel="online" limit="4 working-days"/>
      <field-limit field="kind"><case value="một" limit="3 working-days"/></field-limit>
    </time-limit>)"),
                 "follows field 'kind' and the channel at once");
}

TEST_CASE("Validator: fee kinds need their own attributes") {
  const std::string base = minimal_definition();
  const std::string fee =
      R"(<fee id="fee" amount-vnd="50000" basis="test value" vi="Lệ phí" en="Fee"/>)";
  expect_refused(
      with(base, fee, R"(<fee id="fee" kind="unknown" basis="b" vi="Lệ phí" en="Fee"/>)"),
      "publish what is known instead in <unknown vi en>");
  expect_refused(
      with(base, fee, R"(<fee id="fee" kind="unknown" amount-vnd="0" basis="b" vi="L" en="F">
      <unknown vi="Do HĐND tỉnh quy định" en="Set by the People's Council"/></fee>)"),
      "is unknown but gives an amount");
  expect_refused(
      with(base, fee, R"(<fee id="fee" kind="per-page" page-vnd="1000" basis="b" vi="L" en="F"/>)"),
      "names no pages-field");
  expect_refused(
      with(
          base, fee,
          R"(<fee id="fee" kind="per-page" page-vnd="1000" pages-field="kind" basis="b" vi="L" en="F"/>)"),
      "needs field 'kind' to be of type number");
  expect_refused(
      with(
          base, fee,
          R"(<fee id="fee" kind="per-page" pages-field="nope" page-vnd="1000" basis="b" vi="L" en="F"/>)"),
      "names field 'nope', which is not declared");
  expect_refused(with(base, fee, R"(<fee id="fee" amount-vnd="1" basis="b" vi="L" en="F">
      <exemption field="kind" value="ba" vi="Miễn" en="Exempt"/></fee>)"),
                 "names value 'ba', which field 'kind' does not offer");
  // An unknown fee is a fee: a level 4 procedure must still offer online payment.
  expect_refused(with(with(base, fee, R"(<fee id="fee" kind="unknown" basis="b" vi="L" en="F">
      <unknown vi="Do HĐND tỉnh quy định" en="Set by the People's Council"/></fee>)"),
                      R"(<payment online="true"/>)", R"(<payment online="false"/>)"),
                 "must offer online payment");
}

TEST_CASE("Validator: a procedure whose only channel is the desk is not level 3") {
  const std::string base = minimal_definition();
  const std::string desk_only =
      with(base, "<channels>desk online</channels>", "<channels>desk</channels>");
  expect_refused(desk_only, "cannot claim level 4: publish it as level 2");
  expect_refused(with(desk_only, R"(<online level="4" mode="full"/>)",
                      R"(<online level="3" mode="partial"><reason>r</reason></online>)"),
                 "cannot claim level 3");
  expect_refused(with(base, R"(<online level="4" mode="full"/>)",
                      R"(<online level="2" mode="partial"><reason>r</reason></online>)"),
                 "a procedure offered online is at least level 3");
  const engine::Procedure copy = shipped("2.000815-certified-copy.xml");
  CHECK(copy.online.level == 2);
  CHECK_FALSE(copy.online.partial_basis.empty());
}

}  // namespace
}  // namespace motcua::workflows
