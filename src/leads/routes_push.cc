#include "leads/routes_push.h"

#include <map>
#include <vector>

#include "base/text.h"

namespace cordon::leads {
namespace {

// RFC 4180 quoting, for the CSV reader of this program: the value is kept byte for byte.
std::string Quoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  return out + "\"";
}

}  // namespace

Result<PushCsv> CsvOfRows(const nlohmann::json& rows) {
  if (!rows.is_array() || rows.empty()) {
    return FieldInvalid("rows", "应为非空数组 (a non-empty array of rows)");
  }
  if (rows.size() > kMaxPushRows) {
    return FieldInvalid("rows", "一次最多 " + std::to_string(kMaxPushRows) + " 行 (at most " +
                                    std::to_string(kMaxPushRows) + " rows at a time)");
  }
  // The columns are the union of the keys, in the order first seen.
  std::vector<std::string> columns;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string at = "rows[" + std::to_string(i) + "]";
    if (!rows[i].is_object()) {
      return FieldInvalid(at, "应为对象 (an object)");
    }
    for (const auto& [key, value] : rows[i].items()) {
      if (key.empty() || key.size() > 64 || !base::IsValidUtf8(key)) {
        return FieldInvalid(at, "列名无效 (a column name of 1 to 64 bytes of UTF-8)");
      }
      const std::string field = std::string(at).append(".").append(key);
      if (!value.is_string() && !value.is_null()) {
        return FieldInvalid(field, "应为字符串 (a string)");
      }
      if (value.is_string() && value.get_ref<const std::string&>().size() > 2000) {
        return FieldInvalid(field, "过长 (longer than 2000 bytes)");
      }
      if (index.emplace(key, columns.size()).second) {
        columns.push_back(key);
      }
    }
  }
  PushCsv out;
  std::string& csv = out.csv;
  std::size_t line = 1;
  auto count_lines = [&](std::size_t from) {
    for (std::size_t i = from; i < csv.size(); ++i) {
      line += csv[i] == '\n' ? 1 : 0;
    }
  };
  for (std::size_t c = 0; c < columns.size(); ++c) {
    csv += (c == 0 ? "" : ",") + Quoted(columns[c]);
  }
  csv += "\r\n";
  count_lines(0);
  for (const auto& row : rows) {
    out.first_lines.push_back(line);
    const std::size_t start = csv.size();
    std::vector<std::string> cells(columns.size());
    for (const auto& [key, value] : row.items()) {
      if (value.is_string()) {
        cells[index.at(key)] = value.get<std::string>();
      }
    }
    for (std::size_t c = 0; c < cells.size(); ++c) {
      csv += (c == 0 ? "" : ",") + Quoted(cells[c]);
    }
    csv += "\r\n";
    count_lines(start);
  }
  return out;
}

}  // namespace cordon::leads
