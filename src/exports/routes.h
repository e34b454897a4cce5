// HTTP routes of exports: request, list, approve or reject, download.
#pragma once

#include "exports/service.h"
#include "http/server.h"

namespace cordon::exports {

void RegisterRoutes(http::Server& server, ExportService& exports);

// The answer carrying a file (attachment, no-store).
http::Response FileResponse(ExportFile file);

// Reads "csv" or "xlsx". Errors: kInvalidArgument on `field`.
Result<ExportFormat> ParseFormat(std::string_view text, std::string_view field);

}  // namespace cordon::exports
