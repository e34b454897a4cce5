#include "home_services/routes.h"

#include <nlohmann/json.hpp>

#include "base/masking.h"
#include "http/json_input.h"
#include "http/params.h"
#include "http/rate_limit.h"

namespace cordon::home_services {
namespace {

using nlohmann::json;

json Time(std::int64_t t, base::UtcOffset offset) {
  return t == 0 ? json(nullptr) : json(http::IsoTime(t, offset));
}

json ServiceJson(const Service& v, base::UtcOffset offset) {
  return {{"id", v.id},
          {"kind", v.kind},
          {"measure_id", v.measure_id},
          {"person",
           {{"id", v.person_id},
            {"name", base::MaskName(v.name)},
            {"address", base::MaskAddress(v.address)}}},
          {"region", {{"code", v.region_code}, {"name", v.region_name}}},
          {"status", v.status},
          {"detail", v.detail},
          {"advanced_cents", v.advanced_cents},
          {"repaid_cents", v.repaid_cents},
          {"created_at", Time(v.created_at, offset)},
          {"created_by", v.created_by},
          {"done_at", Time(v.done_at, offset)},
          {"done_by", v.done_by.empty() ? json(nullptr) : json(v.done_by)},
          {"outcome", v.outcome.empty() ? json(nullptr) : json(v.outcome)}};
}

// The address of a tip-off is where to go, not a person's file: the grid that must check it
// sees it whole (the list is scoped and audited). The informant's phone stays masked.
json TipJson(const TipOff& t, base::UtcOffset offset) {
  return {{"id", t.id},
          {"address", t.address},
          {"detail", t.detail},
          {"contact_phone",
           t.contact_phone.empty() ? json(nullptr) : json(base::MaskPhone(t.contact_phone))},
          {"region", {{"code", t.region_code}, {"name", t.region_name}}},
          {"unrouted", t.unrouted},
          {"status", t.status},
          {"reward_cents", t.reward_cents},
          {"created_at", Time(t.created_at, offset)},
          {"closed_at", Time(t.closed_at, offset)},
          {"closed_by", t.closed_by.empty() ? json(nullptr) : json(t.closed_by)},
          {"outcome", t.outcome.empty() ? json(nullptr) : json(t.outcome)}};
}

http::Response Answer(int status, const json& body) {
  http::Response res = http::JsonResponse(status, body.dump());
  return http::Personal(res);
}

// An amount in yuan as a string ("12.50"), read to cents; absent is 0.
std::int64_t Yuan(http::ObjectReader& in, std::string_view field) {
  auto text = in.String(field, false, 16);
  if (!text) {
    return 0;
  }
  std::int64_t cents = 0;
  if (!ParseYuan(*text, &cents)) {
    in.AddError(std::string(field),
                "金额应为元，最多两位小数，不超过 10 万 (yuan, two decimals, "
                "at most 100,000)");
  }
  return cents;
}

}  // namespace

void RegisterRoutes(http::Server& server, HomeServices& services) {
  using http::Access;
  const base::UtcOffset offset = services.offset();
  server.Route(
      "POST", "/api/v1/measures/{id}/services", Access::kAuthenticated,
      [&services, offset](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "管控措施不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto kind = in.String("kind", true, 16);
        auto detail = in.String("detail", true, 2000);
        const std::int64_t advanced = Yuan(in, "advanced");
        bool done = false;  // a round already made, recorded as done
        if (const json* d = in.Any("done", false); d != nullptr) {
          if (d->is_boolean()) {
            done = d->get<bool>();
          } else {
            in.AddError("done", "应为 true 或 false (a boolean)");
          }
        }
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(
            Service v, services.Request(*ctx.principal, id, *kind, *detail, advanced, done));
        return Answer(201, ServiceJson(v, offset));
      });
  server.Route("POST", "/api/v1/services/{id}/done", Access::kAuthenticated,
               [&services, offset](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "事项不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto outcome = in.String("outcome", true, 2000);
                 const std::int64_t repaid = Yuan(in, "repaid");
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(Service v,
                                         services.Finish(*ctx.principal, id, *outcome, repaid));
                 return Answer(200, ServiceJson(v, offset));
               });
  server.Route(
      "GET", "/api/v1/services", Access::kAuthenticated,
      [&services, offset](http::Context& ctx) -> Result<http::Response> {
        ServiceQuery q;
        q.region = ctx.request.Param("region");
        q.kind = ctx.request.Param("kind");
        if (ctx.request.HasParam("status")) {
          q.status = ctx.request.Param("status");
        }
        CORDON_ASSIGN_OR_RETURN(q.after, http::IntParam(ctx.request, "after", 0, 0, INT64_MAX));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 200));
        q.limit = static_cast<int>(limit);
        ServiceCounts counts;
        CORDON_ASSIGN_OR_RETURN(auto list, services.List(*ctx.principal, q, &counts));
        json items = json::array();
        for (const auto& v : list) {
          items.push_back(ServiceJson(v, offset));
        }
        json next = static_cast<int>(list.size()) == q.limit ? json(std::to_string(list.back().id))
                                                             : json(nullptr);
        return Answer(200, {{"items", items},
                            {"next", next},
                            {"counts",
                             {{"shopping_open", counts.shopping_open},
                              {"rubbish_open", counts.rubbish_open},
                              {"unpaid_cents", counts.unpaid_cents}}}});
      });
  // 有奖举报: anyone may send, nobody may read back.
  static auto* tip_limit = new http::RateLimit(10, std::chrono::hours(1));
  server.Route("POST", "/api/v1/public/tip-offs", Access::kPublic,
               [&services](http::Context& ctx) -> Result<http::Response> {
                 if (!tip_limit->Allow(ctx.ip)) {
                   return Status(StatusCode::kResourceExhausted,
                                 "提交过于频繁，请稍后再试 (too many reports from this address)");
                 }
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 HomeServices::TipOffForm form;
                 form.address = in.String("address", true, 1000).value_or("");
                 form.detail = in.String("detail", true, 4000).value_or("");
                 form.phone = in.String("phone", false, 64).value_or("");
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(std::string receipt,
                                         services.ReportTipOff(form, ctx.ip, ctx.request_id));
                 return Answer(201, {{"receipt", receipt},
                                     {"message",
                                      "已收到您的举报，核实属实将按规定奖励 (received: a "
                                      "verified tip-off is rewarded)"}});
               });
  server.Route("GET", "/api/v1/tip-offs", Access::kAuthenticated,
               [&services, offset](http::Context& ctx) -> Result<http::Response> {
                 std::string status =
                     ctx.request.HasParam("status") ? ctx.request.Param("status") : "open";
                 CORDON_ASSIGN_OR_RETURN(std::int64_t after,
                                         http::IntParam(ctx.request, "after", 0, 0, INT64_MAX));
                 CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                         http::IntParam(ctx.request, "limit", 50, 1, 200));
                 CORDON_ASSIGN_OR_RETURN(
                     auto list, services.TipOffs(*ctx.principal, ctx.request.Param("region"),
                                                 status, after, static_cast<int>(limit)));
                 json items = json::array();
                 for (const auto& t : list) {
                   items.push_back(TipJson(t, offset));
                 }
                 json next = static_cast<std::int64_t>(list.size()) == limit
                                 ? json(std::to_string(list.back().id))
                                 : json(nullptr);
                 return Answer(200, {{"items", items}, {"next", next}});
               });
  server.Route("POST", "/api/v1/tip-offs/{id}/close", Access::kAuthenticated,
               [&services, offset](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "举报不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto status = in.String("status", true, 16);
                 auto outcome = in.String("outcome", true, 2000);
                 const std::int64_t reward = Yuan(in, "reward");
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(
                     TipOff t, services.CloseTipOff(*ctx.principal, id, *status, *outcome, reward));
                 return Answer(200, TipJson(t, offset));
               });
}

}  // namespace cordon::home_services
