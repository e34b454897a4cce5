// HTTP routes of tracing: POST /api/v1/checkins, GET /api/v1/people/{id}/trajectory and
// POST /api/v1/trace/contacts (api-contract.md).
#pragma once

#include <nlohmann/json.hpp>

#include "cases/service.h"
#include "http/server.h"
#include "trace/service.h"

namespace cordon::trace {

nlohmann::json AnswerJson(const TraceAnswer& answer, base::UtcOffset offset);
void RegisterRoutes(http::Server& server, TraceService& trace);
void RegisterCaseContactsRoute(http::Server& server, TraceService& trace,
                               cases::CaseService& cases);

}  // namespace cordon::trace
