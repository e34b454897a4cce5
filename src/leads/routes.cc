#include "leads/routes.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "base/local_time.h"
#include "base/masking.h"
#include "http/json_input.h"
#include "http/params.h"
#include "http/rate_limit.h"
#include "leads/report.h"
#include "leads/routes_push.h"
#include "leads/rules.h"

namespace cordon::leads {
namespace {

using nlohmann::json;

// A lead file may be large (100,000 rows of an assist notice are about 15 MB).
constexpr std::size_t kMaxImportBytes = std::size_t{64} << 20;

json TaskJson(const Task& t, const LeadService& service) {
  return {{"id", t.id},
          {"status", t.status},
          {"category", t.category},
          {"person",
           {{"id", t.person_id},
            {"name", base::MaskName(t.name)},
            {"id_number", base::MaskIdNumber(t.id_number)},
            {"phone", base::MaskPhone(t.phone)}}},
          {"region", {{"code", t.region_code}, {"name", t.region_name}}},
          {"unrouted", t.unrouted},
          {"sources", t.sources},
          {"lead_count", t.lead_count},
          {"created_at", http::IsoTime(t.created_at, service.offset())},
          {"due_at", http::IsoTime(t.due_at, service.offset())},
          {"overdue", t.status == "open" && t.due_at < service.Now()},
          {"level", TaskLevel(t.status, t.due_at, service.Now())},
          {"checked_at",
           t.checked_at == 0 ? json(nullptr) : json(http::IsoTime(t.checked_at, service.offset()))},
          {"checked_by", t.checked_by},
          {"check_method", t.check_method},
          {"check_note", t.check_note}};
}

json CountsJson(const TaskCounts& c) {
  return {{"open", c.open},
          {"overdue", c.overdue},
          {"unrouted", c.unrouted},
          {"by_category", c.by_category}};
}

json NodeJson(const regions::BreakdownNode& n) {
  return {{"code", n.code}, {"name", n.name}, {"level", n.level}};
}

}  // namespace

void RegisterRoutes(http::Server& server, LeadService& leads) {
  using http::Access;
  // The public form: anyone may send, nobody may read back. Ten reports an hour from one
  // address is a family arriving together; more is a script.
  static auto* self_report_limit = new http::RateLimit(10, std::chrono::hours(1));
  server.Route("POST", "/api/v1/public/self-report", Access::kPublic,
               [&leads](http::Context& ctx) -> Result<http::Response> {
                 if (!self_report_limit->Allow(ctx.ip)) {
                   return Status(
                       StatusCode::kResourceExhausted,
                       "提交过于频繁，请稍后再试 (too many reports from this address: try later)");
                 }
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 LeadService::SelfReportForm form;
                 form.name = in.String("name", false, 200).value_or("");
                 form.id_number = in.String("id_number", false, 64).value_or("");
                 form.phone = in.String("phone", false, 64).value_or("");
                 form.address = in.String("address", false, 1000).value_or("");
                 form.origin = in.String("origin", false, 1000).value_or("");
                 form.arrival_date = in.String("arrival_date", false, 16).value_or("");
                 form.risk = in.String("risk", false, 32).value_or("");
                 form.note = in.String("note", false, 2000).value_or("");
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(std::string receipt,
                                         leads.SelfReport(form, ctx.ip, ctx.request_id));
                 http::Response res = http::JsonResponse(
                     201, json{{"receipt", receipt},
                               {"message",
                                "已收到您的报备，社区将与您联系，请保持电话畅通 (received: your "
                                "community will contact you)"}}
                              .dump());
                 return http::Personal(res);
               });
  server.Route(
      "POST", "/api/v1/leads/import", Access::kAuthenticated,
      [&leads](http::Context& ctx) -> Result<http::Response> {
        std::string source = ctx.request.Param("source");
        if (source.empty()) {
          source = "assist_notice";
        }
        CORDON_ASSIGN_OR_RETURN(
            ImportReport report,
            leads.Import(*ctx.principal, source, ctx.request.Param("file_name"), ctx.request.body));
        http::Response res = http::JsonResponse(200, ReportJson(report).dump());
        return http::Personal(res);
      },
      kMaxImportBytes);
  // Rows as JSON, from another system (data_push) or typed in the browser (door_to_door, a line
  // listing of one case's contacts): the same rules, report and idempotence as a file.
  server.Route(
      "POST", "/api/v1/leads", Access::kAuthenticated,
      [&leads](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto source = in.String("source", true, 32);
        auto batch = in.String("batch", false, 200);
        const json* rows = in.Any("rows", true);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(PushCsv push, CsvOfRows(*rows));
        CORDON_ASSIGN_OR_RETURN(
            ImportReport report,
            leads.Import(*ctx.principal, *source, batch.value_or(*source + ".json"), push.csv));
        json out = ReportJson(report);
        for (auto& row : out["rows"]) {  // the index into the rows sent
          const auto line = row["line"].get<std::size_t>();
          auto it = std::lower_bound(push.first_lines.begin(), push.first_lines.end(), line);
          row["row"] = it != push.first_lines.end() && *it == line
                           ? json(it - push.first_lines.begin())
                           : json(nullptr);
        }
        http::Response res = http::JsonResponse(200, out.dump());
        return http::Personal(res);
      },
      std::size_t{8} << 20);
  server.Route(
      "GET", "/api/v1/leads/imports/{id}/report.csv", Access::kAuthenticated,
      [&leads](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "导入记录不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(ImportReport report, leads.Report(*ctx.principal, id));
        http::Response res = http::JsonResponse(200, ReportCsv(report));
        res.content_type = "text/csv; charset=utf-8";
        res.headers.emplace_back("Content-Disposition", "attachment; filename=\"import-" +
                                                            std::to_string(id) + "-report.csv\"");
        return http::Personal(res);
      });
  // 排查任务统计 per child region, for the dashboard at any level of the tree.
  server.Route("GET", "/api/v1/tasks/summary", Access::kAuthenticated,
               [&leads](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     auto summary, leads.Summarize(*ctx.principal, ctx.request.Param("region")));
                 json children = json::array();
                 for (std::size_t i = 0; i < summary.children.size(); ++i) {
                   json c = NodeJson(summary.breakdown.children[i]);
                   c.update(CountsJson(summary.children[i]));
                   children.push_back(std::move(c));
                 }
                 json own = nullptr;
                 if (summary.own.open > 0) {
                   own = NodeJson(summary.breakdown.node);
                   own.update(CountsJson(summary.own));
                 }
                 return http::JsonResponse(200, json{{"region", NodeJson(summary.breakdown.node)},
                                                     {"children", children},
                                                     {"unassigned", own},
                                                     {"totals", CountsJson(summary.totals)}}
                                                    .dump());
               });
  server.Route(
      "GET", "/api/v1/tasks", Access::kAuthenticated,
      [&leads](http::Context& ctx) -> Result<http::Response> {
        TaskQuery q;
        q.region = ctx.request.Param("region");
        if (ctx.request.HasParam("status")) {
          q.status = ctx.request.Param("status");
        }
        CORDON_ASSIGN_OR_RETURN(q.after, store::ParseScopeCursor(ctx.request.Param("after")));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 500));
        q.limit = static_cast<int>(limit);
        TaskCounts counts;
        CORDON_ASSIGN_OR_RETURN(auto tasks, leads.Tasks(*ctx.principal, q, &counts));
        json items = json::array();
        for (const auto& t : tasks) {
          items.push_back(TaskJson(t, leads));
        }
        json next =
            static_cast<int>(tasks.size()) == q.limit && !tasks.empty()
                ? json(store::FormatScopeCursor({tasks.back().region_path, tasks.back().id}))
                : json(nullptr);
        http::Response res = http::JsonResponse(200, json{{"items", items},
                                                          {"next", next},
                                                          {"counts",
                                                           {{"open", counts.open},
                                                            {"overdue", counts.overdue},
                                                            {"unrouted", counts.unrouted}}}}
                                                         .dump());
        return http::Personal(res);
      });
  server.Route("POST", "/api/v1/tasks/{id}/check", Access::kAuthenticated,
               [&leads](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "任务不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto method = in.String("method", true, 16);
                 auto note = in.String("note", false, 2000);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(
                     Task task, leads.Check(*ctx.principal, id, *method, note.value_or("")));
                 http::Response res = http::JsonResponse(200, TaskJson(task, leads).dump());
                 return http::Personal(res);
               });
}

}  // namespace cordon::leads
