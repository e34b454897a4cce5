#include "timeline/routes.h"

#include <nlohmann/json.hpp>

#include "base/local_time.h"
#include "http/params.h"

namespace cordon::timeline {

void RegisterRoutes(http::Server& server, TimelineService& timeline, base::UtcOffset offset) {
  server.Route(
      "GET", "/api/v1/people/{id}/timeline", http::Access::kAuthenticated,
      [&timeline, offset](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(
            std::int64_t id,
            http::PathId(ctx.path_params[0],
                         "人员不存在或不在管辖范围内 (no such person in your jurisdiction)"));
        CORDON_ASSIGN_OR_RETURN(auto entries, timeline.Of(*ctx.principal, id));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& e : entries) {
          items.push_back({{"at", http::IsoTime(e.at, offset)},
                           {"kind", e.kind},
                           {"title", e.title},
                           {"detail", e.detail},
                           {"by", e.by},
                           {"ref", e.ref}});
        }
        http::Response res = http::JsonResponse(200, nlohmann::json{{"items", items}}.dump());
        return http::Personal(res);
      });
}

}  // namespace cordon::timeline
