// Reading CSV files for bulk import, and writing CSV cells for export (security.md §4, G3, G4,
// E4). Pure functions, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cordon::base {

struct CsvRow {
  std::size_t line;                 // 1-based physical line where the record starts
  std::vector<std::string> fields;  // as read: not trimmed, not normalised
};

struct CsvDocument {
  std::string encoding;             // "UTF-8", "UTF-8-BOM", "GB18030", "UTF-16LE" or "UTF-16BE"
  std::string delimiter;            // ",", ";", "\t" or "，" (U+FF0C, as UTF-8)
  std::vector<std::string> header;  // cells trimmed of white space, U+3000 and U+FEFF
  std::vector<CsvRow> rows;         // data records, without the header
};

// Converts file bytes to UTF-8, detecting the encoding in this order: a BOM (UTF-8, UTF-16LE,
// UTF-16BE; the BOM is dropped), then strict UTF-8, then GB18030 (a superset of GBK and GB2312,
// which Chinese Excel writes without a BOM). Sets *encoding_out (if not null) to one of the names
// listed in CsvDocument::encoding.
// A file that is valid UTF-8 for at least four non-ASCII characters before its first bad byte
// is taken as damaged UTF-8, not tried as GB18030, which would decode it into silent mojibake.
// Errors: kInvalidArgument with one detail {"line N", what} for bytes that are invalid in the
// encoding a BOM names, for damaged UTF-8 as above, or for bytes that are neither UTF-8 nor
// GB18030 (N is the line of the first bad byte under whichever of the two decodes further);
// kInternal if iconv lacks GB18030.
Result<std::string> ToUtf8(std::string_view bytes, std::string* encoding_out);

// Parses a CSV file: ToUtf8, then the delimiter is sniffed from the header line (the most frequent
// of , ; \t ， outside quotes; ties in that order; "," when none occurs), then RFC 4180 records:
// quoted fields with doubled quotes, delimiters and line breaks inside; CRLF, LF or CR line
// ends. Blank lines (including a trailing one) are skipped. The first record is the header. A
// record whose field count differs from the header's is returned as it is; the caller reports it.
// Errors:
//   kInvalidArgument, details [{"line N", what}] (up to 100): undecodable bytes (see ToUtf8); an
//     unterminated quote (N = the line where it opened); a quote inside an unquoted field; text
//     after a closing quote; an empty file (no header).
//   kInvalidArgument as above for a field of more than kCsvMaxFieldBytes or a record of more
//     than kCsvMaxRecordBytes (N = the line where the record starts).
//   kResourceExhausted when there are more than `max_rows` data records.
// Complexity: linear in the size of the file.
Result<CsvDocument> ParseCsv(std::string_view bytes, std::size_t max_rows = 1'000'000);

// Caps on one field and one record, in bytes of UTF-8 (security.md I2). Excel holds at most
// 32,767 characters in a cell, at most 98,301 bytes of UTF-8; a longer field is almost always a
// quote left open that swallowed the rest of the file.
inline constexpr std::size_t kCsvMaxFieldBytes = 100'000;
inline constexpr std::size_t kCsvMaxRecordBytes = 1'000'000;

// One CSV cell for export, comma-delimited: a value starting with = + - @ \t \r or \0 gets a
// leading ' so that spreadsheets do not run it as a formula (CSV injection, security.md E4); a
// value containing a quote, a line break or any delimiter ParseCsv sniffs is quoted with
// doubled quotes (RFC 4180). ParseCsv reads the cell back as the value (with the ' if added).
std::string CsvCell(std::string_view value);

}  // namespace cordon::base
