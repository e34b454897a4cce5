// Strict reading of JSON request bodies (security.md G10): a size and depth limit, exact types,
// and unknown fields rejected by name, so that nothing is silently applied or dropped.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace cordon::http {

// Parses a body that must be one JSON object. Errors: kInvalidArgument with the parse position.
Result<nlohmann::json> ParseJsonObject(std::string_view body, int max_depth = 32);

// Serialises an answer. Invalid UTF-8 that reached stored text is replaced, never thrown on:
// one bad row must not turn a whole page into a 500.
std::string JsonText(const nlohmann::json& value);

// Reads fields of one object, collecting every problem; Finish() reports them all at once,
// together with any field that was never asked for.
class ObjectReader {
 public:
  explicit ObjectReader(const nlohmann::json& object, std::string prefix = "")
      : object_(object), prefix_(std::move(prefix)) {}

  std::optional<std::string> String(std::string_view name, bool required,
                                    std::size_t max_len = 1000);
  std::optional<std::int64_t> Int(std::string_view name, bool required, std::int64_t min,
                                  std::int64_t max);
  // Any JSON number (integer or not); ranges are the caller's rule.
  std::optional<double> Number(std::string_view name, bool required);
  std::optional<std::vector<std::string>> StringList(std::string_view name, bool required,
                                                     std::size_t max_items);
  // Any JSON value, for a field the caller reads itself (an array of rows); nullptr when absent.
  const nlohmann::json* Any(std::string_view name, bool required) { return Get(name, required); }
  bool Has(std::string_view name) const { return object_.contains(name); }
  void AddError(std::string field, std::string message);
  Status Finish();

 private:
  const nlohmann::json* Get(std::string_view name, bool required);
  std::string Field(std::string_view name) const { return prefix_ + std::string(name); }

  const nlohmann::json& object_;
  std::string prefix_;
  std::set<std::string, std::less<>> known_;
  std::vector<FieldError> errors_;
};

}  // namespace cordon::http
