#include "http/metrics.h"

#include <cstdio>

namespace cordon::http {

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
    }
  }
  ++h.count;
  h.sum += seconds;
}

std::string Metrics::Render() const {
  std::lock_guard lock(mu_);
  std::string out;
  out += "# HELP cordon_http_requests_total HTTP requests by method, route and status.\n";
  out += "# TYPE cordon_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "cordon_http_requests_total{method=\"";
    out += method;
    out += "\",route=\"";
    out += route;
    out += "\",status=\"";
    out += std::to_string(status);
    out += "\"} ";
    out += std::to_string(n);
    out += "\n";
  }
  out += "# HELP cordon_http_request_duration_seconds Time to answer, by route.\n";
  out += "# TYPE cordon_http_request_duration_seconds histogram\n";
  char number[32];
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      std::snprintf(number, sizeof number, "%g", kBuckets[i]);
      out += "cordon_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"" + number +
             "\"} " + std::to_string(h.buckets[i]) + "\n";
    }
    out += "cordon_http_request_duration_seconds_bucket{route=\"" + route + "\",le=\"+Inf\"} " +
           std::to_string(h.count) + "\n";
    std::snprintf(number, sizeof number, "%.6f", h.sum);
    out += "cordon_http_request_duration_seconds_sum{route=\"" + route + "\"} " + number + "\n";
    out += "cordon_http_request_duration_seconds_count{route=\"" + route + "\"} " +
           std::to_string(h.count) + "\n";
  }
  return out;
}

}  // namespace cordon::http
