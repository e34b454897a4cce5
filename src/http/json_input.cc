#include "http/json_input.h"

namespace cordon::http {
namespace {

// Nesting depth outside strings; nlohmann has no limit of its own.
int MaxDepth(std::string_view body) {
  int depth = 0;
  int max = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : body) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      max = std::max(max, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return max;
}

std::string TypeName(const nlohmann::json& v) { return v.type_name(); }

}  // namespace

std::string JsonText(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<nlohmann::json> ParseJsonObject(std::string_view body, int max_depth) {
  if (body.empty()) {
    return InvalidArgument("请求体为空，应为 JSON 对象 (empty body: a JSON object is required)");
  }
  if (MaxDepth(body) > max_depth) {
    return InvalidArgument("JSON 嵌套过深 (JSON nested deeper than " + std::to_string(max_depth) +
                           ")");
  }
  nlohmann::json value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return InvalidArgument("JSON 格式错误 (malformed JSON)");
  }
  if (!value.is_object()) {
    return InvalidArgument("请求体应为 JSON 对象 (the body must be a JSON object, not " +
                           TypeName(value) + ")");
  }
  return value;
}

const nlohmann::json* ObjectReader::Get(std::string_view name, bool required) {
  known_.emplace(name);
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) {
      AddError(Field(name), "必填 (required)");
    }
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> ObjectReader::String(std::string_view name, bool required,
                                                std::size_t max_len) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    AddError(Field(name), "应为字符串 (must be a string, not " + TypeName(*v) + ")");
    return std::nullopt;
  }
  const auto& s = v->get_ref<const std::string&>();
  if (s.size() > max_len) {
    AddError(Field(name), "过长，最多 " + std::to_string(max_len) + " 字节 (too long)");
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> ObjectReader::Int(std::string_view name, bool required,
                                              std::int64_t min, std::int64_t max) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_number_integer()) {
    AddError(Field(name), "应为整数 (must be an integer, not " + TypeName(*v) + ")");
    return std::nullopt;
  }
  std::int64_t n = v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX
                       ? INT64_MAX
                       : v->get<std::int64_t>();
  if (n < min || n > max) {
    AddError(Field(name),
             "超出范围 " + std::to_string(min) + "-" + std::to_string(max) + " (out of range)");
    return std::nullopt;
  }
  return n;
}

std::optional<double> ObjectReader::Number(std::string_view name, bool required) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_number()) {
    AddError(Field(name), "应为数字 (must be a number, not " + TypeName(*v) + ")");
    return std::nullopt;
  }
  return v->get<double>();
}

std::optional<std::vector<std::string>> ObjectReader::StringList(std::string_view name,
                                                                 bool required,
                                                                 std::size_t max_items) {
  const nlohmann::json* v = Get(name, required);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_array() || v->size() > max_items) {
    AddError(Field(name), "应为字符串数组，最多 " + std::to_string(max_items) +
                              " 项 (must be an array of strings)");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *v) {
    if (!item.is_string()) {
      AddError(Field(name), "应为字符串数组 (must be an array of strings)");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

void ObjectReader::AddError(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

Status ObjectReader::Finish() {
  for (const auto& [key, value] : object_.items()) {
    if (!known_.contains(key)) {
      // The key itself is user input: cap it so that the error cannot echo a large body.
      AddError(Field(key.substr(0, 64)), "未知字段 (unknown field)");
    }
  }
  if (errors_.empty()) {
    return Status::Ok();
  }
  std::string message = "请求字段有误 (invalid fields): ";
  for (std::size_t i = 0; i < errors_.size(); ++i) {
    if (i > 0) {
      message += ", ";
    }
    message += errors_[i].field;
  }
  return InvalidArgument(std::move(message), std::move(errors_));
}

}  // namespace cordon::http
