// HTTP routes of cases, investigation records, exposures, clusters, the epidemic curve and the
// clock (docs/design/cases-api.md). POST /cases/{id}/contacts belongs to the trace module.
#pragma once

#include "cases/service.h"
#include "http/server.h"

namespace cordon::cases {

void RegisterRoutes(http::Server& server, CaseService& cases);

}  // namespace cordon::cases
