// HTTP routes of control measures and the disease profile.
#pragma once

#include "http/server.h"
#include "measures/service.h"

namespace cordon::measures {

void RegisterRoutes(http::Server& server, MeasureService& measures);

}  // namespace cordon::measures
