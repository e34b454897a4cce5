// Status and Result<T>: the only way fallible code in Cordon reports failure.
// We throw no exceptions of our own; library exceptions are caught at the adapter and turned
// into a Status there. The code -> HTTP status map lives only in http/error_response.cc.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace cordon {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // 400: the request names a bad field or value
  kNotFound,            // 404: absent, or outside the caller's jurisdiction
  kAlreadyExists,       // 409
  kFailedPrecondition,  // 409/422: the state does not allow it
  kPermissionDenied,    // 403: the role lacks the function
  kUnauthenticated,     // 401
  kResourceExhausted,   // 413 / 429
  kExpired,             // 410: existed, and its time is over (an export's download window)
  kUnavailable,         // 503
  kInternal,            // 500: a bug or a broken environment
};

// One problem with one field of the input (or one line of a file).
struct FieldError {
  std::string field;    // "phone", "rows[3].id_number", "line 17"
  std::string message;  // human readable, Chinese or English
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, std::vector<FieldError> details = {})
      : code_(code), message_(std::move(message)), details_(std::move(details)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& details() const { return details_; }
  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::vector<FieldError> details_;
};

inline Status InvalidArgument(std::string message, std::vector<FieldError> details = {}) {
  return {StatusCode::kInvalidArgument, std::move(message), std::move(details)};
}
inline Status FieldInvalid(std::string field, std::string message) {
  std::string whole = field + ": " + message;
  return {StatusCode::kInvalidArgument, std::move(whole), {{std::move(field), std::move(message)}}};
}
inline Status NotFound(std::string message) { return {StatusCode::kNotFound, std::move(message)}; }
inline Status AlreadyExists(std::string message) {
  return {StatusCode::kAlreadyExists, std::move(message)};
}
inline Status FailedPrecondition(std::string message) {
  return {StatusCode::kFailedPrecondition, std::move(message)};
}
inline Status PermissionDenied(std::string message) {
  return {StatusCode::kPermissionDenied, std::move(message)};
}
inline Status Unauthenticated(std::string message) {
  return {StatusCode::kUnauthenticated, std::move(message)};
}
inline Status ResourceExhausted(std::string message) {
  return {StatusCode::kResourceExhausted, std::move(message)};
}
inline Status Expired(std::string message) { return {StatusCode::kExpired, std::move(message)}; }
inline Status Unavailable(std::string message) {
  return {StatusCode::kUnavailable, std::move(message)};
}
inline Status Internal(std::string message) { return {StatusCode::kInternal, std::move(message)}; }

// Result<T>: a value or a non-OK Status. Member names follow std::expected so that the switch
// to it (C++23) is mechanical.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Status& error() const { return std::get<1>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  Status status() const { return has_value() ? Status::Ok() : error(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace cordon

#define CORDON_CONCAT_INNER_(a, b) a##b
#define CORDON_CONCAT_(a, b) CORDON_CONCAT_INNER_(a, b)

#define CORDON_RETURN_IF_ERROR(expr) \
  CORDON_RETURN_IF_ERROR_IMPL_(CORDON_CONCAT_(cordon_status_, __COUNTER__), expr)
#define CORDON_RETURN_IF_ERROR_IMPL_(tmp, expr) \
  do {                                          \
    ::cordon::Status tmp = (expr);              \
    if (!tmp.ok()) return tmp;                  \
  } while (false)

#define CORDON_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.has_value()) return tmp.error();           \
  lhs = std::move(tmp).value()

#define CORDON_ASSIGN_OR_RETURN(lhs, expr) \
  CORDON_ASSIGN_OR_RETURN_IMPL_(CORDON_CONCAT_(cordon_result_, __COUNTER__), lhs, expr)
