// HTTP routes of control measures and the disease profile.
#pragma once

#include "exports/service.h"
#include "http/server.h"
#include "measures/service.h"

namespace cordon::measures {

void RegisterRoutes(http::Server& server, MeasureService& measures,
                    exports::ExportService& exports);

}  // namespace cordon::measures
