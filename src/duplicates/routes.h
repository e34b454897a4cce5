// HTTP: /api/v1/duplicates (疑似重复档案), merges of person files and their undo.
#pragma once

#include "base/local_time.h"
#include "duplicates/service.h"
#include "http/server.h"

namespace cordon::duplicates {

void RegisterRoutes(http::Server& server, DuplicateService& duplicates, const base::Clock& clock,
                    base::UtcOffset offset);

}  // namespace cordon::duplicates
