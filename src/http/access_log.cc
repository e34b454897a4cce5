#include "http/access_log.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <random>

namespace cordon::http {

std::string NewRequestId() {
  static const std::uint32_t node = std::random_device{}();
  static std::atomic<std::uint64_t> counter{0};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08x%08llx", node,
                static_cast<unsigned long long>(counter.fetch_add(1)) + 1);
  return buf;
}

std::string LogSafe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '"' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace cordon::http
