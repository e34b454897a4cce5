#include "http/params.h"

#include <charconv>

namespace cordon::http {

Result<std::int64_t> PathId(std::string_view text, std::string_view not_found) {
  std::int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return NotFound(std::string(not_found));
  }
  return id;
}

Result<std::int64_t> IntParam(const Request& request, std::string_view name, std::int64_t fallback,
                              std::int64_t min, std::int64_t max) {
  std::string text = request.Param(name);
  if (text.empty()) {
    return fallback;
  }
  std::int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < min || n > max) {
    return FieldInvalid(std::string(name), "应为 " + std::to_string(min) + "-" +
                                               std::to_string(max) +
                                               " 之间的整数 (an integer in range)");
  }
  return n;
}

Result<bool> BoolParam(const Request& request, std::string_view name, bool fallback) {
  const std::string value = request.Param(name);
  if (value.empty()) {
    return fallback;
  }
  if (value == "true" || value == "1") {
    return true;
  }
  if (value == "false" || value == "0") {
    return false;
  }
  return FieldInvalid(std::string(name), "应为 true 或 false (true or false)");
}

std::string IsoTime(std::int64_t unix_seconds, base::UtcOffset offset) {
  return base::FormatIso(std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds)),
                         offset);
}

}  // namespace cordon::http
