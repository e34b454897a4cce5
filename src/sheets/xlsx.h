// Spreadsheets as officials send them (.xlsx), written by libxlsxwriter in constant-memory mode
// so that 100,000 rows cost a row's worth of memory, not the sheet's.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

struct lxw_workbook;
struct lxw_worksheet;

namespace cordon::sheets {

struct Sheet {
  std::string name;                 // the worksheet's tab (≤ 31 characters)
  std::string title;                // a first line above the header, e.g. what and when
  std::vector<std::string> header;  // bold, frozen
  std::vector<double> widths;       // in characters, per column; missing columns get 14
  // Who made the copy and when (the watermark): lines below the last row, and the workbook's
  // author and comments, which Excel shows under 文件 > 信息.
  std::vector<std::string> footer;
  std::string author;
  std::string comments;
};

// Rows go in one at a time, in order, and are flushed to a temporary file as they come; Finish
// returns the file's bytes. Every cell is a string cell: no value is ever read as a formula.
// Errors (from Finish): kFailedPrecondition past Excel's limits (1,048,576 rows, 32,767
// characters a cell).
class XlsxWriter {
 public:
  // Errors (from Finish): kInternal when the temporary file cannot be made or written.
  explicit XlsxWriter(const Sheet& sheet);
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;

  void Row(const std::vector<std::string>& cells);
  Result<std::string> Finish();

 private:
  std::string path_;
  lxw_workbook* book_ = nullptr;
  lxw_worksheet* sheet_ = nullptr;
  unsigned row_ = 0;
  int error_ = 0;  // the first lxw_error of a write
  std::vector<std::string> footer_;
  std::string author_;
  std::string comments_;
};

}  // namespace cordon::sheets
