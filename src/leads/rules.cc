#include "leads/rules.h"

#include <array>
#include <map>
#include <optional>

#include "auth/password.h"
#include "base/id_number.h"
#include "base/local_time.h"
#include "base/phone.h"
#include "base/text.h"

namespace cordon::leads {
namespace {

struct Category {
  std::string_view code;
  std::string_view chinese;
  int rank;
};

// domain.md section 3, strongest last.
constexpr std::array<Category, 13> kCategories = {{
    {"unclassified", "待研判", 0},
    {"recovered", "治愈出院", 1},
    {"low_risk_area", "低风险区来返", 2},
    {"fever", "发热", 3},
    {"medium_risk_area", "中风险区来返", 4},
    {"secondary_contact", "次密接", 5},
    {"high_risk_area", "高风险区来返", 6},
    {"inbound", "入境", 7},
    {"pool_positive", "混管阳性", 8},
    {"close_contact", "密接", 9},
    {"suspected", "疑似", 10},
    {"asymptomatic", "无症状感染者", 11},
    {"confirmed", "确诊", 12},
}};

constexpr std::array<std::string_view, 6> kSources = {"assist_notice", "data_push",  "self_report",
                                                      "door_to_door",  "checkpoint", "tip_off"};

std::string Trim(std::string_view s) {
  // ASCII white space, U+3000 (ideographic space) and U+FEFF at either end.
  auto strip_front = [&] {
    if (!s.empty() &&
        (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
      s.remove_prefix(1);
      return true;
    }
    for (std::string_view w :
         {std::string_view("\xE3\x80\x80"), std::string_view("\xEF\xBB\xBF")}) {
      if (s.starts_with(w)) {
        s.remove_prefix(w.size());
        return true;
      }
    }
    return false;
  };
  auto strip_back = [&] {
    if (!s.empty() &&
        (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
      s.remove_suffix(1);
      return true;
    }
    if (s.ends_with("\xE3\x80\x80")) {
      s.remove_suffix(3);
      return true;
    }
    return false;
  };
  while (strip_front()) {
  }
  while (strip_back()) {
  }
  return std::string(s);
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return s;
}

// The document type of a row: empty means a resident ID, as lists are.
std::optional<std::string> DocumentType(const std::string& cell) {
  const std::string t = Lower(cell);
  if (t.empty() || cell == "身份证" || cell == "居民身份证" || t == "resident_id") {
    return "resident_id";
  }
  if (cell == "护照" || t == "passport") {
    return "passport";
  }
  if (cell == "其他" || cell == "港澳台通行证" || cell == "港澳居民来往内地通行证" ||
      cell == "台湾居民来往大陆通行证" || cell == "外国人永久居留身份证" || t == "other") {
    return "other";
  }
  return std::nullopt;
}

// A passport or permit number: 5-20 letters and digits, upper-cased (E12345678, H1234567890).
std::optional<std::string> DocumentNumber(const std::string& cell) {
  std::string out;
  for (char c : cell) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return std::nullopt;
    }
    out += c;
  }
  if (out.size() < 5 || out.size() > 20) {
    return std::nullopt;
  }
  return out;
}

const std::map<std::string, int Columns::*, std::less<>>& HeaderNames() {
  static const auto* names = new std::map<std::string, int Columns::*, std::less<>>{
      {"姓名", &Columns::name},
      {"name", &Columns::name},
      {"身份证号", &Columns::id_number},
      {"身份证号码", &Columns::id_number},
      {"证件号码", &Columns::id_number},
      {"id_number", &Columns::id_number},
      {"手机号", &Columns::phone},
      {"手机号码", &Columns::phone},
      {"联系电话", &Columns::phone},
      {"phone", &Columns::phone},
      {"现住址", &Columns::address},
      {"住址", &Columns::address},
      {"现居住地址", &Columns::address},
      {"address", &Columns::address},
      {"来源地", &Columns::origin},
      {"origin", &Columns::origin},
      {"人员类别", &Columns::category},
      {"类别", &Columns::category},
      {"category", &Columns::category},
      {"证件类型", &Columns::id_type},
      {"id_type", &Columns::id_type},
      {"性别", &Columns::sex},
      {"sex", &Columns::sex},
      {"出生日期", &Columns::birth_date},
      {"birth_date", &Columns::birth_date},
      {"报告时间", &Columns::reported_at},
      {"reported_at", &Columns::reported_at},
  };
  return *names;
}

Status RowError(std::string_view field, std::string message) {
  return FieldInvalid(std::string(field), std::move(message));
}

std::string Cell(const base::CsvRow& row, int column) {
  if (column < 0 || static_cast<std::size_t>(column) >= row.fields.size()) {
    return {};
  }
  return Trim(row.fields[static_cast<std::size_t>(column)]);
}

}  // namespace

bool IsSource(std::string_view source) {
  for (auto s : kSources) {
    if (s == source) {
      return true;
    }
  }
  return false;
}

std::optional<std::string> CategoryCode(std::string_view text) {
  std::string t = Lower(Trim(text));
  if (t.empty()) {
    return std::string("unclassified");
  }
  for (const auto& c : kCategories) {
    if (t == c.code || t == c.chinese) {
      return std::string(c.code);
    }
  }
  // Words the seeds use for the same things.
  static const auto* aliases = new std::map<std::string, std::string, std::less<>>{
      {"密切接触者", "close_contact"},
      {"次密切接触者", "secondary_contact"},
      {"密接的密接", "secondary_contact"},
      {"确诊病例", "confirmed"},
      {"无症状", "asymptomatic"},
      {"疑似病例", "suspected"},
      {"入境人员", "inbound"},
      {"高风险地区", "high_risk_area"},
      {"中风险地区", "medium_risk_area"},
      {"低风险地区", "low_risk_area"},
  };
  if (auto it = aliases->find(t); it != aliases->end()) {
    return it->second;
  }
  return std::nullopt;
}

Status GuardianOfMinor(const LeadRow& row, std::chrono::year_month_day today) {
  auto birth = base::ParseDate(row.birth_date);
  if (!birth.has_value() || base::AgeOn(*birth, today) >= 18) {
    return Status::Ok();
  }
  auto note = [&](std::initializer_list<const char*> keys) {
    for (const char* key : keys) {
      if (auto it = row.notes.find(key); it != row.notes.end() && !it->second.empty()) {
        return it->second;
      }
    }
    return std::string();
  };
  const std::string guardian = note({"监护人", "监护人姓名", "guardian"});
  const std::string phone = note({"监护人电话", "监护人手机号", "guardian_phone"});
  if (guardian.empty() || phone.empty()) {
    return FieldInvalid("guardian",
                        "未成年人新建档案需填写监护人姓名和电话（监护人、监护人电话两列） (a new "
                        "file for a minor needs a guardian's name and phone)");
  }
  if (!base::ParseMobile(phone).has_value()) {
    return FieldInvalid("guardian_phone",
                        "监护人电话不是有效的手机号 (the guardian's phone is "
                        "not a valid mobile number)");
  }
  return Status::Ok();
}

int CategoryRank(std::string_view code) {
  for (const auto& c : kCategories) {
    if (c.code == code) {
      return c.rank;
    }
  }
  return -1;
}

Result<Columns> FindColumns(const std::vector<std::string>& header) {
  Columns columns;
  const auto& names = HeaderNames();
  for (std::size_t i = 0; i < header.size(); ++i) {
    auto it = names.find(Lower(Trim(header[i])));
    if (it == names.end()) {
      continue;
    }
    int& slot = columns.*(it->second);
    if (slot >= 0) {
      return RowError("header", "列“" + header[i] + "”与第 " + std::to_string(slot + 1) +
                                    " 列重复 (a column is named twice)");
    }
    slot = static_cast<int>(i);
  }
  if (columns.id_number < 0 && (columns.name < 0 || columns.phone < 0)) {
    return RowError("header",
                    "表头缺少“身份证号”列，或“姓名”和“手机号”两列 (the header needs an ID-number "
                    "column, or both a name and a phone column)");
  }
  return columns;
}

Result<LeadRow> ReadRow(const base::CsvRow& row, const std::vector<std::string>& header,
                        const Columns& columns, std::chrono::system_clock::time_point now,
                        base::UtcOffset offset) {
  LeadRow out;
  out.line = row.line;
  bool all_empty = true;
  for (const auto& f : row.fields) {
    all_empty = all_empty && Trim(f).empty();
  }
  if (all_empty) {
    return RowError("", "空行 (empty row)");
  }
  if (row.fields.size() != header.size()) {
    return RowError("", "本行有 " + std::to_string(row.fields.size()) + " 列，表头有 " +
                            std::to_string(header.size()) +
                            " 列 (the row and the header differ in columns)");
  }
  const auto today = base::LocalDate(now, offset);
  auto id_type = DocumentType(Cell(row, columns.id_type));
  if (!id_type) {
    return RowError("id_type", "证件类型“" + Cell(row, columns.id_type) +
                                   "”无法识别，应为身份证、护照或其他 (document type: resident ID, "
                                   "passport or other)");
  }
  out.id_type = *id_type;
  if (std::string id = Cell(row, columns.id_number); !id.empty()) {
    if (out.id_type == "resident_id") {
      auto parsed = base::ParseResidentId(id, today);
      if (!parsed.has_value()) {
        return RowError("id_number", parsed.error().message());
      }
      out.id_number = parsed->number;
      out.sex = std::string(1, parsed->sex);
      out.birth_date = parsed->birth_date;
    } else {
      auto number = DocumentNumber(id);
      if (!number) {
        return RowError("id_number",
                        "证件号码应为 5-20 位字母或数字 (a document number is 5 to "
                        "20 letters or digits)");
      }
      out.id_number = *number;
    }
  } else if (out.id_type != "resident_id") {
    return RowError("id_number",
                    "填写了证件类型但没有证件号码 (a document type without its "
                    "number)");
  }
  // Other documents do not carry sex and birth date: the file's own columns give them.
  if (std::string sex = Cell(row, columns.sex); !sex.empty()) {
    const std::string s = Lower(sex);
    const std::string code = sex == "男" || s == "m" || s == "male"     ? "M"
                             : sex == "女" || s == "f" || s == "female" ? "F"
                                                                        : "";
    if (code.empty()) {
      return RowError("sex", "性别应为男或女 (sex: 男/女 or M/F)");
    }
    if (!out.sex.empty() && out.sex != code) {
      return RowError("sex", "性别与身份证号不符 (the sex does not match the ID number)");
    }
    out.sex = code;
  }
  if (std::string birth = Cell(row, columns.birth_date); !birth.empty()) {
    auto date = base::ParseDate(birth);
    if (!date.has_value() || *date > today) {
      return RowError("birth_date",
                      "出生日期应为 YYYY-MM-DD 且不晚于今天 (birth date: "
                      "YYYY-MM-DD, not in the future)");
    }
    const std::string text = base::FormatDate(*date);
    if (!out.birth_date.empty() && out.birth_date != text) {
      return RowError("birth_date",
                      "出生日期与身份证号不符 (the birth date does not match the ID number)");
    }
    out.birth_date = text;
  }
  out.name = Cell(row, columns.name);
  if (base::CodePoints(out.name) > 50) {
    return RowError("name", "姓名过长 (name longer than 50 characters)");
  }
  if (std::string phone = Cell(row, columns.phone); !phone.empty()) {
    auto parsed = base::ParseMobile(phone);
    if (!parsed.has_value()) {
      return RowError("phone", parsed.error().message());
    }
    out.phone = parsed->number;
  }
  if (out.id_number.empty() && (out.name.empty() || out.phone.empty())) {
    return RowError("id_number",
                    "缺少身份证号，且姓名或手机号不全，无法确定是谁 (no ID number, and the name "
                    "or the phone is missing: the person cannot be identified)");
  }
  out.address = Cell(row, columns.address);
  out.origin = Cell(row, columns.origin);
  if (base::CodePoints(out.address) > 200 || base::CodePoints(out.origin) > 200) {
    return RowError(base::CodePoints(out.address) > 200 ? "address" : "origin",
                    "内容过长 (longer than 200 characters)");
  }
  auto category = CategoryCode(Cell(row, columns.category));
  if (!category) {
    return RowError("category", "人员类别“" + Cell(row, columns.category) +
                                    "”无法识别，应为密接、次密接、入境、高/中/低风险区来返等 "
                                    "(unknown risk category)");
  }
  out.category = *category;
  if (std::string when = Cell(row, columns.reported_at); !when.empty()) {
    // A date alone is its local midnight. Both forms go through ParseTime, which refuses a
    // year outside system_clock's range (about 1678-2261) instead of overflowing it.
    if (auto date = base::ParseDate(when); date.has_value()) {
      when = base::FormatDate(*date) + "T00:00";
    }
    auto parsed = base::ParseTime(when, offset);
    if (!parsed.has_value()) {
      return RowError("reported_at",
                      "报告时间格式应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM "
                      "(report time must be a date or a date and time)");
    }
    const std::chrono::system_clock::time_point t = *parsed;
    if (t > now + std::chrono::hours(1)) {
      return RowError("reported_at", "报告时间在未来 (report time is in the future)");
    }
    out.reported_at =
        std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  }
  const auto& names = HeaderNames();
  for (std::size_t i = 0; i < header.size(); ++i) {
    std::string value = Trim(row.fields[i]);
    if (!value.empty() && names.find(Lower(Trim(header[i]))) == names.end()) {
      out.notes[Trim(header[i])] = value;
    }
  }
  return out;
}

std::string RowKey(std::string_view source, const LeadRow& row) {
  std::string data;
  auto put = [&](std::string_view field) {
    data += std::to_string(field.size());
    data += ':';
    data += field;
  };
  put(source);
  put(row.id_type == "resident_id" ? row.id_number : row.id_type + ":" + row.id_number);
  put(row.id_number.empty() ? row.name : "");
  put(row.id_number.empty() ? row.phone : "");
  put(row.category);
  put(row.origin);
  put(std::to_string(row.reported_at));
  return auth::Sha256Hex(data);
}

std::string BuildingOf(std::string_view address) {
  for (std::string_view mark : {"栋", "幢", "号楼"}) {
    if (auto pos = address.find(mark); pos != std::string_view::npos) {
      return std::string(address.substr(0, pos + mark.size()));
    }
  }
  if (auto pos = address.find("号"); pos != std::string_view::npos) {
    return std::string(address.substr(0, pos + std::string_view("号").size()));
  }
  return {};
}

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kAccepted:
      return "accepted";
    case Outcome::kMerged:
      return "merged";
    case Outcome::kRejected:
      return "rejected";
  }
  return "rejected";
}

std::string_view TaskLevel(std::string_view status, std::int64_t due_at, std::int64_t now) {
  if (status != "open" || now <= due_at) {
    return "grid";
  }
  constexpr std::int64_t kDay = std::int64_t{24} * 3600;
  return now - due_at >= kDay ? "street" : "community";
}

}  // namespace cordon::leads
