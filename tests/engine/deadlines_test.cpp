// Statutory clock: start, supplement (restart and pause), apology, the 15:00 rule and verdicts,
// with exact instants on the real 2026 calendar.
#include "engine/internal/deadlines.hpp"

#include <doctest/doctest.h>

#include "engine/state_machine.hpp"
#include "tests/engine/procedure_fixture.hpp"
#include "tests/engine/vn_calendar_fixture.hpp"

namespace motcua::engine {
namespace {

using testing::applicant;
using testing::command;
using testing::desk;
using testing::Flow;
using testing::leader;
using testing::officer;
using testing::vn;

Command supplement_request(Instant at) {
  Command c = command("request-supplement", at, officer());
  c.reason = "Bản vẽ mặt bằng thiếu kích thước";
  c.components = {"design-drawings"};
  return c;
}

Command supplement_received(Instant at) {
  Command c = command("supplement-received", at, applicant());
  c.components = {"design-drawings"};
  return c;
}

Command approve(Instant at) {
  Command c = command("approve", at, leader());
  c.signed_by_actor = true;
  return c;
}

Command apology(Instant at, Instant new_due) {
  Command c = command("apologise", at, leader());
  c.reason = "Chờ kết quả kiểm tra thực địa bổ sung";
  c.new_due = new_due;
  return c;
}

void accept(Flow& flow, Instant submitted, Instant accepted) {
  flow.submit(submitted);
  flow.apply(command("accept", accepted, desk()));
}

TEST_CASE("Deadlines start the clock at the next working moment") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  SUBCASE("accepted at lunch: the clock starts at 13:30") {
    accept(flow, vn("2026-03-02T11:00"), vn("2026-03-02T12:15"));
    CHECK(flow.dossier().clock_start == vn("2026-03-02T13:30"));
    CHECK(flow.dossier().due == vn("2026-03-23T11:30"));  // a day from 13:30 ends at 11:30
  }
  SUBCASE("accepted on the Friday evening before Tết: 15 working days resume after the holiday") {
    accept(flow, vn("2026-02-13T16:00"), vn("2026-02-13T17:30"));
    CHECK(flow.dossier().clock_start == vn("2026-02-23T07:00"));
    CHECK(flow.dossier().due == vn("2026-03-13T17:00"));  // ends at 17:00, not next 07:00
  }
  SUBCASE("a postal dossier gets the postal limit") {
    flow.submit(vn("2026-03-02T08:00"), desk(), Channel::kPostal);
    flow.apply(command("accept", vn("2026-03-02T09:00"), desk()));
    CHECK(flow.dossier().due == vn("2026-03-30T09:00"));  // 20 working days
  }
}

TEST_CASE("Deadlines restart the clock from zero when a supplement arrives (restart mode)") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  const Dossier& waiting = flow.apply(supplement_request(vn("2026-03-04T09:00")));
  CHECK(waiting.status == StatusCode::kSupplementRequested);
  CHECK(waiting.supplement_requested_at == vn("2026-03-04T09:00"));
  CHECK(flow.last_events().back().kind == EventKind::kClockStopped);
  const Dossier& back = flow.apply(supplement_received(vn("2026-03-09T14:00")));
  CHECK(flow.last_events().back().kind == EventKind::kClockRestarted);
  CHECK(back.state == "appraisal");
  CHECK(back.clock_start == vn("2026-03-09T14:00"));
  CHECK(back.due == vn("2026-03-30T14:00"));
  CHECK_FALSE(back.supplement_requested_at);
  CHECK(back.supplement_components.empty());
  CHECK(back.supplement_requests == 1);
}

TEST_CASE("Deadlines push the due date by the working time waited (pause mode)") {
  Procedure p = testing::permit_procedure();
  p.supplement_mode = SupplementMode::kPause;
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  flow.apply(supplement_request(vn("2026-03-04T09:00")));
  const Dossier& back = flow.apply(supplement_received(vn("2026-03-09T14:00")));
  CHECK(flow.last_events().back().kind == EventKind::kClockResumed);
  // Waited Wed 09:00 -> Mon 14:00: 360 + 480 + 480 + 300 = 1620 working minutes (3 days 3 hours).
  CHECK(back.clock_start == vn("2026-03-02T09:00"));
  CHECK(back.due == vn("2026-03-26T14:00"));
}

TEST_CASE("Deadlines push a calendar-day due date by the wall time waited (pause mode)") {
  Procedure p = testing::permit_procedure();
  p.supplement_mode = SupplementMode::kPause;
  p.time_limit.total = testing::calendar_days(15);
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  CHECK(flow.dossier().due == vn("2026-03-17T17:00"));  // day 15 is Tue 17 Mar
  flow.apply(supplement_request(vn("2026-03-04T09:00")));
  // Waited 5 days 5 hours: the period's last day becomes Sun 22 Mar, so it runs to Mon 23 Mar.
  CHECK(flow.apply(supplement_received(vn("2026-03-09T14:00"))).due == vn("2026-03-23T17:00"));
}

TEST_CASE("Deadlines and `motcua calendar due` agree on calendar days received outside hours") {
  // One rule (Calendar::add): the CLI calls Calendar::due(received, limit), the server
  // start_clock(received); both count from the next working moment. Hand-computed: Sat 7 Mar
  // 22:15 -> Mon 9 Mar 07:00; day 15 = Tue 24 Mar; Fri 6 Mar 18:00 -> Mon 9 Mar; day 15 = 24 Mar.
  Procedure p = testing::permit_procedure();
  p.time_limit.total = testing::calendar_days(15);
  p.time_limit.by_channel.clear();
  const Calendar& calendar = testing::vietnam_2026();
  for (const char* received : {"2026-03-07T22:15", "2026-03-06T18:00", "2026-03-08T10:00"}) {
    CAPTURE(received);
    Dossier desk;
    desk.channel = Channel::kDesk;
    auto server = start_clock(p, calendar, desk, vn(received));
    REQUIRE(server.has_value());
    CHECK(server->due == vn("2026-03-24T17:00"));
    CHECK(calendar.due(vn(received), p.time_limit.total).value().at == server->due);
  }
}

TEST_CASE(
    "Deadlines take the limit a form field chooses (the work type of a construction permit)") {
  // 1.013225: 15 days for a detached house, 20 for grade III/IV works, whatever the channel.
  // Received Mon 2 Mar 2026 09:00: day 15 is Tue 17 Mar; day 20 is Sun 22 Mar, a rest day, so the
  // period runs to Mon 23 Mar (Civil Code art. 148).
  Procedure p = testing::permit_procedure();
  p.time_limit.total = testing::calendar_days(20);
  p.time_limit.by_channel.clear();
  p.time_limit.by_field = FieldLimit{"work-type",
                                     true,
                                     {LimitCase{"nhà ở riêng lẻ", testing::calendar_days(15)},
                                      LimitCase{"công trình cấp III", testing::calendar_days(20)}}};
  const Calendar& calendar = testing::vietnam_2026();
  Dossier d;
  d.channel = Channel::kOnline;
  d.form = {{"work-type", "nhà ở riêng lẻ"}};
  CHECK(start_clock(p, calendar, d, vn("2026-03-02T09:00")).value().due == vn("2026-03-17T17:00"));
  d.form["work-type"] = "công trình cấp III";
  CHECK(start_clock(p, calendar, d, vn("2026-03-02T09:00")).value().due == vn("2026-03-23T17:00"));
  SUBCASE("the dossier's form comes from its submitted event") {
    Event submitted;
    submitted.kind = EventKind::kSubmitted;
    submitted.form = {{"work-type", "nhà ở riêng lẻ"}};
    CHECK(evolve(Dossier{}, submitted).form == submitted.form);
  }
}

TEST_CASE("Deadlines add working minutes exactly, ending on the end of an interval") {
  const Calendar& calendar = testing::vietnam_2026();
  CHECK(add_working_minutes(calendar, vn("2026-03-02T09:00"), 0) == vn("2026-03-02T09:00"));
  CHECK(add_working_minutes(calendar, vn("2026-03-02T09:00"), 150) == vn("2026-03-02T11:30"));
  CHECK(add_working_minutes(calendar, vn("2026-03-02T09:00"), 151) == vn("2026-03-02T13:31"));
  CHECK(add_working_minutes(calendar, vn("2026-02-13T16:59"), 2) == vn("2026-02-23T07:01"));
  CHECK(add_working_minutes(calendar, vn("2026-03-02T09:00"), -1).error().code ==
        ErrorCode::kInvalidInput);
}

TEST_CASE("Deadlines allow a supplement request only within the window after receipt") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  // 3 working days after Mon 09:00 end on Thu 09:00.
  CHECK(flow.attempt(supplement_request(vn("2026-03-05T09:01"))).error().code ==
        ErrorCode::kDeadlinePassed);
  CHECK(flow.attempt(supplement_request(vn("2026-03-05T09:00"))).has_value());

  Procedure wider = p;
  wider.time_limit.supplement_window = testing::working_days(7);
  CHECK(decide(wider, testing::vietnam_2026(), flow.dossier(),
               supplement_request(vn("2026-03-11T09:00")))
            .has_value());
  CHECK(decide(wider, testing::vietnam_2026(), flow.dossier(),
               supplement_request(vn("2026-03-11T09:01")))
            .error()
            .code == ErrorCode::kDeadlinePassed);
}

TEST_CASE("Deadlines count a dossier with more than one supplement request as late") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  flow.apply(supplement_request(vn("2026-03-03T09:00")));
  flow.apply(supplement_received(vn("2026-03-04T09:00")));
  flow.apply(supplement_request(vn("2026-03-05T09:00")));
  const Dossier& back = flow.apply(supplement_received(vn("2026-03-06T09:00")));
  CHECK(back.supplement_requests == 2);
  flow.apply(command("propose", vn("2026-03-09T09:00"), officer()));
  const Dossier& done = flow.apply(approve(vn("2026-03-10T09:00")));
  CHECK(done.due == vn("2026-03-27T09:00"));
  CHECK(done.finished_at < done.due);
  CHECK(done.verdict == Verdict::kLate);
}

TEST_CASE("Deadlines give early, on-time and late verdicts to the dossier and to each step") {
  const Procedure p = testing::permit_procedure();
  struct Case {
    const char* leave_appraisal;
    Verdict step;
    const char* approved;
    Verdict dossier;
  };
  // Appraisal is due Wed 11 Mar 09:00 (7 working days); the dossier Mon 23 Mar 09:00.
  const Case cases[] = {
      {"2026-03-10T16:00", Verdict::kEarly, "2026-03-12T09:00", Verdict::kEarly},
      {"2026-03-11T08:00", Verdict::kOnTime, "2026-03-23T08:00", Verdict::kOnTime},
      {"2026-03-11T09:00", Verdict::kOnTime, "2026-03-23T09:00", Verdict::kOnTime},
      {"2026-03-11T09:01", Verdict::kLate, "2026-03-23T09:01", Verdict::kLate},
  };
  for (const Case& c : cases) {
    CAPTURE(c.leave_appraisal);
    Flow flow(p, testing::vietnam_2026());
    accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
    const Dossier& deciding = flow.apply(command("propose", vn(c.leave_appraisal), officer()));
    CHECK(deciding.slip[1].verdict == c.step);
    CHECK(deciding.slip[1].left == vn(c.leave_appraisal));
    CHECK(deciding.slip[1].left_by == "officer-minh");
    const Dossier& done = flow.apply(approve(vn(c.approved)));
    CHECK(done.verdict == c.dossier);
  }
}

TEST_CASE("Deadlines allow a single apology, at latest one working day before the deadline") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  REQUIRE(flow.dossier().due == vn("2026-03-23T09:00"));

  SUBCASE("too late: less than one working day left") {
    CHECK(flow.attempt(apology(vn("2026-03-20T09:01"), vn("2026-03-30T17:00"))).error().code ==
          ErrorCode::kDeadlinePassed);
  }
  SUBCASE("the new date must be later, and the reason given") {
    CHECK(flow.attempt(apology(vn("2026-03-10T09:00"), vn("2026-03-23T09:00"))).error().code ==
          ErrorCode::kInvalidInput);
    Command no_date = apology(vn("2026-03-10T09:00"), vn("2026-03-30T17:00"));
    no_date.new_due.reset();
    CHECK(flow.attempt(no_date).error().code == ErrorCode::kInvalidInput);
    Command no_reason = apology(vn("2026-03-10T09:00"), vn("2026-03-30T17:00"));
    no_reason.reason.clear();
    CHECK(flow.attempt(no_reason).error().code == ErrorCode::kReasonRequired);
  }
  SUBCASE("exactly one working day before is accepted, a second apology is refused") {
    const Dossier& d = flow.apply(apology(vn("2026-03-20T09:00"), vn("2026-03-30T17:00")));
    CHECK(d.due == vn("2026-03-30T17:00"));
    CHECK(d.original_due == vn("2026-03-23T09:00"));
    CHECK(d.redated);
    CHECK(d.state == "appraisal");
    CHECK(d.slip.size() == 2);
    CHECK(flow.last_events().back().kind == EventKind::kRedated);
    CHECK(flow.attempt(apology(vn("2026-03-23T09:00"), vn("2026-04-10T17:00"))).error().code ==
          ErrorCode::kAlreadyDone);
    CHECK(available_actions(p, d, leader()) == std::vector<std::string>{"stop"});
    flow.apply(command("propose", vn("2026-03-24T09:00"), officer()));
    CHECK(flow.apply(approve(vn("2026-03-27T09:00"))).verdict == Verdict::kEarly);
  }
}

// The lifecycle rules are data (engine/legal_rules.hpp, workflows/rules): another rule set changes
// the supplement window a procedure does not publish, the apology's lead time and how many
// supplement requests make a dossier late.
TEST_CASE("Deadlines follow the lifecycle rules they are given") {
  const Procedure p = testing::permit_procedure();
  REQUIRE_FALSE(p.time_limit.supplement_window);
  LegalRules other;
  other.supplement_window = testing::working_days(5);
  other.apology_lead = testing::working_days(2);
  other.supplements_before_late = 2;
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  const Calendar& cal = testing::vietnam_2026();

  // Window: 5 working days after Mon 2 Mar 09:00 end on Mon 9 Mar 09:00 (3: Thu 5 Mar 09:00).
  CHECK(decide(p, cal, flow.dossier(), supplement_request(vn("2026-03-09T09:00")), other));
  CHECK(decide(p, cal, flow.dossier(), supplement_request(vn("2026-03-09T09:01")), other)
            .error()
            .code == ErrorCode::kDeadlinePassed);
  CHECK(decide(p, cal, flow.dossier(), supplement_request(vn("2026-03-06T09:00")))
            .error()
            .code == ErrorCode::kDeadlinePassed);
  // A published window wins over the rules.
  Procedure published = p;
  published.time_limit.supplement_window = testing::working_days(1);
  CHECK(decide(published, cal, flow.dossier(), supplement_request(vn("2026-03-04T09:00")), other)
            .error()
            .code == ErrorCode::kDeadlinePassed);

  // Apology: due Mon 23 Mar 09:00; two working days before is Thu 19 Mar 09:00.
  REQUIRE(flow.dossier().due == vn("2026-03-23T09:00"));
  CHECK(decide(p, cal, flow.dossier(), apology(vn("2026-03-19T09:00"), vn("2026-03-30T17:00")),
               other));
  CHECK(decide(p, cal, flow.dossier(), apology(vn("2026-03-19T09:01"), vn("2026-03-30T17:00")),
               other)
            .error()
            .code == ErrorCode::kDeadlinePassed);
  CHECK(decide(p, cal, flow.dossier(), apology(vn("2026-03-19T09:01"), vn("2026-03-30T17:00"))));

  // Two supplement requests are not late when the rules allow two.
  Dossier d = flow.dossier();
  for (const Command& c : {supplement_request(vn("2026-03-03T09:00")),
                           supplement_received(vn("2026-03-04T09:00")),
                           supplement_request(vn("2026-03-05T09:00")),
                           supplement_received(vn("2026-03-06T09:00")),
                           command("propose", vn("2026-03-09T09:00"), officer())}) {
    auto next = decide(p, cal, d, c, other);
    REQUIRE_MESSAGE(next, next.error().message);
    d = next->dossier;
  }
  REQUIRE(d.supplement_requests == 2);
  CHECK(decide(p, cal, d, approve(vn("2026-03-10T09:00")), other)->dossier.verdict ==
        Verdict::kEarly);
  CHECK(decide(p, cal, d, approve(vn("2026-03-10T09:00")))->dossier.verdict == Verdict::kLate);
}

TEST_CASE("Deadlines follow the 15:00 rule for same-day procedures") {
  Procedure p = testing::permit_procedure();
  p.time_limit.total = testing::working_days(0);
  p.time_limit.same_day_cutoff = 15 * 60;
  struct Case {
    const char* accepted;
    const char* due;
  };
  const Case cases[] = {
      {"2026-03-02T10:00", "2026-03-02T17:00"},
      {"2026-03-02T15:00", "2026-03-02T17:00"},
      {"2026-03-02T15:01", "2026-03-03T17:00"},
      {"2026-02-13T15:30", "2026-02-23T17:00"},  // Friday before Tết -> first day after it
      {"2026-01-09T16:00", "2026-01-10T17:00"},  // Friday -> the make-up Saturday 10 Jan
  };
  for (const Case& c : cases) {
    CAPTURE(c.accepted);
    Flow flow(p, testing::vietnam_2026());
    accept(flow, vn(c.accepted), vn(c.accepted));
    CHECK(flow.dossier().due == vn(c.due));
  }
  SUBCASE("extra working days are added after the same-day deadline") {
    p.time_limit.total = testing::working_days(2);
    Flow flow(p, testing::vietnam_2026());
    accept(flow, vn("2026-03-02T10:00"), vn("2026-03-02T10:00"));
    CHECK(flow.dossier().due == vn("2026-03-04T17:00"));
  }
}

TEST_CASE("Deadlines refuse clock changes once the dossier is finished") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  accept(flow, vn("2026-03-02T08:00"), vn("2026-03-02T09:00"));
  flow.apply(command("propose", vn("2026-03-03T09:00"), officer()));
  flow.apply(approve(vn("2026-03-04T09:00")));
  Procedure reopenable = p;
  reopenable.transitions.push_back(testing::transition("withdraw-late", {"resolved"}, "withdrawn",
                                                       {"applicant"}, ClockEffect::kEnd));
  CHECK(decide(reopenable, testing::vietnam_2026(), flow.dossier(),
               command("withdraw-late", vn("2026-03-05T09:00"), applicant()))
            .error()
            .code == ErrorCode::kIllegalAction);
  CHECK(flow.apply(command("return", vn("2026-03-05T09:00"), desk())).state == "returned");
}

TEST_CASE("Deadlines report a calendar that does not cover the dates as out of range") {
  const Procedure p = testing::permit_procedure();
  Flow flow(p, testing::vietnam_2026());
  flow.submit(vn("2026-12-28T08:00"));
  // 15 working days from 28 Dec 2026 need January 2027, which this calendar does not hold.
  CHECK(flow.attempt(command("accept", vn("2026-12-28T09:00"), desk())).error().code ==
        ErrorCode::kOutOfRange);
  CHECK(flow.dossier().state == "submitted");
}

}  // namespace
}  // namespace motcua::engine
