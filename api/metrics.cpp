#include "api/metrics.hpp"

#include <cstdio>

namespace motcua::api {

void Metrics::observe(std::string_view route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(route), status}];
  Latency& l = latency_[std::string(route)];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++l.buckets[i];
  }
  ++l.count;
  l.sum += seconds;
}

std::string Metrics::render(const std::vector<Gauge>& gauges) const {
  std::string out;
  char line[512];
  std::lock_guard lock(mutex_);
  out += "# HELP motcua_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE motcua_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    std::snprintf(line, sizeof line,
                  "motcua_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
                  key.first.c_str(), key.second, static_cast<unsigned long long>(count));
    out += line;
  }
  out += "# HELP motcua_http_request_duration_seconds Time to answer a request, by route.\n";
  out += "# TYPE motcua_http_request_duration_seconds histogram\n";
  for (const auto& [route, l] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(line, sizeof line,
                    "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    route.c_str(), kBuckets[i], static_cast<unsigned long long>(l.buckets[i]));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "motcua_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                  "motcua_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "motcua_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  route.c_str(), static_cast<unsigned long long>(l.count), route.c_str(), l.sum,
                  route.c_str(), static_cast<unsigned long long>(l.count));
    out += line;
  }
  for (const Gauge& g : gauges) {
    out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " gauge\n";
    for (const auto& [labels, value] : g.samples) {
      std::snprintf(line, sizeof line, "%s%s%s%s %.17g\n", g.name.c_str(),
                    labels.empty() ? "" : "{", labels.c_str(), labels.empty() ? "" : "}", value);
      out += line;
    }
  }
  return out;
}

}  // namespace motcua::api
