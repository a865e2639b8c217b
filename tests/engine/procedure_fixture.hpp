#pragma once
// A procedure built in C++ for the engine tests, shaped like the construction permit 1.013225 with
// every feature the engine knows: intake supplement, appraisal with a budget, a three-branch
// consultation, a cross-level review, a leader's signed approval, the apology, withdrawal and stop.
// Flow drives one dossier and checks the fold property at every step.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/procedure.hpp"
#include "engine/state_machine.hpp"

namespace motcua::engine::testing {

inline constexpr const char* kDeskId = "000.21.14.H57";
inline constexpr const char* kCommuneId = "000.20.14.H57";
inline constexpr const char* kProvinceId = "000.00.30.H57";
inline constexpr const char* kFireId = "000.00.45.H57";
inline constexpr const char* kLandId = "000.22.14.H57";
inline constexpr const char* kEnvironmentId = "000.00.33.H57";

inline Duration working_days(std::int64_t n) { return Duration{n, DurationUnit::kWorkingDays}; }
inline Duration calendar_days(std::int64_t n) { return Duration{n, DurationUnit::kCalendarDays}; }

inline State task(std::string id, StatusCode status, std::string agency, std::string role,
                  std::optional<Duration> budget = std::nullopt) {
  State s;
  s.id = std::move(id);
  s.status = status;
  s.agency = std::move(agency);
  s.role = std::move(role);
  s.budget = budget;
  return s;
}

inline State final_state(std::string id, StatusCode status) {
  State s;
  s.id = std::move(id);
  s.status = status;
  s.kind = StateKind::kFinal;
  return s;
}

inline Transition transition(std::string action, std::vector<std::string> from, std::string to,
                             std::vector<std::string> roles,
                             ClockEffect clock = ClockEffect::kNone) {
  Transition t;
  t.action = std::move(action);
  t.from = std::move(from);
  t.to = std::move(to);
  t.roles = std::move(roles);
  t.clock = clock;
  return t;
}

inline Procedure permit_procedure() {
  Procedure p;
  p.code = "9.000001";
  p.version = 2;
  p.name = {"Cấp giấy phép xây dựng (thử nghiệm)", "Construction permit (test)"};
  p.receiving_agency = "commune-centre";
  p.channels = {Channel::kDesk, Channel::kOnline, Channel::kPostal};
  auto agency = [&](std::string key, std::string code, std::string level, std::string vi) {
    Agency a;
    a.key = std::move(key);
    a.code = std::move(code);
    a.level = std::move(level);
    a.name = {std::move(vi), a.key};
    p.agencies.push_back(std::move(a));
  };
  agency("commune-centre", kDeskId, "commune", "Trung tâm phục vụ hành chính công");
  agency("commune-ppc", kCommuneId, "commune", "Ủy ban nhân dân cấp xã");
  agency("province", kProvinceId, "province", "Sở Xây dựng");
  agency("fire-police", kFireId, "other", "Cảnh sát PCCC");
  agency("land-office", kLandId, "commune", "Phòng Kinh tế, Hạ tầng và Đô thị");
  agency("environment", "", "province", "Sở Nông nghiệp và Môi trường");
  for (const char* id : {"applicant", "desk", "officer", "consultee", "leader"}) {
    Role role;
    role.id = id;
    role.name = {id, id};
    p.roles.push_back(std::move(role));
  }
  for (const char* id : {"application", "land-document", "design-drawings"}) {
    Component component;
    component.id = id;
    component.name = {id, id};
    p.components.push_back(std::move(component));
  }
  p.time_limit.total = working_days(15);
  p.time_limit.by_channel[Channel::kPostal] = working_days(20);
  p.supplement_mode = SupplementMode::kRestart;
  p.initial_state = "submitted";

  State consultation = task("consultation", StatusCode::kProcessing, "commune-ppc", "officer");
  consultation.kind = StateKind::kParallel;
  consultation.on_complete = "decision";
  auto branch = [](std::string id, std::string agency_key, Duration budget) {
    Branch b;
    b.id = std::move(id);
    b.name = {b.id, b.id};
    b.agency = std::move(agency_key);
    b.role = "consultee";
    b.budget = budget;
    return b;
  };
  Branch fire = branch("fire-safety", "fire-police", calendar_days(12));
  fire.silence_is_consent = true;
  Branch land = branch("land-use", "land-office", working_days(5));
  Branch environment = branch("environment", "environment", working_days(5));
  environment.action = "give-opinion";
  consultation.branches = {fire, land, environment};
  State review =
      task("provincial-review", StatusCode::kProcessing, "province", "officer", working_days(3));
  review.cross_level = true;

  p.states = {
      task("submitted", StatusCode::kSubmitted, "commune-centre", "desk"),
      task("intake-supplement", StatusCode::kSupplementRequested, "", "applicant"),
      task("appraisal", StatusCode::kProcessing, "commune-ppc", "officer", working_days(7)),
      consultation,
      review,
      task("supplement-requested", StatusCode::kSupplementRequested, "", "applicant"),
      task("decision", StatusCode::kProcessing, "commune-ppc", "leader", working_days(2)),
      task("resolved", StatusCode::kResolved, "commune-centre", "desk"),
      final_state("returned", StatusCode::kResultReturned),
      final_state("refused-at-intake", StatusCode::kRefusedAtIntake),
      final_state("withdrawn", StatusCode::kWithdrawn),
      final_state("stopped", StatusCode::kStopped),
  };

  Transition refuse_intake =
      transition("refuse-intake", {"submitted"}, "refused-at-intake", {"desk"}, ClockEffect::kEnd);
  refuse_intake.requires_reason = true;
  Transition request_documents = transition("request-documents", {"submitted"}, "intake-supplement",
                                            {"desk"}, ClockEffect::kSupplementRequest);
  request_documents.requires_reason = true;
  request_documents.requires_components = true;
  Transition resubmit = transition("resubmit", {"intake-supplement"}, "submitted",
                                   {"applicant", "desk"}, ClockEffect::kSupplementReceived);
  resubmit.requires_components = true;
  Transition request_supplement =
      transition("request-supplement", {"appraisal"}, "supplement-requested", {"officer"},
                 ClockEffect::kSupplementRequest);
  request_supplement.requires_reason = true;
  request_supplement.requires_components = true;
  Transition supplement_received =
      transition("supplement-received", {"supplement-requested"}, "appraisal",
                 {"applicant", "desk"}, ClockEffect::kSupplementReceived);
  supplement_received.requires_components = true;
  Transition approve =
      transition("approve", {"decision"}, "resolved", {"leader"}, ClockEffect::kFinish);
  approve.requires_signature = true;
  approve.issues_result = true;
  Transition send_back = transition("send-back", {"decision"}, "appraisal", {"leader"});
  send_back.requires_reason = true;
  Transition apologise =
      transition("apologise", {"appraisal", "consultation", "decision", "provincial-review"}, "",
                 {"leader"}, ClockEffect::kRedate);
  apologise.requires_reason = true;
  Transition stop =
      transition("stop", {"appraisal", "consultation", "supplement-requested", "decision"},
                 "stopped", {"leader"}, ClockEffect::kEnd);
  stop.requires_reason = true;

  p.transitions = {
      transition("accept", {"submitted"}, "appraisal", {"desk"}, ClockEffect::kStart),
      refuse_intake,
      request_documents,
      resubmit,
      transition("inspect-site", {"appraisal"}, "", {"officer"}),
      transition("consult", {"appraisal"}, "consultation", {"officer"}),
      transition("forward", {"appraisal"}, "provincial-review", {"officer"}),
      transition("return-to-commune", {"provincial-review"}, "appraisal", {"officer"}),
      transition("propose", {"appraisal"}, "decision", {"officer"}),
      request_supplement,
      supplement_received,
      approve,
      send_back,
      transition("return", {"resolved"}, "returned", {"desk"}),
      apologise,
      transition("withdraw",
                 {"submitted", "intake-supplement", "appraisal", "consultation",
                  "supplement-requested", "decision"},
                 "withdrawn", {"applicant"}, ClockEffect::kEnd),
      stop,
  };
  p.source_hash = std::string(64, 'a');
  return p;
}

inline Actor officer_of(std::string agency_id, std::string role, std::string user) {
  return Actor{ActorKind::kOfficer, std::move(user), std::move(agency_id), std::move(role)};
}
inline Actor desk() { return officer_of(kDeskId, "desk", "desk-lan"); }
inline Actor officer() { return officer_of(kCommuneId, "officer", "officer-minh"); }
inline Actor leader() { return officer_of(kCommuneId, "leader", "leader-hoa"); }
inline Actor applicant() { return Actor{ActorKind::kApplicant, "citizen-001", "", "applicant"}; }
inline Actor province_officer() { return officer_of(kProvinceId, "officer", "province-an"); }
inline Actor consultee(const std::string& agency_id) {
  return officer_of(agency_id, "consultee", "consultee-" + agency_id.substr(7));
}
inline Actor system_actor() { return Actor{ActorKind::kSystem, "deadline-worker", "", "system"}; }

inline Command command(std::string action, Instant at, Actor actor) {
  Command c;
  c.action = std::move(action);
  c.at = at;
  c.actor = std::move(actor);
  return c;
}

inline Dossier fold(Dossier dossier, const std::vector<Event>& events) {
  for (const Event& event : events) dossier = evolve(std::move(dossier), event);
  return dossier;
}

// Drives one dossier. Every successful decision is checked against the fold property: the
// decision's dossier equals its events folded into the input, the version grows by one per
// event, and folding the whole history from an empty Dossier rebuilds the current dossier.
class Flow {
 public:
  Flow(const Procedure& procedure, const Calendar& calendar)
      : procedure_(procedure), calendar_(calendar) {}

  const Dossier& submit(Instant at, Actor actor = desk(), Channel channel = Channel::kDesk) {
    Submission s;
    s.code = std::string(kDeskId) + "-260302-0001";
    s.channel = channel;
    s.agency_ids = {{"environment", kEnvironmentId}};  // the only agency without a default id
    s.at = at;
    s.actor = std::move(actor);
    auto decision = engine::submit(procedure_, calendar_, s);
    REQUIRE_MESSAGE(decision.has_value(), (decision ? "" : decision.error().message));
    return accept(std::move(*decision), Dossier{});
  }

  Result<Decision> attempt(const Command& c) const {
    return decide(procedure_, calendar_, dossier_, c);
  }

  const Dossier& apply(const Command& c) {
    auto decision = attempt(c);
    REQUIRE_MESSAGE(decision.has_value(),
                    c.action << ": " << (decision ? "" : decision.error().message));
    return accept(std::move(*decision), dossier_);
  }

  const Dossier& dossier() const { return dossier_; }
  const std::vector<Event>& history() const { return history_; }
  const std::vector<Event>& last_events() const { return last_; }

 private:
  const Dossier& accept(Decision decision, const Dossier& before) {
    CHECK(fold(before, decision.events) == decision.dossier);
    CHECK(decision.dossier.version == before.version + std::int64_t(decision.events.size()));
    last_ = decision.events;
    history_.insert(history_.end(), decision.events.begin(), decision.events.end());
    dossier_ = std::move(decision.dossier);
    CHECK(fold(Dossier{}, history_) == dossier_);
    return dossier_;
  }

  const Procedure& procedure_;
  const Calendar& calendar_;
  Dossier dossier_;
  std::vector<Event> history_;
  std::vector<Event> last_;
};

}  // namespace motcua::engine::testing
