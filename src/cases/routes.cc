#include "cases/routes.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "base/masking.h"
#include "cases/report.h"
#include "cases/routes_json.h"
#include "cases/rules.h"
#include "http/json_input.h"
#include "http/params.h"

namespace cordon::cases {
namespace {

using nlohmann::json;

constexpr std::int64_t kMaxId = INT64_MAX;
constexpr std::int64_t kMaxTime = 4'102'444'800;  // 2100-01-01: beyond it is a typo

// "positive_at,id" as written by the list; "" is the first page.
Status ReadCursor(const std::string& text, CaseQuery& q) {
  if (text.empty()) {
    return Status::Ok();
  }
  const auto comma = text.find(',');
  const auto number = [&](std::size_t from, std::size_t to, std::int64_t& out) {
    auto [ptr, ec] = std::from_chars(text.data() + from, text.data() + to, out);
    return ec == std::errc() && ptr == text.data() + to && from < to;
  };
  if (comma == std::string::npos || !number(0, comma, q.after_positive_at) ||
      !number(comma + 1, text.size(), q.after_id) || q.after_id <= 0) {
    return FieldInvalid("after", "游标无效 (invalid cursor)");
  }
  return Status::Ok();
}

// A clearable field of a PATCH body: absent, null (cleared) or a value.
template <typename T>
Patch<T> Clearable(const json& body, const char* name, const std::optional<T>& read) {
  if (read) {
    return std::optional<T>(*read);
  }
  if (body.contains(name) && body[name].is_null()) {
    return std::optional<T>();
  }
  return std::nullopt;
}

Result<EntryInput> ReadEntry(const std::string& body, bool with_version) {
  CORDON_ASSIGN_OR_RETURN(json object, http::ParseJsonObject(body));
  http::ObjectReader in(object);
  EntryInput e;
  auto at = in.Int("at", true, 0, kMaxTime);
  e.until = in.Int("until", false, 0, kMaxTime);
  auto kind = in.String("kind", true, 16);
  e.venue_code = in.String("venue_code", false, 32);
  e.person_id = in.Int("person_id", false, 1, kMaxId);
  e.place = in.String("place", false, 1000);
  auto text = in.String("text", true, 8000);
  std::optional<std::int64_t> version;
  if (with_version) {
    version = in.Int("version", true, 1, kMaxId);
  }
  CORDON_RETURN_IF_ERROR(in.Finish());
  e.at = *at;
  e.kind = *kind;
  e.text = *text;
  e.version = version.value_or(0);
  return e;
}

Result<std::int64_t> CaseId(const http::Context& ctx) {
  return http::PathId(ctx.path_params[0], "病例不存在 (not found)");
}

}  // namespace

void RegisterRoutes(http::Server& server, CaseService& cases) {
  using http::Access;
  server.Route(
      "GET", "/api/v1/cases", Access::kAuthenticated,
      [&cases](http::Context& ctx) -> Result<http::Response> {
        CaseQuery q;
        q.classification = ctx.request.Param("classification");
        q.region = ctx.request.Param("region");
        CORDON_ASSIGN_OR_RETURN(q.cluster_id, http::IntParam(ctx.request, "cluster", 0, 1, kMaxId));
        CORDON_ASSIGN_OR_RETURN(std::int64_t late, http::IntParam(ctx.request, "late", 0, 0, 1));
        q.late_only = late == 1;
        CORDON_RETURN_IF_ERROR(ReadCursor(ctx.request.Param("after"), q));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 200));
        q.limit = static_cast<int>(limit);
        CORDON_ASSIGN_OR_RETURN(auto list, cases.List(*ctx.principal, q));
        json items = json::array();
        for (const Case& c : list) {
          items.push_back(CaseJson(c, cases));
        }
        json next = static_cast<int>(list.size()) == q.limit
                        ? json(std::to_string(list.back().positive_at) + "," +
                               std::to_string(list.back().id))
                        : json(nullptr);
        return Answer(200, {{"cases", items}, {"next", next}});
      });
  server.Route("POST", "/api/v1/cases", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 CaseInput c;
                 auto person = in.Int("person_id", true, 1, kMaxId);
                 auto classification = in.String("classification", true, 32);
                 auto positive = in.Int("positive_at", true, 0, kMaxTime);
                 c.sampling_at = in.Int("sampling_at", false, 0, kMaxTime);
                 c.onset_date = in.String("onset_date", false, 32);
                 c.reported_at = in.Int("reported_at", false, 0, kMaxTime);
                 c.hospital = in.String("hospital", false, 1000);
                 c.cluster_id = in.Int("cluster_id", false, 1, kMaxId);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 c.person_id = *person;
                 c.classification = *classification;
                 c.positive_at = *positive;
                 CORDON_ASSIGN_OR_RETURN(Case created, cases.Create(*ctx.principal, c));
                 return Answer(201, CaseJson(created, cases));
               });
  // Registered before /cases/{id}: the first pattern that matches wins.
  server.Route("GET", "/api/v1/cases/clock", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t days,
                                         http::IntParam(ctx.request, "days", 14, 1, 90));
                 CORDON_ASSIGN_OR_RETURN(
                     auto board, cases.ClockOfCases(*ctx.principal, ctx.request.Param("region"),
                                                    static_cast<int>(days)));
                 json list = json::array();
                 for (const Case& c : board.cases) {
                   list.push_back({{"id", c.id},
                                   {"person_id", c.person_id},
                                   {"name", base::MaskName(c.name)},
                                   {"region_name", c.region_name},
                                   {"classification", c.classification},
                                   {"positive_at", c.positive_at},
                                   {"reported_at", TimeJson(c.reported_at)},
                                   {"contacts_listed_at", TimeJson(c.contacts_listed_at)},
                                   {"contacts_controlled_at", TimeJson(c.contacts_controlled_at)},
                                   {"reported", LegName(c.clock.reported)},
                                   {"listed", LegName(c.clock.listed)},
                                   {"controlled", LegName(c.clock.controlled)}});
                 }
                 return Answer(200, {{"targets",
                                      {{"reported_hours", board.targets.reported_hours},
                                       {"listed_hours", board.targets.listed_hours},
                                       {"controlled_hours", board.targets.controlled_hours}}},
                                     {"cases", list},
                                     {"late", board.late}});
               });
  server.Route("GET", "/api/v1/cases/{id}", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, CaseId(ctx));
                 CORDON_ASSIGN_OR_RETURN(auto detail, cases.GetDetail(*ctx.principal, id));
                 json out = CaseJson(detail.c, cases);
                 json entries = json::array();
                 for (const Entry& e : detail.entries) {
                   entries.push_back(EntryJson(e));
                 }
                 json exposures = json::array();
                 const auto scope = auth::SubtreeRange(ctx.principal->region_path);
                 for (const Exposure& e : detail.exposures) {
                   exposures.push_back(ExposureJson(e, scope));
                 }
                 out["investigation"] = std::move(entries);
                 out["exposures"] = std::move(exposures);
                 return Answer(200, out);
               });
  server.Route(
      "PATCH", "/api/v1/cases/{id}", Access::kAuthenticated,
      [&cases](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id, CaseId(ctx));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        CasePatch p;
        p.classification = in.String("classification", false, 32);
        p.hospital = in.String("hospital", false, 1000);
        p.outcome = in.String("outcome", false, 32);
        p.onset_date = Clearable(body, "onset_date", in.String("onset_date", false, 32));
        p.sampling_at = Clearable(body, "sampling_at", in.Int("sampling_at", false, 0, kMaxTime));
        p.reported_at = Clearable(body, "reported_at", in.Int("reported_at", false, 0, kMaxTime));
        p.cluster_id = Clearable(body, "cluster_id", in.Int("cluster_id", false, 1, kMaxId));
        auto version = in.Int("version", true, 1, kMaxId);
        CORDON_RETURN_IF_ERROR(in.Finish());
        p.version = *version;
        CORDON_ASSIGN_OR_RETURN(Case c, cases.Update(*ctx.principal, id, p));
        return Answer(200, CaseJson(c, cases));
      });
  server.Route("GET", "/api/v1/cases/{id}/investigation", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, CaseId(ctx));
                 CORDON_ASSIGN_OR_RETURN(auto entries, cases.Entries(*ctx.principal, id));
                 json list = json::array();
                 for (const Entry& e : entries) {
                   list.push_back(EntryJson(e));
                 }
                 return Answer(200, {{"entries", list}});
               });
  server.Route("POST", "/api/v1/cases/{id}/investigation", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, CaseId(ctx));
                 CORDON_ASSIGN_OR_RETURN(EntryInput in, ReadEntry(ctx.request.body, false));
                 CORDON_ASSIGN_OR_RETURN(Entry e, cases.AddEntry(*ctx.principal, id, in));
                 return Answer(201, EntryJson(e));
               });
  // Before /investigation/{entry}, which would take "export" for an entry id.
  server.Route("GET", "/api/v1/cases/{id}/investigation/export", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, CaseId(ctx));
                 const std::string format = ctx.request.Param("format");
                 if (format == "docx") {
                   return FieldInvalid(
                       "format",
                       "暂不支持 docx（Debian 12 无 C++ 的 docx 库），请用 html 打印或另存 "
                       "(no docx library at hand: use html)");
                 }
                 if (!format.empty() && format != "html") {
                   return FieldInvalid("format", "应为 html (html)");
                 }
                 CORDON_ASSIGN_OR_RETURN(std::string page, cases.ExportHtml(*ctx.principal, id));
                 http::Response res = http::JsonResponse(200, std::move(page));
                 res.content_type = "text/html; charset=utf-8";
                 res.headers.emplace_back("Content-Disposition",
                                          "attachment; filename=\"case-" + std::to_string(id) +
                                              "-investigation.html\"; filename*=UTF-8''" +
                                              ReportFileName(id));
                 return http::Personal(res);
               });
  server.Route("PUT", "/api/v1/cases/{id}/investigation/{entry}", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, CaseId(ctx));
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t entry,
                     http::PathId(ctx.path_params[1], "调查记录不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(EntryInput in, ReadEntry(ctx.request.body, true));
                 CORDON_ASSIGN_OR_RETURN(Entry e, cases.UpdateEntry(*ctx.principal, id, entry, in));
                 return Answer(200, EntryJson(e));
               });
  server.Route("DELETE", "/api/v1/cases/{id}/investigation/{entry}", Access::kAuthenticated,
               [&cases](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, CaseId(ctx));
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t entry,
                     http::PathId(ctx.path_params[1], "调查记录不存在 (not found)"));
                 CORDON_RETURN_IF_ERROR(cases.DeleteEntry(*ctx.principal, id, entry));
                 return http::NoContent();
               });
  RegisterChainRoutes(server, cases);
}

}  // namespace cordon::cases
