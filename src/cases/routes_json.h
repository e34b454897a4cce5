// The JSON of cases and what hangs on them, masked, shared by the routes of this folder.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "auth/rules.h"
#include "cases/model.h"
#include "cases/service.h"
#include "http/server.h"

namespace cordon::cases {

// Unix seconds, or null for 0 (not known, not done).
nlohmann::json TimeJson(std::int64_t unix_seconds);
nlohmann::json CaseJson(const Case& c, const CaseService& service);
nlohmann::json EntryJson(const Entry& e);
// People outside `scope` are named 已脱敏 (security.md A10).
nlohmann::json ExposureJson(const Exposure& e, const auth::PathRange& scope);
// A JSON answer carrying personal data: never cached.
http::Response Answer(int status, const nlohmann::json& body);

// The registrations of routes_chains.cc.
void RegisterChainRoutes(http::Server& server, CaseService& cases);

}  // namespace cordon::cases
