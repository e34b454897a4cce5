#include "exports/routes.h"

#include <nlohmann/json.hpp>

#include "http/json_input.h"
#include "http/params.h"

namespace cordon::exports {
namespace {

using nlohmann::json;

json UserJson(const ExportUser& u) {
  if (u.id == 0) {
    return nullptr;
  }
  return {{"id", u.id}, {"username", u.username}, {"display_name", u.display_name}};
}

json ExportJson(const Export& e, const auth::Principal& who, const ExportService& service) {
  const std::int64_t now = service.Now();
  std::string status = e.status;
  if (status == "ready" && now >= e.expires_at) {
    status = "expired";
  }
  auto time = [&](std::int64_t t) {
    return t == 0 ? json(nullptr) : json(http::IsoTime(t, service.offset()));
  };
  return {{"id", e.id},
          {"kind", e.kind},
          {"title", service.Title(e.kind)},
          {"format", e.format},
          {"filter", e.filter},
          {"unmasked", e.unmasked},
          {"reason", e.reason},
          {"status", status},
          {"requested_by", UserJson(e.requested_by)},
          {"requested_at", time(e.requested_at)},
          {"region", {{"code", e.region_code}, {"name", e.region_name}}},
          {"decided_by", UserJson(e.decided_by)},
          {"decided_at", time(e.decided_at)},
          {"decision_note", e.decision_note},
          {"expires_at", time(e.expires_at)},
          {"downloads", e.downloads},
          {"rows", e.rows < 0 ? json(nullptr) : json(e.rows)},
          {"sha256", e.sha256.empty() ? json(nullptr) : json(e.sha256)},
          {"can_approve", service.CanApprove(who, e)},
          {"can_download", status == "ready" && e.requested_by.id == who.user.id}};
}

constexpr const char* kNotFound = "导出记录不存在 (no such export)";

}  // namespace

Result<ExportFormat> ParseFormat(std::string_view text, std::string_view field) {
  if (text == "csv") {
    return ExportFormat::kCsv;
  }
  if (text == "xlsx") {
    return ExportFormat::kXlsx;
  }
  return FieldInvalid(std::string(field), "应为 csv 或 xlsx (csv or xlsx)");
}

http::Response FileResponse(ExportFile file) {
  http::Response res = http::JsonResponse(200, std::move(file.bytes));
  res.content_type = file.content_type;
  res.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"" + file.file_name + "\"");
  res.headers.emplace_back("X-Export-Id", std::to_string(file.record.id));
  res.headers.emplace_back("X-Export-Rows", std::to_string(file.record.rows));
  return http::Personal(res);
}

void RegisterRoutes(http::Server& server, ExportService& exports) {
  server.Route(
      "POST", "/api/v1/exports", http::Access::kAuthenticated,
      [&exports](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto kind = in.String("kind", true, 40);
        auto format = in.String("format", false, 8);
        const json* filter = in.Any("filter", false);
        auto unmasked = in.Any("unmasked", false);
        auto reason = in.String("reason", false, 2000);
        if (filter != nullptr && !filter->is_object()) {
          in.AddError("filter", "应为对象 (must be an object)");
        }
        if (unmasked != nullptr && !unmasked->is_boolean()) {
          in.AddError("unmasked", "应为 true 或 false (must be a boolean)");
        }
        CORDON_RETURN_IF_ERROR(in.Finish());
        ExportRequest request;
        request.kind = *kind;
        CORDON_ASSIGN_OR_RETURN(request.format, ParseFormat(format.value_or("xlsx"), "format"));
        request.filter = filter != nullptr ? *filter : json::object();
        request.unmasked = unmasked != nullptr && unmasked->get<bool>();
        request.reason = reason.value_or("");
        CORDON_ASSIGN_OR_RETURN(Export e, exports.Start(*ctx.principal, request));
        return http::JsonResponse(201, http::JsonText(ExportJson(e, *ctx.principal, exports)));
      });
  server.Route(
      "GET", "/api/v1/exports", http::Access::kAuthenticated,
      [&exports](http::Context& ctx) -> Result<http::Response> {
        const std::string view = ctx.request.Param("view");
        if (!view.empty() && view != "mine" && view != "approvals") {
          return FieldInvalid("view", "应为 mine 或 approvals (mine or approvals)");
        }
        CORDON_ASSIGN_OR_RETURN(auto list, exports.List(*ctx.principal, view == "approvals"));
        json items = json::array();
        std::int64_t pending = 0;
        for (const Export& e : list) {
          items.push_back(ExportJson(e, *ctx.principal, exports));
          pending += items.back()["can_approve"].get<bool>() ? 1 : 0;
        }
        return http::JsonResponse(
            200, http::JsonText(json{{"items", items}, {"counts", {{"awaiting_me", pending}}}}));
      });
  for (const bool approve : {true, false}) {
    server.Route(
        "POST", approve ? "/api/v1/exports/{id}/approve" : "/api/v1/exports/{id}/reject",
        http::Access::kAuthenticated,
        [&exports, approve](http::Context& ctx) -> Result<http::Response> {
          CORDON_ASSIGN_OR_RETURN(std::int64_t id, http::PathId(ctx.path_params[0], kNotFound));
          CORDON_ASSIGN_OR_RETURN(
              json body,
              http::ParseJsonObject(ctx.request.body.empty() ? std::string_view("{}")
                                                             : std::string_view(ctx.request.body)));
          http::ObjectReader in(body);
          auto note = in.String("note", !approve, 2000);
          CORDON_RETURN_IF_ERROR(in.Finish());
          CORDON_ASSIGN_OR_RETURN(Export e,
                                  exports.Decide(*ctx.principal, id, approve, note.value_or("")));
          return http::JsonResponse(200, http::JsonText(ExportJson(e, *ctx.principal, exports)));
        });
  }
  server.Route("GET", "/api/v1/exports/{id}/file", http::Access::kAuthenticated,
               [&exports](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                         http::PathId(ctx.path_params[0], kNotFound));
                 CORDON_ASSIGN_OR_RETURN(ExportFile file, exports.Download(*ctx.principal, id));
                 return FileResponse(std::move(file));
               });
}

}  // namespace cordon::exports
