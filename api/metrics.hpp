#pragma once
// Metrics: request counts by route and status, and a latency histogram by route, rendered in the
// Prometheus text format (version 0.0.4) together with gauges the caller supplies (dossiers by
// status, overdue count). Thread-safe (one mutex; observe() is a few map updates).
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua::api {

class Metrics {
 public:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};

  void observe(std::string_view route, int status, double seconds);

  struct Gauge {
    std::string name;  // e.g. motcua_dossiers
    std::string help;
    std::vector<std::pair<std::string, double>> samples;  // label set ("" or `status="4"`), value
  };
  std::string render(const std::vector<Gauge>& gauges) const;

 private:
  struct Latency {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Latency> latency_;
};

}  // namespace motcua::api
