// Venue review (场所核实): GET /api/v1/venues, PATCH /api/v1/venues/{code} and
// GET /api/v1/venue-types.
#include <nlohmann/json.hpp>

#include "http/json_input.h"
#include "http/params.h"
#include "trace/routes.h"

namespace cordon::trace {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultPage = 50;
constexpr std::int64_t kMaxPage = 200;
constexpr std::size_t kMaxQueryBytes = 200;

json VenueJson(const VenueListed& v) {
  return {{"code", v.venue.code},
          {"name", v.venue.name},
          {"type", v.venue.type},
          {"needs_review", v.venue.needs_review},
          {"checkins", v.checkins}};
}

}  // namespace

void RegisterVenueRoutes(http::Server& server, TraceService& trace) {
  using http::Access;
  server.Route(
      "GET", "/api/v1/venues", Access::kAuthenticated,
      [&trace](http::Context& ctx) -> Result<http::Response> {
        VenueQuery q;
        CORDON_ASSIGN_OR_RETURN(q.needs_review_only,
                                http::BoolParam(ctx.request, "needs_review", true));
        q.text = ctx.request.Param("q");
        if (q.text.size() > kMaxQueryBytes) {
          return FieldInvalid("q",
                              "过长，最多 " + std::to_string(kMaxQueryBytes) + " 字节 (too long)");
        }
        CORDON_ASSIGN_OR_RETURN(q.after, http::IntParam(ctx.request, "after", 0, 0, INT64_MAX));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", kDefaultPage, 1, kMaxPage));
        q.limit = static_cast<int>(limit);
        CORDON_ASSIGN_OR_RETURN(VenuePage page, trace.ListVenues(*ctx.principal, q));
        json items = json::array();
        for (const VenueListed& v : page.items) {
          items.push_back(VenueJson(v));
        }
        json next = page.next ? json(std::to_string(*page.next)) : json(nullptr);
        return http::JsonResponse(
            200, http::JsonText(json{{"items", items},
                                     {"next", next},
                                     {"counts", {{"needs_review", page.needs_review}}}}));
      });
  server.Route("PATCH", "/api/v1/venues/{code}", Access::kAuthenticated,
               [&trace](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 VenueChange change;
                 // Bytes here; the service counts characters (at most 100).
                 change.name = in.String("name", false, 1000);
                 change.type = in.String("type", false, 64);
                 if (const json* r = in.Any("reviewed", false); r != nullptr) {
                   if (r->is_boolean()) {
                     change.reviewed = r->get<bool>();
                   } else {
                     in.AddError("reviewed", "应为 true 或 false (a boolean)");
                   }
                 }
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(
                     VenueListed v, trace.UpdateVenue(*ctx.principal, ctx.path_params[0], change));
                 return http::JsonResponse(200, http::JsonText(VenueJson(v)));
               });
  server.Route("GET", "/api/v1/venue-types", Access::kAuthenticated,
               [&trace](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(auto types, trace.VenueTypes(*ctx.principal));
                 json items = json::array();
                 for (const VenueType& t : types) {
                   items.push_back({{"type", t.type},
                                    {"window_seconds", t.rule.window_seconds},
                                    {"companion_only", t.rule.companion_only}});
                 }
                 return http::JsonResponse(200, http::JsonText(json{{"items", items}}));
               });
}

}  // namespace cordon::trace
