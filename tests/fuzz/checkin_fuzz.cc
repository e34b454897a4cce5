// Check-in uploads (POST /api/v1/checkins): NDJSON lines {"id_number","venue_code","time"} as
// TraceService::IngestNdjson reads them, then the per-field rules its Ingest applies
// (ParseResidentId, ParseTime). The line loop and field extraction are a copy of
// src/trace/service.cc, because the fuzz configuration cannot link the service (it needs the
// store and the engine): keep the two in step until the reader moves out of the service.
// Checks that:
//  - a line that is not a JSON object, or lacks a field, is a rejection, never an exception
//    (nlohmann is called with exceptions off, as the service calls it);
//  - the extracted id and time either parse or fail with kInvalidArgument and a message, and an
//    accepted time round-trips through FormatIso.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/id_number.h"
#include "base/local_time.h"

namespace {

using namespace std::chrono_literals;

constexpr std::chrono::year_month_day kToday{2024y, std::chrono::June, 1d};

// As in IngestNdjson: a string, or an integer written in decimal; anything else is missing.
bool TextOf(const nlohmann::json& object, const char* field, std::string* out) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) {
    return false;
  }
  if (it->is_string()) {
    *out = it->get<std::string>();
  } else if (it->is_number_integer()) {
    *out = std::to_string(it->get<std::int64_t>());
  } else {
    return false;
  }
  return true;
}

void CheckFields(const std::string& id_number, const std::string& time) {
  const auto id = cordon::base::ParseResidentId(id_number, kToday);
  CORDON_CHECK(id.has_value() || !id.error().message().empty());
  const cordon::base::UtcOffset beijing;
  const auto t = cordon::base::ParseTime(time, beijing);
  if (!t.has_value()) {
    CORDON_CHECK(t.error().code() == cordon::StatusCode::kInvalidArgument);
    return;
  }
  const auto again = cordon::base::ParseTime(cordon::base::FormatIso(*t, beijing), beijing);
  CORDON_CHECK(again.has_value() && *again == std::chrono::floor<std::chrono::seconds>(*t));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = body.find('\n', at);
    if (end == std::string_view::npos) {
      end = body.size();
    }
    std::string_view text = body.substr(at, end - at);
    at = end + 1;
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
    }
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    const auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      continue;  // rejected: not a JSON object
    }
    std::string id_number;
    std::string venue_code;
    std::string time;
    if (!TextOf(parsed, "id_number", &id_number) || !TextOf(parsed, "venue_code", &venue_code) ||
        !TextOf(parsed, "time", &time)) {
      continue;  // rejected: a field is missing
    }
    CheckFields(id_number, time);
  }
  return 0;
}
