// HTTP routes of follow-ups (健康随访) and alerts (预警).
#pragma once

#include "followups/service.h"
#include "http/server.h"

namespace cordon::followups {

void RegisterRoutes(http::Server& server, FollowupService& followups);

}  // namespace cordon::followups
