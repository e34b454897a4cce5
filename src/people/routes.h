// HTTP: /api/v1/people — list, search, create, get, update, reveal.
#pragma once

#include "http/server.h"
#include "people/service.h"

namespace cordon::people {

void RegisterRoutes(http::Server& server, PeopleService& people);

}  // namespace cordon::people
