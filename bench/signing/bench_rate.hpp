#pragma once
// Shared by the signing benchmark's files: the measuring loop.
#include <chrono>
#include <functional>

namespace motcua::signing::bench {

// Runs `op` repeatedly for at least `seconds`; returns operations per second (or -1 on failure).
inline double rate(double seconds, const std::function<bool()>& op) {
  using Clock = std::chrono::steady_clock;
  long n = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  do {
    for (int i = 0; i < 20; ++i, ++n) {
      if (!op()) return -1;
    }
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return static_cast<double>(n) / elapsed;
}

}  // namespace motcua::signing::bench
