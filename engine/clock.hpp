#pragma once
// Clock port: the engine asks it for "now" and never reads the system clock itself. app/ wires a
// system clock; tests inject a fixed or stepping one.
#include "engine/time.hpp"

namespace motcua::engine {

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe in every implementation.
  virtual Instant now() const = 0;
};

}  // namespace motcua::engine
