#include "engine/dossier.hpp"

namespace motcua::engine {

std::string_view to_string(Verdict verdict) noexcept {
  switch (verdict) {
    case Verdict::kNone:
      return "none";
    case Verdict::kEarly:
      return "early";
    case Verdict::kOnTime:
      return "on-time";
    case Verdict::kLate:
      return "late";
  }
  return "none";
}

std::string_view to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::kSubmitted:
      return "submitted";
    case EventKind::kTransitioned:
      return "transitioned";
    case EventKind::kBranchCompleted:
      return "branch-completed";
    case EventKind::kClockStarted:
      return "clock-started";
    case EventKind::kClockStopped:
      return "clock-stopped";
    case EventKind::kClockRestarted:
      return "clock-restarted";
    case EventKind::kClockResumed:
      return "clock-resumed";
    case EventKind::kRedated:
      return "redated";
    case EventKind::kFinished:
      return "finished";
  }
  return "transitioned";
}

}  // namespace motcua::engine
