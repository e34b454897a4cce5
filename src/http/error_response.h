// The one place that maps Status codes to HTTP statuses and writes the error body
// {"error": {"code", "message", "details": [{"field", "message"}]}}.
#pragma once

#include <string>

#include "base/status.h"

namespace cordon::http {

int HttpStatusFor(StatusCode code);
std::string ErrorCodeName(StatusCode code);
std::string ErrorBody(const Status& status);
// For errors raised by the transport itself (413 body too large, 404 no route, ...).
std::string ErrorBodyForHttpStatus(int http_status);

}  // namespace cordon::http
