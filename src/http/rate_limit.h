// A per-key sliding-window limit for public endpoints (the arrivals' self-report form): at most
// `max` requests per key in any `window`. In memory: a restart forgets, which is acceptable for
// slowing down floods, not for security decisions. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cordon::http {

class RateLimit {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimit(std::size_t max, Clock::duration window) : max_(max), window_(window) {}

  // Counts the request and answers whether it is within the limit.
  bool Allow(std::string_view key, Clock::time_point now = Clock::now());

 private:
  // Beyond this many keys, keys with nothing in the window are dropped (a spray of addresses
  // must not grow the map without end).
  static constexpr std::size_t kMaxKeys = 100'000;

  std::size_t max_;
  Clock::duration window_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<Clock::time_point>> seen_;
};

}  // namespace cordon::http
