// HTTP: /api/v1/home-quarantine (居家隔离户) and /api/v1/households/{id}/staff (四包一).
#pragma once

#include "home_quarantine/service.h"
#include "http/server.h"

namespace cordon::home_quarantine {

void RegisterRoutes(http::Server& server, HomeQuarantineService& homes);

}  // namespace cordon::home_quarantine
