#include "people/rules.h"

#include "auth/rules.h"
#include "base/id_number.h"
#include "base/local_time.h"
#include "base/phone.h"
#include "base/text.h"

namespace cordon::people {
namespace {

std::string Trim(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything that could
// break a log line or a printed notice.
bool HasControl(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      return true;
    }
    auto next = [&](std::size_t k) {
      return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0;
    };
    if (c == 0xC2 && next(1) >= 0x80 && next(1) <= 0x9F) {
      return true;
    }
    if (c == 0xE2 && next(1) == 0x80 && (next(2) == 0xA8 || next(2) == 0xA9)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<Person> ApplyInput(const PersonInput& in, const Person* existing,
                          std::chrono::year_month_day today) {
  Person p = existing != nullptr ? *existing : Person{};
  std::vector<FieldError> errors;
  auto bad = [&](std::string field, std::string message) {
    errors.push_back({std::move(field), std::move(message)});
  };
  const bool creating = existing == nullptr;

  if (in.id_type) {
    if (*in.id_type != "resident_id" && *in.id_type != "passport" && *in.id_type != "other") {
      bad("id_type", "证件类型应为 resident_id、passport 或 other");
    } else {
      p.id_type = *in.id_type;
    }
  }
  if (in.name) {
    std::string name = Trim(*in.name);
    std::size_t n = base::CodePoints(name);
    if (name.empty() || n > 50 || HasControl(name) || !base::IsValidUtf8(name)) {
      bad("name", "姓名应为 1-50 个字符，不含控制字符 (1 to 50 characters, no control characters)");
    } else {
      p.name = std::move(name);
    }
  } else if (creating) {
    bad("name", "必填 (required)");
  }

  bool id_changed = creating || in.id_number.has_value() || in.id_type.has_value();
  std::string derived_sex;
  std::string derived_birth;
  if (in.id_number) {
    if (p.id_type == "resident_id") {
      auto id = base::ParseResidentId(*in.id_number, today);
      if (!id.has_value()) {
        bad("id_number", id.error().message());
      } else {
        p.id_number = id->number;
        derived_sex = std::string(1, id->sex);
        derived_birth = id->birth_date;
      }
    } else {
      std::string number = Trim(*in.id_number);
      if (number.empty() || number.size() > 32 || HasControl(number) ||
          !base::IsValidUtf8(number)) {
        bad("id_number", "证件号码应为 1-32 个字符 (1 to 32 characters)");
      } else {
        p.id_number = std::move(number);
      }
    }
  } else if (creating) {
    bad("id_number", "必填 (required)");
  } else if (id_changed && in.id_type && p.id_type == "resident_id") {
    auto id = base::ParseResidentId(p.id_number, today);
    if (!id.has_value()) {
      bad("id_number", id.error().message());
    }
  }

  if (in.sex) {
    if (*in.sex != "M" && *in.sex != "F") {
      bad("sex", "性别应为 M 或 F (M or F)");
    } else if (!derived_sex.empty() && *in.sex != derived_sex) {
      bad("sex", "性别与身份证号不符 (does not agree with the ID number)");
    } else {
      p.sex = *in.sex;
    }
  } else if (!derived_sex.empty()) {
    p.sex = derived_sex;
  } else if (creating) {
    bad("sex", "非居民身份证时必填 (required unless the ID is a resident ID)");
  }

  if (in.birth_date) {
    auto date = base::ParseDate(*in.birth_date);
    if (!date.has_value()) {
      bad("birth_date", date.error().message());
    } else if (*date > today) {
      bad("birth_date", "出生日期不能晚于今天 (in the future)");
    } else if (!derived_birth.empty() && *in.birth_date != derived_birth) {
      bad("birth_date", "出生日期与身份证号不符 (does not agree with the ID number)");
    } else {
      p.birth_date = *in.birth_date;
    }
  } else if (!derived_birth.empty()) {
    p.birth_date = derived_birth;
  } else if (creating) {
    bad("birth_date", "非居民身份证时必填 (required unless the ID is a resident ID)");
  }

  if (in.phone) {
    if (Trim(*in.phone).empty()) {
      p.phone.clear();
    } else if (auto m = base::ParseMobile(*in.phone); !m.has_value()) {
      bad("phone", m.error().message());
    } else {
      p.phone = m->number;
    }
  }
  if (in.address) {
    std::string address = Trim(*in.address);
    if (base::CodePoints(address) > 200 || HasControl(address) || !base::IsValidUtf8(address)) {
      bad("address", "住址最多 200 个字符，不含控制字符 (at most 200 characters)");
    } else {
      p.address = std::move(address);
    }
  }
  if (in.region) {
    if (!auth::IsRegionCode(*in.region)) {
      bad("region", "区划代码无效 (invalid region code)");
    } else {
      p.region_code = *in.region;
    }
  } else if (creating) {
    bad("region", "必填：所属网格代码 (required: the grid's code)");
  }
  if (in.household_id) {
    p.household_id = *in.household_id;
  }

  if (!errors.empty()) {
    std::string message = "人员信息有误 (invalid person): ";
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (i > 0) {
        message += ", ";
      }
      message += errors[i].field;
    }
    return InvalidArgument(std::move(message), std::move(errors));
  }
  return p;
}

Result<ParsedQuery> ParseQuery(std::string_view raw, std::chrono::year_month_day today) {
  std::string q = Trim(raw);
  if (q.size() > 200) {
    return FieldInvalid("q", "查询过长 (query too long)");
  }
  if (!base::IsValidUtf8(q) || HasControl(q)) {
    return FieldInvalid("q", "查询含无效字符 (invalid characters)");
  }
  if (q.empty()) {
    return ParsedQuery{QueryKind::kAll, ""};
  }
  // A digit string is an identifier: it must be whole and valid, never a prefix (no scanning
  // of identifiers by partial numbers).
  bool digits = true;
  for (char c : q) {
    if (!((c >= '0' && c <= '9') || c == 'x' || c == 'X' || c == ' ' || c == '-' || c == '+')) {
      digits = false;
    }
  }
  if (digits) {
    if (auto id = base::ParseResidentId(q, today); id.has_value()) {
      return ParsedQuery{QueryKind::kIdNumber, id->number};
    }
    if (auto phone = base::ParseMobile(q); phone.has_value()) {
      return ParsedQuery{QueryKind::kPhone, phone->number};
    }
    return FieldInvalid("q", "请输入完整的身份证号或手机号 (enter a whole ID number or phone)");
  }
  static constexpr std::string_view kAddressMarks[] = {"路", "街", "号", "栋",   "单元",
                                                       "室", "巷", "村", "小区", "弄"};
  for (auto mark : kAddressMarks) {
    if (q.find(mark) != std::string::npos) {
      return ParsedQuery{QueryKind::kAddress, q};
    }
  }
  return ParsedQuery{QueryKind::kName, q};
}

}  // namespace cordon::people
