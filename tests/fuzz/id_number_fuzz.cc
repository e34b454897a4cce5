// The identifier parsers and masking on arbitrary input (an ID, phone or address cell as it may
// arrive from an import). Checks that:
//  - an accepted ID is 18 characters with a correct check character, and re-parsing it gives the
//    same number, sex and birth date;
//  - an accepted mobile number is 11 digits and re-parses to itself;
//  - failures are kInvalidArgument with a message;
//  - every masking function returns valid UTF-8, empty only for empty input;
//  - ParseTime / FormatIso round-trip to the second.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/id_number.h"
#include "base/internal/utf8.h"
#include "base/local_time.h"
#include "base/masking.h"
#include "base/phone.h"

namespace {

using namespace std::chrono_literals;

constexpr std::chrono::year_month_day kToday{2024y, std::chrono::June, 1d};

void CheckFailure(const cordon::Status& status) {
  CORDON_CHECK(status.code() == cordon::StatusCode::kInvalidArgument);
  CORDON_CHECK(!status.message().empty());
}

void CheckResidentId(std::string_view input) {
  const cordon::Result<cordon::base::ResidentId> id = cordon::base::ParseResidentId(input, kToday);
  if (!id.has_value()) {
    return CheckFailure(id.error());
  }
  const std::string& n = id->number;
  CORDON_CHECK(n.size() == 18);
  CORDON_CHECK(cordon::base::GbCheckCharacter(std::string_view(n).substr(0, 17)) == n[17]);
  CORDON_CHECK(id->sex == 'M' || id->sex == 'F');
  CORDON_CHECK(id->birth_date.size() == 10);
  const cordon::Result<cordon::base::ResidentId> again = cordon::base::ParseResidentId(n, kToday);
  CORDON_CHECK(again.has_value());
  CORDON_CHECK(again->number == n && again->sex == id->sex && again->birth_date == id->birth_date &&
               !again->upgraded_from_15);
  CORDON_CHECK(cordon::base::MaskIdNumber(n).substr(6, 8) == "********");
}

void CheckMobile(std::string_view input) {
  const cordon::Result<cordon::base::Mobile> m = cordon::base::ParseMobile(input);
  if (!m.has_value()) {
    return CheckFailure(m.error());
  }
  CORDON_CHECK(m->number.size() == 11 && cordon::base::internal::AllDigits(m->number));
  const cordon::Result<cordon::base::Mobile> again = cordon::base::ParseMobile(m->number);
  CORDON_CHECK(again.has_value() && again->number == m->number);
  CORDON_CHECK(cordon::base::MaskPhone(m->number).substr(3, 4) == "****");
}

void CheckMasks(std::string_view input) {
  for (const std::string& masked :
       {cordon::base::MaskIdNumber(input), cordon::base::MaskPhone(input),
        cordon::base::MaskName(input), cordon::base::MaskAddress(input)}) {
    CORDON_CHECK(cordon::base::internal::IsValidUtf8(masked));
    CORDON_CHECK(input.empty() == masked.empty());
  }
}

void CheckTime(std::string_view input) {
  const cordon::base::UtcOffset beijing;
  const auto t = cordon::base::ParseTime(input, beijing);
  if (t.has_value()) {
    const std::string text = cordon::base::FormatIso(*t, beijing);
    const auto again = cordon::base::ParseTime(text, cordon::base::UtcOffset{0min});
    CORDON_CHECK(again.has_value() && *again == std::chrono::floor<std::chrono::seconds>(*t));
  }
  const auto date = cordon::base::ParseDate(input);
  if (date.has_value()) {
    CORDON_CHECK(cordon::base::FormatDate(*date) == input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  CheckResidentId(input);
  CheckMobile(input);
  CheckMasks(input);
  CheckTime(input);
  return 0;
}
