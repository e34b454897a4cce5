#include "people/routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "base/local_time.h"
#include "base/masking.h"
#include "http/json_input.h"
#include "http/params.h"
#include "people/routes_json.h"

namespace cordon::people {
namespace {

using nlohmann::json;

enum class NameView { kMasked, kFull };

json PersonJson(const Person& p, NameView name_view, const PeopleService& service) {
  return people::PersonJson(p, service.Today(), service.offset(), name_view == NameView::kFull);
}

Result<int> Limit(const std::string& text) {
  if (text.empty()) {
    return 50;
  }
  int n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || ptr != text.data() + text.size() || n < 1 || n > 200) {
    return FieldInvalid("limit", "应为 1-200 的整数 (an integer from 1 to 200)");
  }
  return n;
}

http::Response PageResponse(const std::vector<Person>& items, int limit,
                            const PeopleService& service) {
  json list = json::array();
  for (const auto& p : items) {
    list.push_back(PersonJson(p, NameView::kMasked, service));
  }
  json next = static_cast<int>(items.size()) == limit
                  ? json(store::FormatScopeCursor({items.back().region_path, items.back().id}))
                  : json(nullptr);
  http::Response r = http::JsonResponse(200, http::JsonText(json{{"items", list}, {"next", next}}));
  return http::Personal(r);
}

Result<PersonInput> ReadInput(const std::string& body, bool creating) {
  CORDON_ASSIGN_OR_RETURN(json object, http::ParseJsonObject(body));
  http::ObjectReader in(object);
  PersonInput p;
  p.id_type = in.String("id_type", false, 16);
  p.id_number = in.String("id_number", creating, 64);
  p.name = in.String("name", creating, 200);
  p.sex = in.String("sex", false, 4);
  p.birth_date = in.String("birth_date", false, 16);
  p.phone = in.String("phone", false, 32);
  p.address = in.String("address", false, 1000);
  p.region = in.String("region", creating, 32);
  p.household_id = in.Int("household_id", false, 1, INT64_MAX);
  if (!creating) {
    p.version = in.Int("version", true, 1, INT64_MAX);
  }
  CORDON_RETURN_IF_ERROR(in.Finish());
  return p;
}

}  // namespace

void RegisterRoutes(http::Server& server, PeopleService& people) {
  using http::Access;
  server.Route(
      "GET", "/api/v1/people", Access::kAuthenticated,
      [&people](http::Context& ctx) -> Result<http::Response> {
        Page page;
        CORDON_ASSIGN_OR_RETURN(page.after, store::ParseScopeCursor(ctx.request.Param("after")));
        CORDON_ASSIGN_OR_RETURN(page.limit, Limit(ctx.request.Param("limit")));
        CORDON_ASSIGN_OR_RETURN(
            auto items, people.Search(*ctx.principal, "", ctx.request.Param("region"), page));
        return PageResponse(items, page.limit, people);
      });
  server.Route("POST", "/api/v1/people/search", Access::kAuthenticated,
               [&people](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto q = in.String("q", false, 200);
                 auto region = in.String("region", false, 32);
                 auto limit = in.Int("limit", false, 1, 200);
                 auto after = in.String("after", false, 300);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 Page page;
                 page.limit = static_cast<int>(limit.value_or(50));
                 CORDON_ASSIGN_OR_RETURN(page.after, store::ParseScopeCursor(after.value_or("")));
                 CORDON_ASSIGN_OR_RETURN(auto items, people.Search(*ctx.principal, q.value_or(""),
                                                                   region.value_or(""), page));
                 return PageResponse(items, page.limit, people);
               });
  server.Route("POST", "/api/v1/people", Access::kAuthenticated,
               [&people](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(PersonInput input, ReadInput(ctx.request.body, true));
                 CORDON_ASSIGN_OR_RETURN(Person p, people.Create(*ctx.principal, input));
                 http::Response r = http::JsonResponse(
                     201, http::JsonText(PersonJson(p, NameView::kFull, people)));
                 r.headers.emplace_back("Location", "/api/v1/people/" + std::to_string(p.id));
                 return http::Personal(r);
               });
  server.Route(
      "GET", "/api/v1/people/{id}", Access::kAuthenticated,
      [&people](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(
            std::int64_t id,
            http::PathId(ctx.path_params[0],
                         "人员不存在或不在管辖范围内 (no such person in your jurisdiction)"));
        CORDON_ASSIGN_OR_RETURN(Person p, people.Get(*ctx.principal, id));
        http::Response r =
            http::JsonResponse(200, http::JsonText(PersonJson(p, NameView::kFull, people)));
        return http::Personal(r);
      });
  server.Route(
      "PATCH", "/api/v1/people/{id}", Access::kAuthenticated,
      [&people](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(
            std::int64_t id,
            http::PathId(ctx.path_params[0],
                         "人员不存在或不在管辖范围内 (no such person in your jurisdiction)"));
        CORDON_ASSIGN_OR_RETURN(PersonInput input, ReadInput(ctx.request.body, false));
        CORDON_ASSIGN_OR_RETURN(Person p, people.Update(*ctx.principal, id, input));
        http::Response r =
            http::JsonResponse(200, http::JsonText(PersonJson(p, NameView::kFull, people)));
        return http::Personal(r);
      });
  server.Route(
      "POST", "/api/v1/people/{id}/reveal", Access::kAuthenticated,
      [&people](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(
            std::int64_t id,
            http::PathId(ctx.path_params[0],
                         "人员不存在或不在管辖范围内 (no such person in your jurisdiction)"));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto fields = in.StringList("fields", true, 4);
        auto reason = in.String("reason", true, 1000);
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(auto values, people.Reveal(*ctx.principal, id, *fields, *reason));
        json out = json::object();
        for (const auto& [k, v] : values) {
          out[k] = v;
        }
        http::Response r = http::JsonResponse(200, http::JsonText(out));
        return http::Personal(r);
      });
}

}  // namespace cordon::people
