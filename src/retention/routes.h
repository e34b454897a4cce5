// HTTP routes of retention: the periods, the history of runs, and "run now" (admin only).
#pragma once

#include "base/local_time.h"
#include "http/server.h"
#include "retention/service.h"

namespace cordon::retention {

void RegisterRoutes(http::Server& server, RetentionService& retention, base::UtcOffset offset,
                    int checkin_days);

}  // namespace cordon::retention
