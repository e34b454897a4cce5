// JSON request bodies (security.md G10): ParseJsonObject, then an ObjectReader over the
// person-create schema as people/routes.cc reads it, with an array of row objects read by nested
// readers; a body that reads cleanly goes on to people::ApplyInput. Checks that:
//  - nothing throws (libFuzzer aborts on an escaped exception);
//  - an accepted body is an object no deeper than the limit, and writing it with JsonText and
//    parsing it again gives the same text;
//  - a rejection is kInvalidArgument with a message;
//  - every value a reader hands out obeys the bound it was asked for; Finish() fails when a field
//    is unknown, naming each bad field under its prefix (unknown names capped at 64 bytes);
//  - a person ApplyInput accepts is normalised: a checked resident ID, M/F, a real birth date, an
//    11-digit mobile.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/id_number.h"
#include "base/internal/utf8.h"
#include "base/local_time.h"
#include "http/json_input.h"
#include "people/rules.h"

namespace {

using namespace std::chrono_literals;

constexpr int kMaxDepth = 8;
constexpr std::chrono::year_month_day kToday{2024y, std::chrono::June, 1d};
constexpr std::string_view kKnown[] = {
    "id_type", "id_number",    "name",    "sex",         "birth_date", "phone", "address",
    "region",  "household_id", "version", "temperature", "tags",       "rows"};

int Depth(const nlohmann::json& v) {
  if (!v.is_structured()) {
    return 0;
  }
  int deepest = 0;
  for (const nlohmann::json& child : v) {
    deepest = std::max(deepest, Depth(child));
  }
  return deepest + 1;
}

void CheckPerson(const cordon::people::PersonInput& input) {
  const auto person = cordon::people::ApplyInput(input, nullptr, kToday);
  if (!person.has_value()) {
    CORDON_CHECK(person.error().code() == cordon::StatusCode::kInvalidArgument);
    return;
  }
  if (person->id_type == "resident_id") {
    const auto id = cordon::base::ParseResidentId(person->id_number, kToday);
    CORDON_CHECK(id.has_value() && id->number == person->id_number);
  }
  CORDON_CHECK(person->sex == "M" || person->sex == "F");
  CORDON_CHECK(cordon::base::ParseDate(person->birth_date).has_value());
  CORDON_CHECK(person->phone.empty() ||
               (person->phone.size() == 11 && cordon::base::internal::AllDigits(person->phone)));
}

void ReadSchema(const nlohmann::json& object, const std::string& prefix, int level) {
  cordon::http::ObjectReader in(object, prefix);
  cordon::people::PersonInput p;
  p.id_type = in.String("id_type", false, 16);
  p.id_number = in.String("id_number", level == 0, 64);
  p.name = in.String("name", false, 200);
  p.sex = in.String("sex", false, 4);
  p.birth_date = in.String("birth_date", false, 16);
  p.phone = in.String("phone", false, 32);
  p.address = in.String("address", false, 1000);
  p.region = in.String("region", false, 32);
  p.household_id = in.Int("household_id", false, 1, INT64_MAX);
  p.version = in.Int("version", false, 1, 1'000'000);
  CORDON_CHECK(!p.id_number || p.id_number->size() <= 64);
  CORDON_CHECK(!p.address || p.address->size() <= 1000);
  CORDON_CHECK(!p.household_id || *p.household_id >= 1);
  CORDON_CHECK(!p.version || (*p.version >= 1 && *p.version <= 1'000'000));
  (void)in.Number("temperature", false);
  if (auto list = in.StringList("tags", false, 5)) {
    CORDON_CHECK(list->size() <= 5);
  }
  const bool has_rows = in.Has("rows");
  if (const nlohmann::json* rows = in.Any("rows", false); rows != nullptr && level == 0) {
    CORDON_CHECK(has_rows);
    if (!rows->is_array()) {
      in.AddError(prefix + "rows", "应为数组 (must be an array)");
    } else {
      for (std::size_t i = 0; i < rows->size() && i < 50; ++i) {
        if ((*rows)[i].is_object()) {
          ReadSchema((*rows)[i], prefix + "rows[" + std::to_string(i) + "].", level + 1);
        }
      }
    }
  }
  bool unknown = false;
  for (const auto& item : object.items()) {
    unknown |= std::find(std::begin(kKnown), std::end(kKnown), item.key()) == std::end(kKnown);
  }
  const cordon::Status status = in.Finish();
  if (unknown) {
    CORDON_CHECK(!status.ok());
  }
  if (!status.ok()) {
    CORDON_CHECK(status.code() == cordon::StatusCode::kInvalidArgument);
    CORDON_CHECK(!status.details().empty());
    nlohmann::json details = nlohmann::json::array();
    for (const cordon::FieldError& e : status.details()) {
      CORDON_CHECK(e.field.starts_with(prefix) && e.field.size() <= prefix.size() + 64);
      CORDON_CHECK(!e.message.empty());
      details.push_back({{"field", e.field}, {"message", e.message}});
    }
    // An error answer is itself written with JsonText: a name cut inside a character must not
    // make it throw.
    (void)cordon::http::JsonText(details);
    return;
  }
  CheckPerson(p);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const cordon::Result<nlohmann::json> parsed = cordon::http::ParseJsonObject(body, kMaxDepth);
  if (!parsed.has_value()) {
    CORDON_CHECK(parsed.error().code() == cordon::StatusCode::kInvalidArgument);
    CORDON_CHECK(!parsed.error().message().empty());
    return 0;
  }
  CORDON_CHECK(parsed->is_object());
  CORDON_CHECK(Depth(*parsed) <= kMaxDepth);

  // Non-finite numbers ("1e999") are written as null, so compare the text after one round.
  const std::string text = cordon::http::JsonText(*parsed);
  const cordon::Result<nlohmann::json> again = cordon::http::ParseJsonObject(text, kMaxDepth);
  CORDON_CHECK(again.has_value());
  CORDON_CHECK(cordon::http::JsonText(*again) == text);

  ReadSchema(*parsed, "", 0);
  return 0;
}
