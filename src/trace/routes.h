// HTTP routes of tracing: POST /api/v1/checkins, GET /api/v1/people/{id}/trajectory and
// POST /api/v1/trace/contacts (api-contract.md); venue review (routes_venues.cc).
#pragma once

#include <nlohmann/json.hpp>

#include "cases/service.h"
#include "http/server.h"
#include "trace/service.h"

namespace cordon::trace {

nlohmann::json AnswerJson(const TraceAnswer& answer, base::UtcOffset offset);
void RegisterRoutes(http::Server& server, TraceService& trace);
// GET /api/v1/venues, PATCH /api/v1/venues/{code}, GET /api/v1/venue-types; RegisterRoutes
// calls it.
void RegisterVenueRoutes(http::Server& server, TraceService& trace);
void RegisterCaseContactsRoute(http::Server& server, TraceService& trace,
                               cases::CaseService& cases);

}  // namespace cordon::trace
