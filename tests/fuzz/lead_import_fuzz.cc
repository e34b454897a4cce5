// A lead list as LeadService::Import reads it before touching the database: ParseCsv, the
// header mapped by FindColumns, each row validated by ReadRow, then the idempotence key and the
// building used for routing. Checks that:
//  - a rejected header or row is kInvalidArgument naming a field, never a crash;
//  - an accepted row identifies a person: a valid 18-character resident ID, or a document number,
//    or a name and an 11-digit mobile; its sex is M, F or empty and its birth date a real date;
//  - a known category, text within its length limits, a report time not in the future;
//  - RowKey is a 64-character hex digest, the same for the same row; BuildingOf is a prefix of
//    the address.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/check.h"
#include "base/csv.h"
#include "base/id_number.h"
#include "base/internal/utf8.h"
#include "base/local_time.h"
#include "base/text.h"
#include "leads/rules.h"

namespace {

using namespace std::chrono_literals;

constexpr std::size_t kMaxRows = 2000;
// 2024-06-01 12:00 in Beijing.
const std::chrono::system_clock::time_point kNow =
    std::chrono::sys_days{2024y / std::chrono::June / 1d} + 4h;
constexpr std::chrono::year_month_day kToday{2024y, std::chrono::June, 1d};

void CheckRow(const cordon::leads::LeadRow& row) {
  if (row.id_type == "resident_id" && !row.id_number.empty()) {
    const auto id = cordon::base::ParseResidentId(row.id_number, kToday);
    CORDON_CHECK(id.has_value() && id->number == row.id_number);
  }
  CORDON_CHECK(!row.id_number.empty() || (!row.name.empty() && !row.phone.empty()));
  CORDON_CHECK(row.phone.empty() ||
               (row.phone.size() == 11 && cordon::base::internal::AllDigits(row.phone)));
  CORDON_CHECK(row.sex.empty() || row.sex == "M" || row.sex == "F");
  if (!row.birth_date.empty()) {
    const auto date = cordon::base::ParseDate(row.birth_date);
    CORDON_CHECK(date.has_value() && *date <= kToday);
  }
  CORDON_CHECK(cordon::base::CodePoints(row.name) <= 50);
  CORDON_CHECK(cordon::base::CodePoints(row.address) <= 200);
  CORDON_CHECK(cordon::base::CodePoints(row.origin) <= 200);
  CORDON_CHECK(cordon::leads::CategoryRank(row.category) >= 0);
  CORDON_CHECK(
      row.reported_at <=
      std::chrono::duration_cast<std::chrono::seconds>((kNow + 1h).time_since_epoch()).count());
  const std::string key = cordon::leads::RowKey("assist_notice", row);
  CORDON_CHECK(key.size() == 64 && key == cordon::leads::RowKey("assist_notice", row));
  CORDON_CHECK(row.address.starts_with(cordon::leads::BuildingOf(row.address)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto doc = cordon::base::ParseCsv(bytes, kMaxRows);
  if (!doc.has_value()) {
    return 0;  // csv_fuzz checks the reader's errors
  }
  const auto columns = cordon::leads::FindColumns(doc->header);
  if (!columns.has_value()) {
    CORDON_CHECK(columns.error().code() == cordon::StatusCode::kInvalidArgument);
    CORDON_CHECK(!columns.error().details().empty());
    return 0;
  }
  const cordon::base::UtcOffset beijing;
  for (const cordon::base::CsvRow& csv_row : doc->rows) {
    const auto row = cordon::leads::ReadRow(csv_row, doc->header, *columns, kNow, beijing);
    if (!row.has_value()) {
      CORDON_CHECK(row.error().code() == cordon::StatusCode::kInvalidArgument);
      CORDON_CHECK(!row.error().message().empty());
      continue;
    }
    CORDON_CHECK(row->line == csv_row.line);
    CheckRow(*row);
  }
  return 0;
}
