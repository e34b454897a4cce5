#include "followups/routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "base/local_time.h"
#include "base/masking.h"
#include "followups/rules.h"
#include "http/json_input.h"
#include "http/params.h"
#include "http/rate_limit.h"

namespace cordon::followups {
namespace {

using nlohmann::json;

json Person(std::int64_t id, const std::string& name, const std::string& id_number,
            const std::string& phone) {
  return {{"id", id},
          {"name", base::MaskName(name)},
          {"id_number", base::MaskIdNumber(id_number)},
          {"phone", base::MaskPhone(phone)}};
}

json FollowupJson(const Followup& f, const std::vector<int>& times) {
  json temperature = nullptr;
  if (f.temperature) {
    temperature = std::round(*f.temperature * 10) / 10;
  }
  return {{"slot", f.slot},
          {"time", !f.time.empty() ? f.time
                   : f.slot >= 1 && f.slot <= static_cast<int>(times.size())
                       ? FormatTime(times[static_cast<std::size_t>(f.slot - 1)])
                       : ""},
          {"done", true},
          {"outcome", f.outcome},
          {"temperature", temperature},
          {"symptoms", f.symptoms},
          {"by", f.recorded_by},
          {"source", f.source}};
}

json AlertJson(const Alert& a, const FollowupService& service) {
  return {{"id", a.id},
          {"kind", a.kind},
          {"measure_id", a.measure_id},
          {"person", Person(a.person_id, a.name, a.id_number, "")},
          {"region", {{"code", a.region_code}, {"name", a.region_name}}},
          {"raised_at", http::IsoTime(a.raised_at, service.offset())},
          {"detail", a.detail},
          {"escalation", EscalationFor(a.kind)},
          {"level", a.state == "open" ? LevelOf(a.kind, a.raised_at, service.Now()) : "closed"},
          {"state", a.state},
          {"closed_at",
           a.closed_at == 0 ? json(nullptr) : json(http::IsoTime(a.closed_at, service.offset()))},
          {"closed_by", a.closed_by},
          {"outcome", a.outcome}};
}

http::Response Answer(const json& body) {
  http::Response res = http::JsonResponse(200, body.dump());
  return http::Personal(res);
}

}  // namespace

void RegisterRoutes(http::Server& server, FollowupService& followups) {
  using http::Access;
  server.Route(
      "GET", "/api/v1/followups/today", Access::kAuthenticated,
      [&followups](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(auto today,
                                followups.Today(*ctx.principal, ctx.request.Param("region")));
        json times = json::array();
        for (int t : today.times) {
          times.push_back(FormatTime(t));
        }
        json items = json::array();
        for (const auto& item : today.items) {
          json slots = json::array();
          const int n = std::min(item.followups_per_day, static_cast<int>(today.times.size()));
          for (int slot = 1; slot <= n; ++slot) {
            auto it = std::find_if(item.today.begin(), item.today.end(),
                                   [&](const Followup& f) { return f.slot == slot; });
            if (it != item.today.end()) {
              slots.push_back(FollowupJson(*it, today.times));
            } else {
              slots.push_back(
                  {{"slot", slot},
                   {"time", FormatTime(today.times[static_cast<std::size_t>(slot - 1)])},
                   {"done", false},
                   {"outcome", nullptr},
                   {"temperature", nullptr},
                   {"by", ""},
                   {"source", nullptr}});
            }
          }
          json day = nullptr;
          if (auto start = base::ParseDate(item.start_date); start.has_value()) {
            if (auto t = base::ParseDate(today.date); t.has_value()) {
              day = (std::chrono::sys_days(*t) - std::chrono::sys_days(*start)).count() + 1;
            }
          }
          items.push_back(
              {{"measure_id", item.measure_id},
               {"measure", item.measure},
               {"state", item.state},
               {"day", day},
               {"person", Person(item.person_id, item.name, item.id_number, item.phone)},
               {"region", {{"code", item.region_code}, {"name", item.region_name}}},
               {"slots", slots}});
        }
        return Answer({{"date", today.date},
                       {"times", times},
                       {"items", items},
                       {"counts",
                        {{"people", today.items.size()},
                         {"due", today.due},
                         {"done", today.done},
                         {"alerts_open", today.alerts_open}}}});
      });
  server.Route(
      "POST", "/api/v1/measures/{id}/followups", Access::kAuthenticated,
      [&followups](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "管控措施不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto slot = in.Int("slot", true, 1, 24);
        auto outcome = in.String("outcome", true, 32);
        auto temperature = in.Number("temperature", false);
        auto symptoms = in.String("symptoms", false, 1000);
        auto note = in.String("note", false, 2000);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(
            auto done, followups.Record(*ctx.principal, id, static_cast<int>(*slot), *outcome,
                                        temperature, symptoms.value_or(""), note.value_or("")));
        return Answer({{"followup", FollowupJson(done.followup, {})},
                       {"alert", done.alert ? AlertJson(*done.alert, followups) : json(nullptr)}});
      });
  // 自我健康申报: a personal link for the person under the measure, shown once.
  server.Route(
      "POST", "/api/v1/measures/{id}/self-report-link", Access::kAuthenticated,
      [&followups](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "管控措施不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(std::string token, followups.IssueLink(*ctx.principal, id));
        // A fragment is never sent to a server: the token stays out of every log.
        http::Response res =
            http::JsonResponse(201, json{{"token", token}, {"path", "/self#" + token}}.dump());
        return http::Personal(res);
      });
  // The person's own page: the token travels in the body, never in a logged path or query.
  // Generous: many households share one carrier address; a token cannot be guessed anyway.
  static auto* self_limit = new http::RateLimit(1000, std::chrono::hours(1));
  server.Route(
      "POST", "/api/v1/public/followup/status", Access::kPublic,
      [&followups](http::Context& ctx) -> Result<http::Response> {
        if (!self_limit->Allow(ctx.ip)) {
          return Status(StatusCode::kResourceExhausted, "请求过于频繁，请稍后再试 (try later)");
        }
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto token = in.String("token", true, 128);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(auto view, followups.SelfStatus(*token));
        json slots = json::array();
        for (int slot = 1; slot <= view.followups_per_day; ++slot) {
          json entry = {{"slot", slot},
                        {"time", FormatTime(view.times[static_cast<std::size_t>(slot - 1)])},
                        {"done", false},
                        {"source", nullptr}};
          for (const auto& f : view.today) {
            if (f.slot == slot) {
              entry["done"] = true;
              entry["source"] = f.source;
            }
          }
          slots.push_back(std::move(entry));
        }
        http::Response res = http::JsonResponse(200, json{{"name", base::MaskName(view.name)},
                                                          {"measure", view.measure},
                                                          {"date", view.date},
                                                          {"current_slot", view.current_slot},
                                                          {"slots", slots}}
                                                         .dump());
        return http::Personal(res);
      });
  server.Route(
      "POST", "/api/v1/public/followup/report", Access::kPublic,
      [&followups](http::Context& ctx) -> Result<http::Response> {
        if (!self_limit->Allow(ctx.ip)) {
          return Status(StatusCode::kResourceExhausted, "请求过于频繁，请稍后再试 (try later)");
        }
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto token = in.String("token", true, 128);
        auto temperature = in.Number("temperature", true);
        auto symptoms = in.String("symptoms", false, 1000);
        auto note = in.String("note", false, 2000);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(auto done,
                                followups.SelfRecord(*token, temperature, symptoms.value_or(""),
                                                     note.value_or(""), ctx.ip, ctx.request_id));
        // Nothing about the alert goes back: the community calls.
        http::Response res = http::JsonResponse(
            201, json{{"slot", done.followup.slot},
                      {"time", done.followup.time},
                      {"outcome", done.followup.outcome},
                      {"message", done.alert ? "已收到，社区将尽快与您联系 (received: your "
                                               "community will call you shortly)"
                                             : "已收到，谢谢 (received, thank you)"}}
                     .dump());
        return http::Personal(res);
      });
  server.Route(
      "GET", "/api/v1/alerts", Access::kAuthenticated,
      [&followups](http::Context& ctx) -> Result<http::Response> {
        AlertQuery q;
        q.region = ctx.request.Param("region");
        if (ctx.request.HasParam("state")) {
          q.state = ctx.request.Param("state");
        }
        CORDON_ASSIGN_OR_RETURN(q.after, store::ParseScopeCursor(ctx.request.Param("after")));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 500));
        q.limit = static_cast<int>(limit);
        std::vector<std::pair<std::string, std::int64_t>> open;
        CORDON_ASSIGN_OR_RETURN(auto alerts, followups.Alerts(*ctx.principal, q, &open));
        json items = json::array();
        for (const auto& a : alerts) {
          items.push_back(AlertJson(a, followups));
        }
        json by_kind = json::object();
        std::int64_t total = 0;
        for (const auto& [kind, n] : open) {
          by_kind[kind] = n;
          total += n;
        }
        json next =
            static_cast<int>(alerts.size()) == q.limit && !alerts.empty()
                ? json(store::FormatScopeCursor({alerts.back().region_path, alerts.back().id}))
                : json(nullptr);
        return Answer({{"items", items},
                       {"next", next},
                       {"counts", {{"open", total}, {"by_kind", by_kind}}}});
      });
  server.Route("POST", "/api/v1/alerts/{id}/close", Access::kAuthenticated,
               [&followups](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "预警不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto outcome = in.String("outcome", true, 2000);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(Alert a, followups.Close(*ctx.principal, id, *outcome));
                 return Answer(AlertJson(a, followups));
               });
}

}  // namespace cordon::followups
