// HTTP routes of lead intake and the screening work list.
#pragma once

#include "http/server.h"
#include "leads/service.h"

namespace cordon::leads {

void RegisterRoutes(http::Server& server, LeadService& leads);

}  // namespace cordon::leads
