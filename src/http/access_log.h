// Request ids and the text of access-log lines.
#pragma once

#include <string>
#include <string_view>

namespace cordon::http {

// 16 hex characters: a random node part, then a counter. Unique within a process run.
std::string NewRequestId();
// Control characters and quotes are escaped so that one request is always one log line.
std::string LogSafe(std::string_view s);

}  // namespace cordon::http
