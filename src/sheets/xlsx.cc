#include "sheets/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cordon::sheets {

XlsxWriter::XlsxWriter(const Sheet& sheet)
    : footer_(sheet.footer), author_(sheet.author), comments_(sheet.comments) {
  std::string pattern = (std::filesystem::temp_directory_path() / "cordon-xlsx-XXXXXX").string();
  const int fd = ::mkstemp(pattern.data());
  if (fd < 0) {
    return;  // Finish reports it
  }
  ::close(fd);
  path_ = pattern;
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  book_ = workbook_new_opt(path_.c_str(), &options);
  if (book_ == nullptr) {
    return;
  }
  sheet_ = workbook_add_worksheet(book_, sheet.name.c_str());
  lxw_format* bold = workbook_add_format(book_);
  format_set_bold(bold);
  for (std::size_t c = 0; c < sheet.header.size(); ++c) {
    const double width = c < sheet.widths.size() ? sheet.widths[c] : 14;
    worksheet_set_column(sheet_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), width,
                         nullptr);
  }
  if (!sheet.title.empty()) {
    worksheet_write_string(sheet_, row_++, 0, sheet.title.c_str(), bold);
  }
  for (std::size_t c = 0; c < sheet.header.size(); ++c) {
    worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(c), sheet.header[c].c_str(), bold);
  }
  worksheet_freeze_panes(sheet_, row_ + 1, 0);
  ++row_;
}

XlsxWriter::~XlsxWriter() {
  if (book_ != nullptr) {
    workbook_close(book_);  // an unfinished writer still frees its memory
  }
  if (!path_.empty()) {
    ::unlink(path_.c_str());
  }
}

void XlsxWriter::Row(const std::vector<std::string>& cells) {
  if (sheet_ == nullptr) {
    return;
  }
  for (std::size_t c = 0; c < cells.size(); ++c) {
    if (!cells[c].empty() && error_ == 0) {
      // Past Excel's 1,048,576 rows or 32,767 characters in a cell: say so, never drop silently.
      error_ = worksheet_write_string(sheet_, row_, static_cast<lxw_col_t>(c), cells[c].c_str(),
                                      nullptr);
    }
  }
  ++row_;
}

Result<std::string> XlsxWriter::Finish() {
  if (book_ == nullptr || sheet_ == nullptr) {
    return Internal("cannot start the spreadsheet (temporary file)");
  }
  if (error_ != 0) {
    return FailedPrecondition(std::string("表格超出 Excel 的行数或单元格长度上限，请缩小范围或导出 "
                                          "CSV (the rows do not fit in a spreadsheet: ") +
                              lxw_strerror(static_cast<lxw_error>(error_)) + ")");
  }
  ++row_;
  for (const std::string& line : footer_) {
    error_ = worksheet_write_string(sheet_, row_++, 0, line.c_str(), nullptr);
    if (error_ != 0) {
      return FailedPrecondition("表格超出 Excel 的行数上限 (too many rows for a spreadsheet)");
    }
  }
  if (!author_.empty() || !comments_.empty()) {
    lxw_doc_properties properties{};
    properties.author = author_.data();
    properties.comments = comments_.data();
    workbook_set_properties(book_, &properties);
  }
  const lxw_error error = workbook_close(book_);
  book_ = nullptr;
  if (error != LXW_NO_ERROR) {
    return Internal(std::string("cannot write the spreadsheet: ") + lxw_strerror(error));
  }
  std::ifstream in(path_, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) {
    return Internal("cannot read the spreadsheet back");
  }
  return bytes.str();
}

}  // namespace cordon::sheets
