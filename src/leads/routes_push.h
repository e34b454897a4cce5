// Leads pushed as JSON (数据推送, door-to-door entries, a line listing typed in the browser) read
// as the CSV a list would be: one set of column names and row rules for every source.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/status.h"

namespace cordon::leads {

// rows: 1 to kMaxPushRows objects whose values are strings (or null); the known column names
// (name, id_number, phone, address, origin, category, reported_at) and any other key, kept as a
// note like an extra column of a file. Errors name the field as rows[i].key.
inline constexpr std::size_t kMaxPushRows = 5000;
struct PushCsv {
  std::string csv;
  // The line on which each row's record starts: a value holding a line break makes a record
  // span lines, so the report's line numbers are mapped back to rows through this.
  std::vector<std::size_t> first_lines;
};
Result<PushCsv> CsvOfRows(const nlohmann::json& rows);

}  // namespace cordon::leads
