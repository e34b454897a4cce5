// Path and query parameters read the same way, with the same messages, on every route.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/local_time.h"
#include "base/status.h"
#include "http/request.h"

namespace cordon::http {

// A {id} of the path: a positive integer. Anything else is answered like an unknown id, with
// `not_found` as the message (kNotFound).
Result<std::int64_t> PathId(std::string_view text, std::string_view not_found);

// An integer query parameter within [min, max]; `fallback` when absent or empty.
// Errors: kInvalidArgument on the parameter's name.
Result<std::int64_t> IntParam(const Request& request, std::string_view name, std::int64_t fallback,
                              std::int64_t min, std::int64_t max);

// A true/false query parameter ("true"/"1", "false"/"0"); `fallback` when absent or empty.
// Errors: kInvalidArgument on the parameter's name.
Result<bool> BoolParam(const Request& request, std::string_view name, bool fallback);

// Unix seconds as ISO 8601 with the offset, as every answer writes times.
std::string IsoTime(std::int64_t unix_seconds, base::UtcOffset offset);

}  // namespace cordon::http
