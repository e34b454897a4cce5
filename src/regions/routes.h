// HTTP: GET /api/v1/regions/{code}.
#pragma once

#include "http/server.h"
#include "regions/service.h"

namespace cordon::regions {

void RegisterRoutes(http::Server& server, RegionService& regions);

}  // namespace cordon::regions
