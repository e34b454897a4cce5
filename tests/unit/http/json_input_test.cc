// Strict JSON request bodies and the one error body / status map (style.md section 2).
#include "http/json_input.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "http/error_response.h"

namespace cordon::http {
namespace {

using nlohmann::json;

std::string Nested(int depth) {
  std::string body;
  for (int i = 0; i < depth; ++i) {
    body += "{\"a\":";
  }
  body += "1";
  body += std::string(static_cast<std::size_t>(depth), '}');
  return body;
}

void ExpectInvalid(std::string_view body) {
  auto r = ParseJsonObject(body);
  ASSERT_FALSE(r.has_value()) << body.substr(0, 80);
  EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
}

std::map<std::string, std::string> DetailsByField(const Status& status) {
  std::map<std::string, std::string> out;
  for (const auto& d : status.details()) {
    out[d.field] = d.message;
  }
  return out;
}

TEST(JsonInputTest, RejectsEmptyMalformedAndNonObjectBodies) {
  for (std::string_view bad : {"", "{", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "nul", "{\"a\":1}x",
                               "[]", "[{\"a\":1}]", "1", "\"text\"", "null", "true"}) {
    ExpectInvalid(bad);
  }
  ExpectInvalid("{\"a\":\"\xff\"}");  // not UTF-8
}

TEST(JsonInputTest, NonObjectMessageNamesTheType) {
  auto r = ParseJsonObject("[1,2]");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("array"), std::string::npos) << r.error().message();
}

TEST(JsonInputTest, RejectsDeepNesting) {
  ExpectInvalid(Nested(40));
  ExpectInvalid(Nested(33));
  ExpectInvalid("{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}");
  EXPECT_TRUE(ParseJsonObject(Nested(32)).has_value());
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(ParseJsonObject("{\"a\":\"" + std::string(100, '{') + "\\\"[[[\"}").has_value());
}

TEST(JsonInputTest, AcceptsAnObject) {
  auto r = ParseJsonObject(R"({"name":"张三","age":30,"tags":["a"]})");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ((*r)["name"], "张三");
}

TEST(ObjectReaderTest, ReadsWellTypedFields) {
  json body = json::parse(R"({"name":"张三","age":30,"tags":["a","b"],"note":null})");
  ObjectReader in(body);
  EXPECT_EQ(in.String("name", true), "张三");
  EXPECT_EQ(in.Int("age", true, 0, 150), 30);
  EXPECT_EQ(in.StringList("tags", false, 5), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(in.String("note", false), std::nullopt);  // null reads as absent
  EXPECT_EQ(in.String("missing", false), std::nullopt);
  Status status = in.Finish();
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST(ObjectReaderTest, ReportsEveryProblemAtOnceWithItsField) {
  json body = json::parse(R"({
    "name": 5,
    "age": 200,
    "count": 1.5,
    "big": 18446744073709551615,
    "note": "0123456789ABC",
    "tags": ["a", 1],
    "extra": true
  })");
  ObjectReader in(body, "person.");
  EXPECT_EQ(in.String("name", true), std::nullopt);
  EXPECT_EQ(in.Int("age", true, 0, 150), std::nullopt);
  EXPECT_EQ(in.Int("count", true, 0, 10), std::nullopt);
  EXPECT_EQ(in.Int("big", true, 0, 1000), std::nullopt);
  EXPECT_EQ(in.String("note", true, 10), std::nullopt);
  EXPECT_EQ(in.StringList("tags", true, 5), std::nullopt);
  EXPECT_EQ(in.String("required", true), std::nullopt);
  Status status = in.Finish();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);

  auto details = DetailsByField(status);
  EXPECT_EQ(details.size(), 8u) << status.message();
  for (const char* field : {"person.name", "person.age", "person.count", "person.big",
                            "person.note", "person.tags", "person.required", "person.extra"}) {
    ASSERT_TRUE(details.contains(field)) << field << " in " << status.message();
    EXPECT_NE(status.message().find(field), std::string::npos) << field;
  }
  EXPECT_NE(details["person.name"].find("string"), std::string::npos);
  EXPECT_NE(details["person.age"].find("range"), std::string::npos);
  EXPECT_NE(details["person.count"].find("integer"), std::string::npos);
  EXPECT_NE(details["person.note"].find("long"), std::string::npos);
  EXPECT_NE(details["person.required"].find("required"), std::string::npos);
  EXPECT_NE(details["person.extra"].find("unknown"), std::string::npos);
}

TEST(ObjectReaderTest, NegativeAndBoundaryIntegers) {
  json body = json::parse(R"({"a":-1,"b":0,"c":150,"d":-9223372036854775808})");
  ObjectReader in(body);
  EXPECT_EQ(in.Int("a", true, 0, 150), std::nullopt);
  EXPECT_EQ(in.Int("b", true, 0, 150), 0);
  EXPECT_EQ(in.Int("c", true, 0, 150), 150);
  EXPECT_EQ(in.Int("d", true, INT64_MIN, 0), INT64_MIN);
  EXPECT_EQ(DetailsByField(in.Finish()).size(), 1u);
}

TEST(ObjectReaderTest, LongUnknownKeyIsCappedInTheError) {
  json body = json::object();
  body[std::string(5000, 'k')] = 1;
  ObjectReader in(body);
  Status status = in.Finish();
  ASSERT_EQ(status.details().size(), 1u);
  EXPECT_LE(status.details()[0].field.size(), 64u);
  EXPECT_LT(status.message().size(), 200u);
}

TEST(ErrorBodyTest, HasTheDocumentedShape) {
  Status status = InvalidArgument("人员信息有误 (invalid person): phone",
                                  {{"phone", "手机号格式错误"}, {"name", "必填 (required)"}});
  json body = json::parse(ErrorBody(status));
  ASSERT_TRUE(body.is_object());
  ASSERT_EQ(body.size(), 1u);
  const json& error = body.at("error");
  ASSERT_EQ(error.size(), 3u);
  EXPECT_EQ(error.at("code"), "invalid_argument");
  EXPECT_EQ(error.at("message"), status.message());
  ASSERT_TRUE(error.at("details").is_array());
  ASSERT_EQ(error.at("details").size(), 2u);
  EXPECT_EQ(error.at("details")[0], (json{{"field", "phone"}, {"message", "手机号格式错误"}}));
  EXPECT_EQ(error.at("details")[1].at("field"), "name");

  json no_details = json::parse(ErrorBody(NotFound("人员不存在")));
  EXPECT_EQ(no_details.at("error").at("details"), json::array());
  EXPECT_EQ(no_details.at("error").at("code"), "not_found");
}

TEST(ErrorBodyTest, HidesInternalMessages) {
  Status status = Internal("sqlite: disk I/O error in: SELECT id_number FROM people /var/lib/x");
  std::string text = ErrorBody(status);
  EXPECT_EQ(text.find("sqlite"), std::string::npos) << text;
  EXPECT_EQ(text.find("SELECT"), std::string::npos) << text;
  EXPECT_EQ(text.find("/var/lib"), std::string::npos) << text;
  EXPECT_EQ(json::parse(text).at("error").at("code"), "internal");
}

TEST(ErrorBodyTest, InvalidUtf8InAMessageStillGivesValidJson) {
  std::string text = ErrorBody(InvalidArgument("bad \xff byte", {{"f\xfe", "m"}}));
  EXPECT_TRUE(json::accept(text)) << text;
}

TEST(HttpStatusTest, MapsEveryCode) {
  const std::map<StatusCode, int> expected = {
      {StatusCode::kOk, 200},
      {StatusCode::kInvalidArgument, 400},
      {StatusCode::kUnauthenticated, 401},
      {StatusCode::kPermissionDenied, 403},
      {StatusCode::kNotFound, 404},
      {StatusCode::kAlreadyExists, 409},
      {StatusCode::kFailedPrecondition, 409},
      {StatusCode::kResourceExhausted, 429},
      {StatusCode::kExpired, 410},
      {StatusCode::kUnavailable, 503},
      {StatusCode::kInternal, 500},
  };
  for (const auto& [code, http] : expected) {
    EXPECT_EQ(HttpStatusFor(code), http) << ErrorCodeName(code);
  }
  EXPECT_EQ(expected.size(), static_cast<std::size_t>(StatusCode::kInternal) + 1);
}

TEST(HttpStatusTest, TransportErrorsUseTheSameBody) {
  json too_large = json::parse(ErrorBodyForHttpStatus(413));
  EXPECT_EQ(too_large.at("error").at("code"), "resource_exhausted");
  json server = json::parse(ErrorBodyForHttpStatus(502));
  EXPECT_EQ(server.at("error").at("code"), "internal");
  json not_found = json::parse(ErrorBodyForHttpStatus(404));
  EXPECT_EQ(not_found.at("error").at("code"), "not_found");
}

}  // namespace
}  // namespace cordon::http
