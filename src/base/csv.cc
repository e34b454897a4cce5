#include "base/csv.h"

#include <array>
#include <utility>

namespace cordon::base {
namespace {

constexpr std::size_t kMaxReportedErrors = 100;
constexpr std::string_view kFullWidthComma = "\xEF\xBC\x8C";  // U+FF0C
// Candidates in tie-break order: a plain comma wins a tie, the full-width one loses it.
constexpr std::array<std::string_view, 4> kDelimiters = {",", "\t", ";", kFullWidthComma};

bool IsLineBreak(char c) { return c == '\n' || c == '\r'; }

// Counts the delimiter candidates outside quotes on the first non-blank line.
std::string SniffDelimiter(std::string_view text) {
  std::array<std::size_t, kDelimiters.size()> counts{};
  std::size_t i = 0;
  while (i < text.size() && IsLineBreak(text[i])) {
    ++i;
  }
  bool quoted = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (IsLineBreak(c)) {
      break;
    } else {
      for (std::size_t k = 0; k < kDelimiters.size(); ++k) {
        if (text.substr(i).starts_with(kDelimiters[k])) {
          ++counts[k];
        }
      }
    }
  }
  std::size_t best = 0;
  for (std::size_t k = 1; k < counts.size(); ++k) {
    if (counts[k] > counts[best]) {
      best = k;
    }
  }
  return std::string(kDelimiters[best]);
}

// Trims ASCII white space, U+3000, U+00A0 and U+FEFF from both ends of a header cell.
std::string TrimHeaderCell(std::string_view s) {
  static constexpr std::array<std::string_view, 8> kSpace = {
      " ", "\t", "\r", "\n", "\xE3\x80\x80", "\xC2\xA0", "\xEF\xBB\xBF", "\v"};
  for (bool changed = true; changed && !s.empty();) {
    changed = false;
    for (std::string_view sp : kSpace) {
      if (s.starts_with(sp)) {
        s.remove_prefix(sp.size());
        changed = true;
      }
      if (s.ends_with(sp)) {
        s.remove_suffix(sp.size());
        changed = true;
      }
    }
  }
  return std::string(s);
}

// An RFC 4180 reader over UTF-8 text. It keeps going after a recoverable error (a stray quote)
// so that one upload reports every broken line at once.
class Reader {
 public:
  Reader(std::string_view text, std::string_view delimiter) : t_(text), d_(delimiter) {
    for (const char c : {'\r', '\n', '"', d_[0]}) {
      special_[static_cast<unsigned char>(c)] = true;
    }
  }

  bool AtEnd() const { return pos_ >= t_.size(); }

  // Reads one record into *fields and its starting line into *line. Returns false for a blank
  // line, which the caller skips. REQUIRES: !AtEnd().
  bool ReadRecord(std::vector<std::string>* fields, std::size_t* line) {
    fields->clear();
    *line = line_;
    const std::size_t start = pos_;
    bool any_quoted = false;
    bool field_too_long = false;
    while (true) {
      std::string field;
      any_quoted |= ReadField(&field);
      field_too_long |= field.size() > kCsvMaxFieldBytes;
      fields->push_back(std::move(field));
      if (AtDelimiter()) {
        pos_ += d_.size();
        continue;
      }
      break;
    }
    // The caps are checked once the record has been read, so that one oversized line is one
    // error and parsing goes on to report the others.
    if (field_too_long) {
      Error(*line, "字段超过 " + std::to_string(kCsvMaxFieldBytes) +
                       " 字节的上限（Excel 单元格最多 32767 字）：请检查引号是否未闭合");
    } else if (pos_ - start > kCsvMaxRecordBytes) {
      Error(*line, "本行超过 " + std::to_string(kCsvMaxRecordBytes) + " 字节的上限");
    }
    if (!AtEnd()) {
      ConsumeLineBreak();
    }
    return any_quoted || fields->size() > 1 || !fields->front().empty();
  }

  const std::vector<FieldError>& Errors() const { return errors_; }
  std::size_t ErrorCount() const { return error_count_; }
  std::size_t FirstErrorLine() const { return first_error_line_; }

 private:
  bool AtDelimiter() const {
    return pos_ < t_.size() && t_[pos_] == d_[0] && t_.compare(pos_, d_.size(), d_) == 0;
  }

  void ConsumeLineBreak() {
    if (t_[pos_] == '\r' && pos_ + 1 < t_.size() && t_[pos_ + 1] == '\n') {
      ++pos_;
    }
    ++pos_;
    ++line_;
  }

  void Error(std::size_t line, std::string what) {
    if (error_count_++ == 0) {
      first_error_line_ = line;
    }
    if (errors_.size() < kMaxReportedErrors) {
      errors_.push_back({"line " + std::to_string(line), std::move(what)});
    }
  }

  // Appends t_[from, to) to *out, counting the line breaks it contains.
  void Take(std::size_t from, std::size_t to, std::string* out) {
    for (std::size_t i = from; i < to; ++i) {
      if (t_[i] == '\n' || (t_[i] == '\r' && (i + 1 >= t_.size() || t_[i + 1] != '\n'))) {
        ++line_;
      }
    }
    out->append(t_.substr(from, to - from));
  }

  // Reads one field and leaves pos_ at the delimiter, the line break or the end. Returns whether
  // the field was quoted.
  bool ReadField(std::string* field) {
    std::size_t p = pos_;
    // Tolerate spaces before an opening quote, as some hand-edited files have them.
    while (p < t_.size() && t_[p] == ' ') {
      ++p;
    }
    if (p < t_.size() && t_[p] == '"') {
      ReadQuoted(p + 1, field);
      return true;
    }
    ReadUnquoted(field);
    return false;
  }

  void ReadUnquoted(std::string* field) {
    const std::size_t start = pos_;
    bool reported = false;
    while (pos_ < t_.size()) {
      const char c = t_[pos_];
      // Most bytes are ordinary; one table lookup per byte keeps this loop tight.
      if (!special_[static_cast<unsigned char>(c)]) {
        ++pos_;
        continue;
      }
      if (IsLineBreak(c) || AtDelimiter()) {
        break;
      }
      if (c == '"' && !reported) {
        Error(line_, "未加引号的字段中出现引号：含引号的字段须整体加引号，并把引号写成两个");
        reported = true;
      }
      ++pos_;
    }
    field->assign(t_.substr(start, pos_ - start));
  }

  void ReadQuoted(std::size_t begin, std::string* field) {
    const std::size_t open_line = line_;
    pos_ = begin;
    while (true) {
      const std::size_t q = t_.find('"', pos_);
      if (q == std::string_view::npos) {
        Take(pos_, t_.size(), field);
        pos_ = t_.size();
        Error(open_line, "引号未闭合：从这一行开始的带引号字段一直到文件末尾都没有结束引号");
        return;
      }
      Take(pos_, q, field);
      pos_ = q + 1;
      if (pos_ < t_.size() && t_[pos_] == '"') {
        field->push_back('"');
        ++pos_;
        continue;
      }
      break;
    }
    while (pos_ < t_.size() && t_[pos_] == ' ') {
      ++pos_;
    }
    if (!AtEnd() && !IsLineBreak(t_[pos_]) && !AtDelimiter()) {
      Error(line_, "结束引号后还有其他字符：引号须包住整个字段");
      std::string rest;
      ReadUnquoted(&rest);
      field->append(rest);
    }
  }

  std::string_view t_;
  std::string_view d_;
  std::array<bool, 256> special_{};  // bytes that may end an unquoted field or be an error
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::vector<FieldError> errors_;
  std::size_t error_count_ = 0;
  std::size_t first_error_line_ = 0;
};

}  // namespace

Result<CsvDocument> ParseCsv(std::string_view bytes, std::size_t max_rows) {
  CsvDocument doc;
  CORDON_ASSIGN_OR_RETURN(const std::string text, ToUtf8(bytes, &doc.encoding));
  doc.delimiter = SniffDelimiter(text);

  Reader reader(text, doc.delimiter);
  bool have_header = false;
  std::vector<std::string> fields;
  std::size_t line = 0;
  while (!reader.AtEnd()) {
    if (!reader.ReadRecord(&fields, &line)) {
      continue;
    }
    if (!have_header) {
      for (const std::string& cell : fields) {
        doc.header.push_back(TrimHeaderCell(cell));
      }
      have_header = true;
      continue;
    }
    if (doc.rows.size() == max_rows) {
      return ResourceExhausted("文件超过 " + std::to_string(max_rows) + " 行的上限，请拆分后导入");
    }
    doc.rows.push_back({line, std::move(fields)});
    fields = {};
  }
  if (reader.ErrorCount() > 0) {
    return InvalidArgument("CSV 格式错误 " + std::to_string(reader.ErrorCount()) + " 处，第 " +
                               std::to_string(reader.FirstErrorLine()) + " 行：" +
                               reader.Errors().front().message,
                           reader.Errors());
  }
  if (!have_header) {
    return InvalidArgument("文件为空：没有表头", {{"line 1", "文件为空：没有表头"}});
  }
  return doc;
}

std::string CsvCell(std::string_view value) {
  std::string cell;
  cell.reserve(value.size() + 3);
  if (!value.empty()) {
    switch (value[0]) {
      case '=':
      case '+':
      case '-':
      case '@':
      case '\t':
      case '\r':
      case '\0':
        cell.push_back('\'');
        break;
      default:
        break;
    }
  }
  cell.append(value);
  bool needs_quotes = cell.find_first_of(std::string_view(",;\t\"\r\n")) != std::string::npos ||
                      cell.find(kFullWidthComma) != std::string::npos;
  if (!needs_quotes) {
    return cell;
  }
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') {
      quoted.push_back('"');
    }
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace cordon::base
