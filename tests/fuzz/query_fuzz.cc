// A request target as the connection splits it ("path?query"): route matching with
// percent-decoded {params}, the query-string readers, and the list filters every list route
// reads from them (the keyset cursor `after`, the person search `q`). Checks that:
//  - a matched route hands out one non-empty decoded parameter per {name}, and PathId accepts
//    only decimal digits naming a positive id;
//  - PercentDecode never lengthens text, leaves text without % or + alone, and inverts a full
//    %XX encoding;
//  - IntParam and BoolParam return values inside their bounds or kInvalidArgument;
//  - an accepted cursor (other than the start) formats and parses back to itself; an accepted
//  search is whole and
//    normalised (18-character ID, 11-digit phone) and at most 200 bytes.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/id_number.h"
#include "base/internal/utf8.h"
#include "http/params.h"
#include "http/request.h"
#include "http/router.h"
#include "people/rules.h"
#include "store/scope_cursor.h"

namespace {

using namespace std::chrono_literals;

constexpr std::chrono::year_month_day kToday{2024y, std::chrono::June, 1d};

// A sample of the real route table: literal and {param} segments, one pattern under two methods.
const cordon::http::Router& Routes() {
  static const cordon::http::Router* router = [] {
    auto* r = new cordon::http::Router;
    std::size_t id = 0;
    for (const char* pattern :
         {"/api/v1/people", "/api/v1/people/{id}", "/api/v1/people/{id}/timeline",
          "/api/v1/cases/{id}/investigation/{entry}", "/api/v1/regions/{code}",
          "/api/v1/venues/{code}", "/api/v1/leads/imports/{id}/report.csv", "/"}) {
      r->Add("GET", pattern, id++);
    }
    r->Add("PATCH", "/api/v1/people/{id}", id++);
    return r;
  }();
  return *router;
}

void CheckRoute(std::string_view method, std::string_view raw_path) {
  cordon::http::Router::Match match;
  if (Routes().Find(method, raw_path, match) != cordon::http::Router::Outcome::kFound) {
    return;
  }
  for (const std::string& p : match.params) {
    CORDON_CHECK(!p.empty());
    const cordon::Result<std::int64_t> id = cordon::http::PathId(p, "not found");
    if (id.has_value()) {
      // Leading zeros are accepted ("007" is 7): harmless, the id is the same number.
      CORDON_CHECK(*id > 0 && cordon::base::internal::AllDigits(p));
    } else {
      CORDON_CHECK(id.error().code() == cordon::StatusCode::kNotFound);
    }
  }
}

void CheckDecode(std::string_view text) {
  for (const bool plus : {false, true}) {
    const std::string out = cordon::http::PercentDecode(text, plus);
    CORDON_CHECK(out.size() <= text.size());
    if (text.find_first_of("%+") == std::string_view::npos) {
      CORDON_CHECK(out == text);
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string encoded;
  for (const char c : text.substr(0, 256)) {
    const auto b = static_cast<unsigned char>(c);
    encoded += {'%', kHex[b >> 4], kHex[b & 15]};
  }
  CORDON_CHECK(cordon::http::PercentDecode(encoded, true) == text.substr(0, 256));
}

void CheckParams(const cordon::http::Request& request) {
  const auto limit = cordon::http::IntParam(request, "limit", 50, 1, 500);
  if (limit.has_value()) {
    CORDON_CHECK(*limit >= 1 && *limit <= 500);
  } else {
    CORDON_CHECK(limit.error().code() == cordon::StatusCode::kInvalidArgument);
  }
  const auto flag = cordon::http::BoolParam(request, "incomplete", false);
  CORDON_CHECK(flag.has_value() || flag.error().code() == cordon::StatusCode::kInvalidArgument);
  CORDON_CHECK(request.HasParam("region") || request.Param("region").empty());

  const auto cursor = cordon::store::ParseScopeCursor(request.Param("after"));
  // The start ("", 0) is never written: lists format the last row's cursor, whose region_path
  // is never empty.
  if (cursor.has_value() && !cursor->region_path.empty()) {
    const auto again = cordon::store::ParseScopeCursor(cordon::store::FormatScopeCursor(*cursor));
    CORDON_CHECK(again.has_value() && again->region_path == cursor->region_path &&
                 again->id == cursor->id && cursor->id >= 0);
  } else if (!cursor.has_value()) {
    CORDON_CHECK(cursor.error().code() == cordon::StatusCode::kInvalidArgument);
  }

  const auto search = cordon::people::ParseQuery(request.Param("q"), kToday);
  if (!search.has_value()) {
    CORDON_CHECK(search.error().code() == cordon::StatusCode::kInvalidArgument);
    return;
  }
  const std::string& v = search->value;
  CORDON_CHECK(v.size() <= 200 && cordon::base::internal::IsValidUtf8(v));
  switch (search->kind) {
    case cordon::people::QueryKind::kAll:
      CORDON_CHECK(v.empty());
      break;
    case cordon::people::QueryKind::kIdNumber:
      CORDON_CHECK(v.size() == 18 && cordon::base::ParseResidentId(v, kToday).has_value());
      break;
    case cordon::people::QueryKind::kPhone:
      CORDON_CHECK(v.size() == 11 && cordon::base::internal::AllDigits(v));
      break;
    case cordon::people::QueryKind::kAddress:
    case cordon::people::QueryKind::kName:
      CORDON_CHECK(!v.empty());
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const std::size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  cordon::http::Request request;
  request.method = "GET";
  request.path = cordon::http::PercentDecode(raw_path, false);
  if (question != std::string_view::npos) {
    request.query = std::string(target.substr(question + 1));
  }
  CheckRoute("GET", raw_path);
  CheckRoute("PATCH", raw_path);
  CheckDecode(target);
  CheckParams(request);
  return 0;
}
