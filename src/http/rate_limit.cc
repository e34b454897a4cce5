#include "http/rate_limit.h"

namespace cordon::http {

bool RateLimit::Allow(std::string_view key, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (seen_.size() >= kMaxKeys) {
    std::erase_if(seen_, [&](const auto& entry) {
      return entry.second.empty() || entry.second.back() <= now - window_;
    });
  }
  auto& times = seen_[std::string(key)];
  while (!times.empty() && times.front() <= now - window_) {
    times.pop_front();
  }
  if (times.size() >= max_) {
    return false;
  }
  times.push_back(now);
  return true;
}

}  // namespace cordon::http
