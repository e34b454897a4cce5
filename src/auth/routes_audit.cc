// The auditor's routes (security.md C5): the search of the audit trail, and the same search as a
// CSV file for the auditor's own records. Both are audited with the names of the filters used.
#include <chrono>
#include <nlohmann/json.hpp>
#include <string_view>

#include "auth/password.h"
#include "auth/routes.h"
#include "auth/rules.h"
#include "base/csv.h"
#include "http/json_input.h"
#include "http/params.h"

namespace cordon::auth {
namespace {

using nlohmann::json;

// An export holds at most this many rows: a wider search is narrowed by date or actor first.
constexpr std::int64_t kExportRows = 100000;

json AuditJson(const AuditRecord& r, base::UtcOffset offset) {
  return {{"id", r.id},
          {"at", http::IsoTime(r.at, offset)},
          {"actor", r.actor},
          {"role", r.role},
          {"scope", r.scope},
          {"action", r.entry.action},
          {"object_type", r.entry.object_type},
          {"object_id", r.entry.object_id},
          {"outcome", r.entry.outcome},
          {"reason", r.entry.reason},
          {"fields", r.entry.fields},
          {"request_id", r.request_id},
          {"ip", r.ip},
          {"hash", r.hash}};
}

Status RequireAuditor(const Principal& who) {
  if (!Can(who.user.role, Permission::kAuditRead)) {
    return PermissionDenied("只有审计员和管理员可以查看审计日志 (auditors and admins only)");
  }
  return Status::Ok();
}

// The filters of a search; `from` and `to` are local dates, both days included ("last week").
Result<AuditQuery> ReadFilters(const http::Request& request, base::UtcOffset offset) {
  AuditQuery q;
  q.actor = request.Param("actor");
  q.action = request.Param("action");
  q.object_type = request.Param("object_type");
  q.object_id = request.Param("object_id");
  for (const char* name : {"from", "to"}) {
    const std::string text = request.Param(name);
    if (text.empty()) {
      continue;
    }
    auto day = base::ParseDate(text);
    if (!day.has_value()) {
      return FieldInvalid(name, "应为日期 YYYY-MM-DD (a date)");
    }
    const std::int64_t midnight =
        std::chrono::duration_cast<std::chrono::seconds>(
            (std::chrono::sys_days(*day) - offset.minutes).time_since_epoch())
            .count();
    (std::string_view(name) == "from" ? q.since : q.until) =
        std::string_view(name) == "from" ? midnight : midnight + 86400;
  }
  return q;
}

// The names of the filters a search used, for its own audit row.
std::string Searched(const http::Request& request) {
  std::string searched;
  for (const char* name : {"actor", "action", "object_type", "object_id", "from", "to"}) {
    if (!request.Param(name).empty()) {
      searched += (searched.empty() ? "" : ",") + std::string(name);
    }
  }
  return searched;
}

}  // namespace

void RegisterAuditRoutes(http::Server& server, AuditLog& audit, base::UtcOffset offset) {
  server.Route(
      "GET", "/api/v1/audit", http::Access::kAuthenticated,
      [&audit, offset](http::Context& ctx) -> Result<http::Response> {
        CORDON_RETURN_IF_ERROR(RequireAuditor(*ctx.principal));
        CORDON_ASSIGN_OR_RETURN(AuditQuery q, ReadFilters(ctx.request, offset));
        CORDON_ASSIGN_OR_RETURN(q.after, http::IntParam(ctx.request, "after", 0, 0, INT64_MAX));
        // `before` pages newest first, as an auditor reads; `after` oldest first.
        CORDON_ASSIGN_OR_RETURN(q.before, http::IntParam(ctx.request, "before", 0, 0, INT64_MAX));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 500));
        q.limit = static_cast<int>(limit);
        CORDON_ASSIGN_OR_RETURN(auto records, audit.List(q));
        // Reading the audit trail is itself audited, with what was searched for.
        CORDON_RETURN_IF_ERROR(audit.Record(
            *ctx.principal, {"audit.list", "audit", "", "ok", "", Searched(ctx.request)}));
        json items = json::array();
        for (const auto& r : records) {
          items.push_back(AuditJson(r, offset));
        }
        json next = records.size() == static_cast<std::size_t>(q.limit)
                        ? json(std::to_string(records.back().id))
                        : json(nullptr);
        return http::JsonResponse(200, http::JsonText(json{{"items", items}, {"next", next}}));
      });
  // The same search, oldest first, as a CSV file (UTF-8 with a BOM, cells escaped against formula
  // injection) with each row's hash and the previous one's, so that the chain of the rows taken
  // can be checked outside; the last line says who took it and when. Its audit row holds the
  // filters used and the file's SHA-256.
  server.Route(
      "GET", "/api/v1/audit/export.csv", http::Access::kAuthenticated,
      [&audit, offset](http::Context& ctx) -> Result<http::Response> {
        CORDON_RETURN_IF_ERROR(RequireAuditor(*ctx.principal));
        CORDON_ASSIGN_OR_RETURN(AuditQuery q, ReadFilters(ctx.request, offset));
        q.limit = 500;
        std::string csv =
            "\xEF\xBB\xBF编号,时间,账号,角色,辖区,操作,对象类型,对象编号,结果,原因,字段,"
            "请求编号,来源地址,前一条哈希,哈希\r\n";
        std::int64_t rows = 0;
        for (bool more = true; more;) {
          CORDON_ASSIGN_OR_RETURN(auto records, audit.List(q));
          for (const AuditRecord& r : records) {
            for (const std::string& cell :
                 {std::to_string(r.id), http::IsoTime(r.at, offset), r.actor, r.role, r.scope,
                  r.entry.action, r.entry.object_type, r.entry.object_id, r.entry.outcome,
                  r.entry.reason, r.entry.fields, r.request_id, r.ip, r.prev_hash}) {
              csv += base::CsvCell(cell);
              csv += ',';
            }
            csv += base::CsvCell(r.hash) + "\r\n";
          }
          rows += static_cast<std::int64_t>(records.size());
          if (rows > kExportRows) {
            return InvalidArgument(
                "超过 100000 条，请缩小日期或账号范围 (over 100,000 rows: narrow the "
                "search by date or actor)");
          }
          more = records.size() == static_cast<std::size_t>(q.limit);
          if (more) {
            q.after = records.back().id;
          }
        }
        const std::string now =
            http::IsoTime(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count(),
                          offset);
        csv += base::CsvCell("# 审计日志导出：" + ctx.principal->user.username + "，" + now +
                             "，共 " + std::to_string(rows) + " 条 (audit export by " +
                             ctx.principal->user.username + ")") +
               "\r\n";
        const std::string sha = Sha256Hex(csv);
        CORDON_RETURN_IF_ERROR(audit.Record(
            *ctx.principal, {"audit.export", "audit", sha, "ok", "", Searched(ctx.request)}));
        http::Response res = http::JsonResponse(200, std::move(csv));
        res.content_type = "text/csv; charset=utf-8";
        res.headers.emplace_back("Content-Disposition", "attachment; filename=\"audit.csv\"");
        res.headers.emplace_back("X-Export-Rows", std::to_string(rows));
        return res;
      });
}

}  // namespace cordon::auth
