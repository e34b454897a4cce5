// HTTP: home services (/api/v1/measures/{id}/services, /api/v1/services) and tip-offs
// (/api/v1/public/tip-offs, /api/v1/tip-offs).
#pragma once

#include "home_services/service.h"
#include "http/server.h"

namespace cordon::home_services {

void RegisterRoutes(http::Server& server, HomeServices& services);

}  // namespace cordon::home_services
