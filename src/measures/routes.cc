#include "measures/routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "base/local_time.h"
#include "base/masking.h"
#include "exports/routes.h"
#include "http/json_input.h"
#include "http/params.h"

namespace cordon::measures {
namespace {

using nlohmann::json;

json MeasureJson(const Measure& m, const MeasureService& service) {
  const auto today = service.Today();
  json day = nullptr;
  if (auto start = base::ParseDate(m.start_date); start.has_value() && IsCurrent(m.state)) {
    int index = DayIndex(*start, today);
    if (index >= 1) {
      day = index;
    }
  }
  json tests = json::array();
  for (const auto& t : m.tests) {
    tests.push_back(
        {{"day", t.day},
         {"date", t.date},
         {"result", t.result.empty() ? json(nullptr) : json(t.result)},
         {"recorded_at", t.recorded_at == 0 ? json(nullptr)
                                            : json(http::IsoTime(t.recorded_at, service.offset()))},
         {"recorded_by", t.recorded_by}});
  }
  json test_days = json::array();
  if (auto days = RequiredTestDays(m); days.has_value()) {
    test_days = *days;
  }
  json missing = json::array();
  bool ready = false;
  if (m.state == "active" || m.state == "extended") {
    if (auto found = MissingForRelease(m, today); found.has_value()) {
      missing = *found;
      ready = found->empty();
    }
  }
  json history = json::array();
  for (const auto& e : m.history) {
    history.push_back({{"at", http::IsoTime(e.at, service.offset())},
                       {"by", e.actor},
                       {"action", e.action},
                       {"from", e.from_state},
                       {"to", e.to_state},
                       {"reason", e.reason}});
  }
  return {{"id", m.id},
          {"person",
           {{"id", m.person_id},
            {"name", base::MaskName(m.person_name)},
            {"id_number", base::MaskIdNumber(m.person_id_number)},
            {"household_id", m.household_id == 0 ? json(nullptr) : json(m.household_id)}}},
          {"region", {{"code", m.region_code}, {"name", m.region_name}}},
          {"category", m.category},
          {"measure", m.measure},
          {"state", m.state},
          {"place", m.place},
          {"start_date", m.start_date},
          {"end_date", m.end_date.empty() ? json(nullptr) : json(m.end_date)},
          {"day", day},
          {"days", m.days},
          {"extended_days", m.extended_days},
          {"followups_per_day", m.followups_per_day},
          {"test_days", test_days},
          {"tests", tests},
          {"missing", missing},
          {"release_ready", ready},
          {"profile_version", m.profile_version},
          {"step", m.step},
          {"previous_id", m.previous_id == 0 ? json(nullptr) : json(m.previous_id)},
          {"history", history}};
}

http::Response Answer(int status, const json& body) {
  http::Response res = http::JsonResponse(status, body.dump());
  return http::Personal(res);
}

json TallyJson(const MeasureTally& t) {
  return {{"total", t.total},
          {"by_measure", t.by_measure},
          {"by_category", t.by_category},
          {"releases_due", t.releases_due}};
}

json NodeJson(const regions::BreakdownNode& n) {
  return {{"code", n.code}, {"name", n.name}, {"level", n.level}};
}

}  // namespace

void RegisterRoutes(http::Server& server, MeasureService& measures,
                    exports::ExportService& exports) {
  using http::Access;
  server.Route("GET", "/api/v1/profiles/current", Access::kAuthenticated,
               [&measures](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(Profile p, measures.CurrentProfile(*ctx.principal));
                 json plans = json::array();
                 for (const auto& step : p.steps) {
                   if (step.step == 1) {
                     plans.push_back({{"category", step.category}, {"steps", json::array()}});
                   }
                   plans.back()["steps"].push_back({{"measure", step.measure},
                                                    {"days", step.days},
                                                    {"test_days", step.test_days},
                                                    {"followups_per_day", step.followups_per_day}});
                 }
                 for (auto& plan : plans) {
                   for (auto& step : plan["steps"]) {
                     auto days = ParseTestDays(step["test_days"].get<std::string>(),
                                               step["days"].get<int>());
                     step["test_days"] = days.has_value() ? json(*days) : json::array();
                   }
                 }
                 return http::JsonResponse(
                     200, json{{"version", p.version}, {"name", p.name}, {"plans", plans}}.dump());
               });
  server.Route("POST", "/api/v1/people/{id}/measures", Access::kAuthenticated,
               [&measures](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "人员不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto category = in.String("category", true, 32);
                 auto start = in.String("start_date", false, 16);
                 auto place = in.String("place", false, 1000);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(
                     Measure m, measures.Create(*ctx.principal, id, *category, start.value_or(""),
                                                place.value_or("")));
                 return Answer(201, MeasureJson(m, measures));
               });
  server.Route("POST", "/api/v1/people/{id}/classify", Access::kAuthenticated,
               [&measures](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "人员不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto category = in.String("category", true, 32);
                 auto reason = in.String("reason", true, 2000);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(Measure m,
                                         measures.Classify(*ctx.principal, id, *category, *reason));
                 return Answer(200, MeasureJson(m, measures));
               });
  server.Route(
      "GET", "/api/v1/measures", Access::kAuthenticated,
      [&measures](http::Context& ctx) -> Result<http::Response> {
        MeasureQuery q;
        q.region = ctx.request.Param("region");
        if (ctx.request.HasParam("state")) {
          q.state = ctx.request.Param("state");
        }
        CORDON_ASSIGN_OR_RETURN(q.after, store::ParseScopeCursor(ctx.request.Param("after")));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 500));
        q.limit = static_cast<int>(limit);
        MeasureCounts counts;
        CORDON_ASSIGN_OR_RETURN(auto list, measures.List(*ctx.principal, q, &counts));
        json items = json::array();
        for (const auto& m : list) {
          items.push_back(MeasureJson(m, measures));
        }
        json by_measure = json::object();
        for (const auto& [measure, n] : counts.by_measure) {
          by_measure[measure] = n;
        }
        json next = static_cast<int>(list.size()) == q.limit && !list.empty()
                        ? json(store::FormatScopeCursor({list.back().region_path, list.back().id}))
                        : json(nullptr);
        return Answer(200, {{"items", items},
                            {"next", next},
                            {"counts",
                             {{"by_measure", by_measure},
                              {"releases_due", counts.releases_due},
                              {"tests_due_today", counts.tests_due_today}}}});
      });
  // 管控人员统计 per child region, for the dashboard at any level of the tree.
  server.Route("GET", "/api/v1/measures/summary", Access::kAuthenticated,
               [&measures](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     auto summary, measures.Summarize(*ctx.principal, ctx.request.Param("region")));
                 json children = json::array();
                 for (std::size_t i = 0; i < summary.children.size(); ++i) {
                   json c = NodeJson(summary.breakdown.children[i]);
                   c.update(TallyJson(summary.children[i]));
                   children.push_back(std::move(c));
                 }
                 json own = nullptr;
                 if (summary.own.total > 0) {
                   own = NodeJson(summary.breakdown.node);
                   own.update(TallyJson(summary.own));
                 }
                 return http::JsonResponse(200, json{{"region", NodeJson(summary.breakdown.node)},
                                                     {"children", children},
                                                     {"unassigned", own},
                                                     {"totals", TallyJson(summary.totals)}}
                                                    .dump());
               });
  // The list pages' export buttons: a masked list at once, through the exports service (the
  // export right, the watermark, the audit with the file's hash, the hourly limit).
  for (const char* format : {"csv", "xlsx"}) {
    server.Route("GET", std::string("/api/v1/measures/export.") + format, Access::kAuthenticated,
                 [&exports, format](http::Context& ctx) -> Result<http::Response> {
                   exports::ExportRequest request;
                   request.kind = "measures";
                   CORDON_ASSIGN_OR_RETURN(request.format, exports::ParseFormat(format, "format"));
                   request.filter = json::object();
                   if (ctx.request.HasParam("region")) {
                     request.filter["region"] = ctx.request.Param("region");
                   }
                   if (ctx.request.HasParam("state")) {
                     request.filter["state"] = ctx.request.Param("state");
                   }
                   CORDON_ASSIGN_OR_RETURN(exports::ExportFile file,
                                           exports.ExportNow(*ctx.principal, request));
                   return exports::FileResponse(std::move(file));
                 });
  }
  server.Route("GET", "/api/v1/measures/{id}", Access::kAuthenticated,
               [&measures](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id,
                     http::PathId(ctx.path_params[0], "管控措施不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(Measure m, measures.Get(*ctx.principal, id));
                 return Answer(200, MeasureJson(m, measures));
               });
  server.Route(
      "POST", "/api/v1/measures/{id}/tests", Access::kAuthenticated,
      [&measures](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "管控措施不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto day = in.Int("day", true, 1, 400);
        auto result = in.String("result", true, 16);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(
            Measure m, measures.RecordTest(*ctx.principal, id, static_cast<int>(*day), *result));
        return Answer(200, MeasureJson(m, measures));
      });
  server.Route(
      "POST", "/api/v1/measures/{id}/transition", Access::kAuthenticated,
      [&measures](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "管控措施不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto action = in.String("action", true, 16);
        auto days = in.Int("days", false, 1, 14);
        auto reason = in.String("reason", false, 2000);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(auto done, measures.Transition(*ctx.principal, id, *action,
                                                               static_cast<int>(days.value_or(0)),
                                                               reason.value_or("")));
        json out = MeasureJson(done.measure, measures);
        out["next_id"] = done.next_id == 0 ? json(nullptr) : json(done.next_id);
        return Answer(200, out);
      });
}

}  // namespace cordon::measures
