// HTTP routes of the end-of-incident purge (数据销毁).
#pragma once

#include "http/server.h"
#include "purges/service.h"

namespace cordon::purges {

void RegisterRoutes(http::Server& server, PurgeService& purges);

}  // namespace cordon::purges
