#include "timeline/routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "base/local_time.h"

namespace cordon::timeline {

void RegisterRoutes(http::Server& server, TimelineService& timeline, base::UtcOffset offset) {
  server.Route(
      "GET", "/api/v1/people/{id}/timeline", http::Access::kAuthenticated,
      [&timeline, offset](http::Context& ctx) -> Result<http::Response> {
        const std::string& text = ctx.path_params[0];
        std::int64_t id = 0;
        auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
          return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
        }
        CORDON_ASSIGN_OR_RETURN(auto entries, timeline.Of(*ctx.principal, id));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& e : entries) {
          items.push_back({{"at", base::FormatIso(std::chrono::system_clock::time_point(
                                                      std::chrono::seconds(e.at)),
                                                  offset)},
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
