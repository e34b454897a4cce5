// Pure person-file rules: validation and normalisation of input, and reading a search string.
#include "people/rules.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "base/id_number.h"

namespace cordon::people {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::year_month_day kToday{2022y, std::chrono::April, 30d};
constexpr const char* kFemaleId = "11010519491231002X";  // GB 11643 example: F, 1949-12-31
constexpr const char* kGrid = "440106001001001";

std::string MaleId() {  // 440106 1990-01-01, sequence 001 (odd: male)
  std::string first17 = "44010619900101001";
  return first17 + base::GbCheckCharacter(first17);
}

PersonInput NewResident(std::string id_number) {
  PersonInput in;
  in.id_number = std::move(id_number);
  in.name = "张三";
  in.region = kGrid;
  return in;
}

std::set<std::string> FieldsOf(const Status& status) {
  std::set<std::string> out;
  for (const auto& d : status.details()) {
    out.insert(d.field);
  }
  return out;
}

// Expects an InvalidArgument naming exactly `fields`.
void ExpectBadFields(const Result<Person>& r, const std::set<std::string>& fields) {
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(r.error()), fields) << r.error().message();
}

TEST(ApplyInputTest, ResidentIdGivesSexAndBirthDate) {
  auto female = ApplyInput(NewResident("11010519491231002x"), nullptr, kToday);
  ASSERT_TRUE(female.has_value()) << female.error().message();
  EXPECT_EQ(female->id_type, "resident_id");
  EXPECT_EQ(female->id_number, kFemaleId);  // normalised: upper-case X
  EXPECT_EQ(female->sex, "F");
  EXPECT_EQ(female->birth_date, "1949-12-31");
  EXPECT_EQ(female->name, "张三");
  EXPECT_EQ(female->region_code, kGrid);

  auto male = ApplyInput(NewResident(MaleId()), nullptr, kToday);
  ASSERT_TRUE(male.has_value()) << male.error().message();
  EXPECT_EQ(male->sex, "M");
  EXPECT_EQ(male->birth_date, "1990-01-01");
}

TEST(ApplyInputTest, GivenSexOrBirthDateMustAgreeWithTheResidentId) {
  PersonInput in = NewResident(kFemaleId);
  in.sex = "M";
  ExpectBadFields(ApplyInput(in, nullptr, kToday), {"sex"});

  in = NewResident(kFemaleId);
  in.birth_date = "1950-01-01";
  ExpectBadFields(ApplyInput(in, nullptr, kToday), {"birth_date"});

  in.sex = "M";
  ExpectBadFields(ApplyInput(in, nullptr, kToday), {"sex", "birth_date"});

  in.sex = "F";
  in.birth_date = "1949-12-31";
  EXPECT_TRUE(ApplyInput(in, nullptr, kToday).has_value());
}

TEST(ApplyInputTest, MissingRequiredFieldsAreEachNamed) {
  ExpectBadFields(ApplyInput(PersonInput{}, nullptr, kToday),
                  {"name", "id_number", "sex", "birth_date", "region"});

  PersonInput no_region = NewResident(kFemaleId);
  no_region.region.reset();
  ExpectBadFields(ApplyInput(no_region, nullptr, kToday), {"region"});
}

TEST(ApplyInputTest, BadValuesAreEachNamed) {
  PersonInput in = NewResident("110105194912310021");  // wrong check character
  in.sex = "X";
  in.birth_date = "1949-12-31";
  in.id_type = "driving_licence";
  in.region = std::string(33, '4');
  ExpectBadFields(ApplyInput(in, nullptr, kToday), {"id_number", "sex", "id_type", "region"});
}

TEST(ApplyInputTest, BadIdNumberMessageDoesNotEchoTheNumber) {
  auto r = ApplyInput(NewResident("110105194912310021"), nullptr, kToday);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message().find("110105194912310021"), std::string::npos);
  for (const auto& d : r.error().details()) {
    EXPECT_EQ(d.message.find("110105194912310021"), std::string::npos);
  }
}

TEST(ApplyInputTest, PhoneIsNormalisedOrNamed) {
  PersonInput in = NewResident(kFemaleId);
  in.phone = "+86 138-0013-8000";
  auto ok = ApplyInput(in, nullptr, kToday);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(ok->phone, "13800138000");

  for (const char* bad : {"12345", "020-12345678", "23800138000", "1380013800a"}) {
    in.phone = bad;
    ExpectBadFields(ApplyInput(in, nullptr, kToday), {"phone"});
  }
}

TEST(ApplyInputTest, PassportNeedsSexAndBirthDate) {
  PersonInput in;
  in.id_type = "passport";
  in.id_number = "E12345678";
  in.name = "John Smith";
  in.region = kGrid;
  ExpectBadFields(ApplyInput(in, nullptr, kToday), {"sex", "birth_date"});

  in.sex = "M";
  in.birth_date = "1985-06-01";
  auto ok = ApplyInput(in, nullptr, kToday);
  ASSERT_TRUE(ok.has_value()) << ok.error().message();
  EXPECT_EQ(ok->id_type, "passport");
  EXPECT_EQ(ok->id_number, "E12345678");

  in.birth_date = "2022-05-01";  // after today
  ExpectBadFields(ApplyInput(in, nullptr, kToday), {"birth_date"});
  in.birth_date = "1985-02-29";  // not a date
  ExpectBadFields(ApplyInput(in, nullptr, kToday), {"birth_date"});
}

TEST(ApplyInputTest, UpdateWithOnlyPhoneChangesOnlyPhone) {
  PersonInput create = NewResident(kFemaleId);
  create.phone = "13800138000";
  create.address = "天河区体育西路 1 号";
  auto existing = ApplyInput(create, nullptr, kToday);
  ASSERT_TRUE(existing.has_value());
  existing->id = 42;
  existing->version = 3;

  PersonInput change;
  change.phone = "13900139000";
  auto updated = ApplyInput(change, &*existing, kToday);
  ASSERT_TRUE(updated.has_value()) << updated.error().message();
  Person expected = *existing;
  expected.phone = "13900139000";
  EXPECT_EQ(updated->phone, expected.phone);
  EXPECT_EQ(updated->id, expected.id);
  EXPECT_EQ(updated->version, expected.version);
  EXPECT_EQ(updated->id_type, expected.id_type);
  EXPECT_EQ(updated->id_number, expected.id_number);
  EXPECT_EQ(updated->name, expected.name);
  EXPECT_EQ(updated->sex, expected.sex);
  EXPECT_EQ(updated->birth_date, expected.birth_date);
  EXPECT_EQ(updated->address, expected.address);
  EXPECT_EQ(updated->region_code, expected.region_code);
  EXPECT_EQ(updated->household_id, expected.household_id);

  PersonInput clear;
  clear.phone = "  ";  // an empty phone clears it
  auto cleared = ApplyInput(clear, &*existing, kToday);
  ASSERT_TRUE(cleared.has_value());
  EXPECT_EQ(cleared->phone, "");
}

TEST(ApplyInputTest, NamesWithControlCharactersAreRejected) {
  for (const std::string& bad :
       {std::string("张三\n[FAKE] admin login ok"), std::string("张\t三"),
        std::string("张三\r\n李四"), std::string("张三\x1b[31m"), std::string("张三\x7f"),
        std::string("张\0三", 4), std::string("\xff\xfe"), std::string("   "),
        std::string(51, 'a')}) {
    PersonInput in = NewResident(kFemaleId);
    in.name = bad;
    ExpectBadFields(ApplyInput(in, nullptr, kToday), {"name"});
  }
  PersonInput in = NewResident(kFemaleId);
  in.name = "  欧阳娜娜  ";
  auto trimmed = ApplyInput(in, nullptr, kToday);
  ASSERT_TRUE(trimmed.has_value());
  EXPECT_EQ(trimmed->name, "欧阳娜娜");
  in.name = std::string(50, 'a');
  EXPECT_TRUE(ApplyInput(in, nullptr, kToday).has_value());
}

// Regression test, fixed (src/people/rules.cc HasControl): only C0 controls and DEL are refused;
// the C1 controls U+0080..U+009F (e.g. U+0085 NEL, a line break to many log viewers, and U+009B
// CSI) pass, so a name can still break a log line (security.md C4).
TEST(ApplyInputTest, NamesWithC1ControlCharactersAreRejected) {
  for (const char* bad : {"张三\u0085[FAKE] admin login ok", "张三\u009b31m"}) {
    PersonInput in = NewResident(kFemaleId);
    in.name = bad;
    ExpectBadFields(ApplyInput(in, nullptr, kToday), {"name"});
  }
}

// ---- ParseQuery ----

ParsedQuery Parsed(std::string_view q) {
  auto r = ParseQuery(q, kToday);
  EXPECT_TRUE(r.has_value()) << q << ": " << (r.has_value() ? "" : r.error().message());
  return r.has_value() ? *r : ParsedQuery{QueryKind::kAll, "<error>"};
}

void ExpectRejected(std::string_view q) {
  auto r = ParseQuery(q, kToday);
  ASSERT_FALSE(r.has_value()) << q;
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldsOf(r.error()), std::set<std::string>{"q"});
}

TEST(ParseQueryTest, WholeResidentIdIsAnIdNumberSearch) {
  ParsedQuery q = Parsed("11010519491231002x");
  EXPECT_EQ(q.kind, QueryKind::kIdNumber);
  EXPECT_EQ(q.value, kFemaleId);
  EXPECT_EQ(Parsed(" 110105 19491231 002X ").value, kFemaleId);
}

TEST(ParseQueryTest, WholeMobileIsAPhoneSearch) {
  for (const char* raw : {"+86 138 0013 8000", "13800138000", "138-0013-8000", "+8613800138000"}) {
    ParsedQuery q = Parsed(raw);
    EXPECT_EQ(q.kind, QueryKind::kPhone) << raw;
    EXPECT_EQ(q.value, "13800138000") << raw;
  }
}

TEST(ParseQueryTest, PartialNumbersAreRefused) {
  // No scanning of identifiers by prefix: a digit string must be a whole ID or phone.
  for (const char* partial : {"1380013", "110105", "11010519491231002", "138001380001", "1"}) {
    ExpectRejected(partial);
  }
  ExpectRejected("110105194912310021");  // 18 digits with a wrong check character
}

TEST(ParseQueryTest, AddressAndNameAreTold) {
  ParsedQuery address = Parsed("体育西路");
  EXPECT_EQ(address.kind, QueryKind::kAddress);
  EXPECT_EQ(address.value, "体育西路");
  EXPECT_EQ(Parsed("天河小区 3 栋").kind, QueryKind::kAddress);

  ParsedQuery name = Parsed("  张三 ");
  EXPECT_EQ(name.kind, QueryKind::kName);
  EXPECT_EQ(name.value, "张三");
}

TEST(ParseQueryTest, EmptyIsAList) {
  EXPECT_EQ(Parsed("").kind, QueryKind::kAll);
  EXPECT_EQ(Parsed(" \t ").kind, QueryKind::kAll);
}

TEST(ParseQueryTest, TooLongOrControlCharactersAreRefused) {
  ExpectRejected(std::string(300, 'a'));
  ExpectRejected("张\n三");
  ExpectRejected("张三\x01");
  ExpectRejected("\xff\xfe");
}

}  // namespace
}  // namespace cordon::people
