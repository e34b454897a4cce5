// HTTP: /api/v1/session (log in, who am I, log out, password) and /api/v1/audit.
#pragma once

#include "auth/audit_log.h"
#include "auth/service.h"
#include "base/local_time.h"
#include "http/server.h"

namespace cordon::auth {

void RegisterRoutes(http::Server& server, AuthService& auth, AuditLog& audit, bool secure_cookie,
                    base::UtcOffset offset);

// /api/v1/audit: the auditor's search (security.md C5) and its CSV export (routes_audit.cc).
void RegisterAuditRoutes(http::Server& server, AuditLog& audit, base::UtcOffset offset);

}  // namespace cordon::auth
