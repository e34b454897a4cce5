// ParseCsv on arbitrary bytes. Beyond "no crash, no sanitizer report", checks that:
//  - a failure is kInvalidArgument with at least one "line N" detail, or kResourceExhausted;
//  - records start on strictly increasing lines, and every cell is valid UTF-8 and within
//    kCsvMaxFieldBytes (security.md I2);
//  - writing the document back with CsvCell and parsing it again gives the same cells (with the
//    ' that CsvCell puts before formula starters).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "base/csv.h"
#include "base/internal/utf8.h"

namespace {

constexpr std::size_t kMaxRows = 5000;

std::string Expected(const std::string& v) {
  const bool injected = !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' ||
                                       v[0] == '\t' || v[0] == '\r' || v[0] == '\0');
  return injected ? "'" + v : v;
}

void AppendRecord(const std::vector<std::string>& fields, std::string* out) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) {
      out->push_back(',');
    }
    const std::string cell = cordon::base::CsvCell(fields[i]);
    // An empty unquoted cell alone on a line would be a blank line, which the reader skips.
    out->append(cell.empty() ? "\"\"" : cell);
  }
  out->append("\r\n");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const cordon::Result<cordon::base::CsvDocument> doc = cordon::base::ParseCsv(bytes, kMaxRows);
  if (!doc.has_value()) {
    const cordon::Status& status = doc.error();
    if (status.code() == cordon::StatusCode::kInvalidArgument) {
      CORDON_CHECK(!status.details().empty());
      CORDON_CHECK(status.details().front().field.starts_with("line "));
    } else {
      CORDON_CHECK(status.code() == cordon::StatusCode::kResourceExhausted ||
                   status.code() == cordon::StatusCode::kInternal);
    }
    return 0;
  }
  CORDON_CHECK(!doc->header.empty());
  CORDON_CHECK(doc->rows.size() <= kMaxRows);
  std::size_t last_line = 0;
  for (const cordon::base::CsvRow& row : doc->rows) {
    CORDON_CHECK(row.line > last_line);
    CORDON_CHECK(!row.fields.empty());
    last_line = row.line;
    for (const std::string& f : row.fields) {
      CORDON_CHECK(cordon::base::internal::IsValidUtf8(f));
      CORDON_CHECK(f.size() <= cordon::base::kCsvMaxFieldBytes);
    }
  }

  std::string written;
  AppendRecord(doc->header, &written);
  for (const cordon::base::CsvRow& row : doc->rows) {
    AppendRecord(row.fields, &written);
  }
  const cordon::Result<cordon::base::CsvDocument> again = cordon::base::ParseCsv(written, kMaxRows);
  CORDON_CHECK(again.has_value());
  CORDON_CHECK(again->encoding == "UTF-8");
  CORDON_CHECK(again->delimiter == ",");
  CORDON_CHECK(again->header.size() == doc->header.size());
  for (std::size_t i = 0; i < doc->header.size(); ++i) {
    CORDON_CHECK(again->header[i] == Expected(doc->header[i]));
  }
  CORDON_CHECK(again->rows.size() == doc->rows.size());
  for (std::size_t r = 0; r < doc->rows.size(); ++r) {
    const std::vector<std::string>& before = doc->rows[r].fields;
    const std::vector<std::string>& after = again->rows[r].fields;
    CORDON_CHECK(before.size() == after.size());
    for (std::size_t i = 0; i < before.size(); ++i) {
      CORDON_CHECK(after[i] == Expected(before[i]));
    }
  }
  return 0;
}
