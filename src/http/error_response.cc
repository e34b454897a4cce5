#include "http/error_response.h"

#include <nlohmann/json.hpp>

namespace cordon::http {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kExpired:
      return 410;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kExpired:
      return "expired";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "internal";
}

std::string ErrorBody(const Status& status) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& d : status.details()) {
    details.push_back({{"field", d.field}, {"message", d.message}});
  }
  // An internal error's message may carry SQL or paths: the client gets a generic text and the
  // request id; the log has the rest.
  std::string message = status.code() == StatusCode::kInternal
                            ? "内部错误，请联系管理员 (internal error)"
                            : status.message();
  nlohmann::json body = {
      {"error",
       {{"code", ErrorCodeName(status.code())}, {"message", message}, {"details", details}}}};
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string ErrorBodyForHttpStatus(int http_status) {
  switch (http_status) {
    case 400:
      return ErrorBody(InvalidArgument("请求格式错误 (malformed request)"));
    case 404:
      return ErrorBody(NotFound("未找到 (not found)"));
    case 405:
      return ErrorBody({StatusCode::kInvalidArgument, "不支持的方法 (method not allowed)"});
    case 413:
      return ErrorBody({StatusCode::kResourceExhausted, "请求体过大 (request body too large)"});
    case 414:
      return ErrorBody({StatusCode::kResourceExhausted, "URI 过长 (URI too long)"});
    default:
      return ErrorBody({http_status >= 500 ? StatusCode::kInternal : StatusCode::kInvalidArgument,
                        "HTTP " + std::to_string(http_status)});
  }
}

}  // namespace cordon::http
