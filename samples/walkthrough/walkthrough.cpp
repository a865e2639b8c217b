#include "samples/walkthrough/walkthrough.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>

namespace motcua::engine {
namespace {

// Only the ordinary forward path: no waiting for the applicant, no apology, no ending without a
// result, no staying in place.
bool forward(const Transition& t, bool allow_end) {
  return !t.to.empty() && t.clock != ClockEffect::kSupplementRequest &&
         t.clock != ClockEffect::kSupplementReceived && t.clock != ClockEffect::kRedate &&
         (allow_end || t.clock != ClockEffect::kEnd);
}

std::string acting_role(const Transition& t) {
  for (const std::string& role : t.roles) {
    if (role != kApplicantRole) return role;
  }
  return t.roles.empty() ? std::string() : t.roles.front();
}

WalkStep step_of(const Procedure& procedure, const State& from, const Transition& t) {
  WalkStep step;
  step.from_state = from.id;
  step.action = t.action;
  step.role = acting_role(t);
  if (step.role != kApplicantRole) {
    step.agency = from.agency.empty() ? procedure.receiving_agency : from.agency;
  }
  return step;
}

struct Node {
  std::string state;
  bool consulted = false;  // passed a parallel state, answering every branch
  bool result = false;     // a transition issued the result
  auto operator<=>(const Node&) const = default;
};

struct Goal {
  bool returned = false;  // end in a state with status 10
  bool result = false;
  bool consulted = false;
  bool allow_end = false;  // may take transitions that end without a result
};

// Breadth-first search over the nodes above, for the shortest path that meets `goal`.
std::optional<std::vector<WalkStep>> search(const Procedure& procedure, const Goal& goal) {
  std::map<Node, std::pair<Node, std::vector<WalkStep>>> came_from;
  std::deque<Node> queue{Node{procedure.initial_state, false, false}};
  came_from[queue.front()] = {queue.front(), {}};
  while (!queue.empty()) {
    const Node node = queue.front();
    queue.pop_front();
    const State* state = procedure.state(node.state);
    if (state == nullptr) continue;
    if (state->kind == StateKind::kFinal) {
      if ((goal.returned && state->status != StatusCode::kResultReturned) ||
          (goal.result && !node.result) || (goal.consulted && !node.consulted)) {
        continue;
      }
      std::vector<WalkStep> path;
      for (Node at = node; !(at == Node{procedure.initial_state, false, false});) {
        auto& [previous, steps] = came_from.at(at);
        path.insert(path.begin(), steps.begin(), steps.end());
        at = previous;
      }
      return path;
    }
    auto visit = [&](Node next, std::vector<WalkStep> steps) {
      if (came_from.count(next)) return;
      came_from[next] = {node, std::move(steps)};
      queue.push_back(std::move(next));
    };
    if (state->kind == StateKind::kParallel) {
      std::vector<WalkStep> answers;
      for (const Branch& branch : state->branches) {
        answers.push_back(
            WalkStep{state->id, branch.action, branch.id, branch.role, branch.agency});
      }
      visit(Node{state->on_complete, true, node.result}, std::move(answers));
    }
    for (const Transition& t : procedure.transitions) {
      if (!forward(t, goal.allow_end) ||
          std::find(t.from.begin(), t.from.end(), state->id) == t.from.end()) {
        continue;
      }
      visit(Node{t.to, node.consulted, node.result || t.issues_result},
            {step_of(procedure, *state, t)});
    }
  }
  return std::nullopt;
}

// Inserts a supplement request and its receipt before the first step taken from a state that
// offers one after the clock started.
void add_supplement(const Procedure& procedure, std::vector<WalkStep>& steps) {
  bool started = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const State* from = procedure.state(steps[i].from_state);
    for (const Transition& request : procedure.transitions) {
      if (!started || from == nullptr || request.clock != ClockEffect::kSupplementRequest ||
          std::find(request.from.begin(), request.from.end(), from->id) == request.from.end()) {
        continue;
      }
      const State* waiting = procedure.state(request.to);
      for (const Transition& back : procedure.transitions) {
        if (waiting == nullptr || back.clock != ClockEffect::kSupplementReceived ||
            back.to != from->id ||
            std::find(back.from.begin(), back.from.end(), waiting->id) == back.from.end()) {
          continue;
        }
        WalkStep received = step_of(procedure, *waiting, back);
        if (std::find(back.roles.begin(), back.roles.end(), kApplicantRole) != back.roles.end()) {
          received.role = std::string(kApplicantRole);
          received.agency.clear();
        }
        steps.insert(steps.begin() + std::ptrdiff_t(i),
                     {step_of(procedure, *from, request), std::move(received)});
        return;
      }
    }
    const Transition* t = procedure.transition(steps[i].from_state, steps[i].action);
    if (t != nullptr && t->clock == ClockEffect::kStart) started = true;
  }
}

}  // namespace

Result<std::vector<WalkStep>> plan_walkthrough(const Procedure& procedure, WalkOptions options) {
  // From the richest lifecycle down to any way out.
  const Goal goals[] = {{true, true, true, false},
                        {true, true, false, false},
                        {true, false, false, false},
                        {false, false, false, true}};
  std::optional<std::vector<WalkStep>> path;
  for (const Goal& goal : goals) {
    if ((path = search(procedure, goal))) break;
  }
  if (!path) {
    return fail(
        ErrorCode::kInvalidDefinition,
        "procedure " + procedure.code + " has no way from its initial state to a final one");
  }
  if (options.supplement) add_supplement(procedure, *path);
  return std::move(*path);
}

Actor walkthrough_applicant() {
  return Actor{ActorKind::kApplicant, "walk-applicant", "", std::string(kApplicantRole)};
}

Command walkthrough_command(const Procedure& procedure, const Dossier& dossier,
                            const WalkStep& step, Instant at) {
  Command command;
  command.action = step.action;
  command.branch = step.branch;
  command.at = at;
  if (step.role == kApplicantRole) {
    command.actor = walkthrough_applicant();
  } else {
    command.actor.kind = ActorKind::kOfficer;
    command.actor.user = "walk-" + step.role;
    command.actor.role = step.role;
    if (auto it = dossier.agency_ids.find(step.agency); it != dossier.agency_ids.end()) {
      command.actor.agency_id = it->second;
    }
  }
  // Only what the action asks for, as a real client would send.
  const Transition* t =
      step.branch.empty() ? procedure.transition(step.from_state, step.action) : nullptr;
  if (t != nullptr) {
    if (t->requires_reason || t->clock == ClockEffect::kRedate || t->clock == ClockEffect::kEnd) {
      command.reason = "Walkthrough: " + step.action;
    }
    const bool lists = t->requires_components || t->clock == ClockEffect::kSupplementRequest;
    if (lists && !t->components.empty()) {
      command.components = {t->components.front()};
    } else if (lists && !procedure.components.empty()) {
      command.components = {procedure.components.front().id};
    }
    command.signed_by_actor = t->requires_signature;
  } else {
    command.answer = "Đồng ý / Agreed";
  }
  return command;
}

}  // namespace motcua::engine
