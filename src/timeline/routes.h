// HTTP route of a person's timeline.
#pragma once

#include "http/server.h"
#include "timeline/timeline.h"

namespace cordon::timeline {

void RegisterRoutes(http::Server& server, TimelineService& timeline, base::UtcOffset offset);

}  // namespace cordon::timeline
