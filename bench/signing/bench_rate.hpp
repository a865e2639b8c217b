#pragma once
// Shared by the signing benchmarks: the measuring loop, and a development PKI made for the run.
#include <stdlib.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>

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

// A fresh development PKI (samples/pki/make-dev-pki) in a new directory under /tmp; its path, or
// "" when it cannot be made. The caller removes it.
inline std::string make_dev_pki(const std::string& source_dir) {
  char dir_template[] = "/tmp/motcua-bench-pki-XXXXXX";
  if (mkdtemp(dir_template) == nullptr) return {};
  const std::string dir = dir_template;
  const std::string make = source_dir + "/samples/pki/make-dev-pki " + dir + " >/dev/null";
  return std::system(make.c_str()) == 0 ? dir : std::string();
}

}  // namespace motcua::signing::bench
