#include "trace/routes.h"

#include <limits>
#include <nlohmann/json.hpp>

#include "base/masking.h"
#include "http/json_input.h"
#include "http/params.h"

namespace cordon::trace {
namespace {

using nlohmann::json;

constexpr std::int64_t kDefaultSecondaryPage = 1'000;
constexpr std::int64_t kMaxSecondaryPage = 10'000;

http::Response Answer(int status, const json& body) {
  http::Response res = http::JsonResponse(status, body.dump());
  return http::Personal(res);
}

json ReportJson(const IngestReport& report) {
  json rejected = json::array();
  for (const RowError& e : report.rejected) {
    rejected.push_back({{"line", e.line}, {"reason", e.reason}});
  }
  return {{"accepted", report.accepted},
          {"duplicates", report.duplicates},
          {"new_venues", report.new_venues},
          {"new_people", report.new_people},
          {"rejected", rejected}};
}

json ContactJson(const TracedContact& c, base::UtcOffset offset) {
  // The evidence that decides (the earliest meetings) is kept: a close contact's first 20, a
  // secondary contact's or companion's first 5 (the path). A dense city otherwise answers tens
  // of megabytes for one search. The total says how many there were.
  const std::size_t shown = c.degree == 1 ? 20 : 5;
  json evidence = json::array();
  for (const EvidenceRow& e : c.evidence) {
    if (evidence.size() == shown) {
      break;
    }
    const std::int64_t gap = std::abs(static_cast<std::int64_t>(e.contact_time) -
                                      static_cast<std::int64_t>(e.index_time));
    evidence.push_back({{"venue_code", e.venue_code.empty() ? json(nullptr) : json(e.venue_code)},
                        {"venue_name", e.venue_name.empty() ? json(nullptr) : json(e.venue_name)},
                        {"index_time", e.index_time},
                        {"contact_time", e.contact_time},
                        {"index_at", http::IsoTime(e.index_time, offset)},
                        {"contact_at", http::IsoTime(e.contact_time, offset)},
                        {"gap_seconds", gap},
                        {"via_person_id", e.via_person_id}});
  }
  json out = {{"person_id", c.person.id},
              {"id_number", base::MaskIdNumber(c.person.id_number)},
              {"name", base::MaskName(c.person.name)},
              {"region", c.person.region_code.empty() ? json(nullptr) : json(c.person.region_code)},
              {"region_name", c.person.region_name},
              {"degree", c.degree},
              {"kind", KindName(c.kind)},
              {"evidence", evidence},
              {"evidence_total", c.evidence_total}};
  if (c.degree == 2 && !c.evidence.empty()) {
    out["via_person_id"] = c.evidence.front().via_person_id;
  }
  return out;
}

// "from"/"to" as Unix seconds (a number or a string) or ISO 8601.
std::optional<std::int64_t> TimeField(http::ObjectReader& in, std::string_view name,
                                      base::UtcOffset offset) {
  const json* v = in.Any(name, true);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (v->is_number_integer()) {
    return v->get<std::int64_t>();
  }
  if (v->is_string()) {
    auto t = base::ParseTime(v->get<std::string>(), offset);
    if (t.has_value()) {
      return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
    }
    in.AddError(std::string(name), t.error().message());
    return std::nullopt;
  }
  in.AddError(std::string(name), "应为 Unix 秒或 ISO 8601 时间 (Unix seconds or ISO 8601)");
  return std::nullopt;
}

Result<std::int64_t> TimeParam(const http::Request& request, std::string_view name,
                               std::int64_t fallback, base::UtcOffset offset) {
  if (!request.HasParam(name)) {
    return fallback;
  }
  auto t = base::ParseTime(request.Param(name), offset);
  if (!t.has_value()) {
    return FieldInvalid(std::string(name), t.error().message());
  }
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

}  // namespace

json AnswerJson(const TraceAnswer& answer, base::UtcOffset offset) {
  json close = json::array();
  for (const auto* list : {&answer.close, &answer.secondary}) {
    for (const TracedContact& c : *list) {
      close.push_back(ContactJson(c, offset));
    }
  }
  json companions = json::array();
  for (const TracedContact& c : answer.companions) {
    companions.push_back(ContactJson(c, offset));
  }
  return {{"index",
           {{"person_id", answer.index.id},
            {"id_number", base::MaskIdNumber(answer.index.id_number)},
            {"name", base::MaskName(answer.index.name)}}},
          {"from", answer.from},
          {"to", answer.to},
          {"contacts", close},
          {"companions", companions},
          {"counts",
           {{"close", answer.close.size()},
            {"secondary", answer.secondary_total},
            {"companions", answer.companions.size()}}},
          {"secondary_next", answer.secondary_next ? json(*answer.secondary_next) : json(nullptr)}};
}

void RegisterRoutes(http::Server& server, TraceService& trace) {
  using http::Access;
  const base::UtcOffset offset = trace.offset();
  server.Route(
      "POST", "/api/v1/checkins", Access::kAuthenticated,
      [&trace](http::Context& ctx) -> Result<http::Response> {
        const std::string type = ctx.request.Header("Content-Type");
        Result<IngestReport> report = type.starts_with("text/csv")
                                          ? trace.IngestCsv(*ctx.principal, ctx.request.body)
                                          : trace.IngestNdjson(*ctx.principal, ctx.request.body);
        if (!report.has_value()) {
          return report.error();
        }
        return Answer(200, ReportJson(*report));
      },
      64 << 20);
  server.Route(
      "GET", "/api/v1/people/{id}/trajectory", Access::kAuthenticated,
      [&trace, offset](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "人员不存在 (not found)"));
        const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
        CORDON_ASSIGN_OR_RETURN(
            std::int64_t from,
            TimeParam(ctx.request, "from", now - std::int64_t{14} * 86'400, offset));
        CORDON_ASSIGN_OR_RETURN(std::int64_t to, TimeParam(ctx.request, "to", now, offset));
        CORDON_ASSIGN_OR_RETURN(auto visits, trace.Trajectory(*ctx.principal, id, from, to));
        json items = json::array();
        for (const Visit& v : visits) {
          items.push_back({{"venue_code", v.venue_code},
                           {"venue_name", v.venue_name},
                           {"venue_type", v.venue_type},
                           {"time", v.time},
                           {"at", http::IsoTime(v.time, offset)}});
        }
        return Answer(200, {{"checkins", items}});
      });
  server.Route("POST", "/api/v1/trace/contacts", Access::kAuthenticated,
               [&trace, offset](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto id_number = in.String("id_number", true, 32);
                 auto from = TimeField(in, "from", offset);
                 auto to = TimeField(in, "to", offset);
                 auto depth = in.Int("depth", false, 1, 2);
                 // Secondary contacts are all counted but named a page at a time: a set can be most
                 // of a city. `secondary_next` of one answer is `secondary_after` of the next
                 // request.
                 auto limit = in.Int("secondary_limit", false, 0, kMaxSecondaryPage);
                 auto after =
                     in.Int("secondary_after", false, 0, std::numeric_limits<std::int64_t>::max());
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 SecondaryPage page;
                 page.after = after.value_or(0);
                 page.limit = static_cast<std::size_t>(limit.value_or(kDefaultSecondaryPage));
                 CORDON_ASSIGN_OR_RETURN(TraceAnswer answer,
                                         trace.Contacts(*ctx.principal, *id_number, *from, *to,
                                                        static_cast<int>(depth.value_or(1)), page));
                 return Answer(200, AnswerJson(answer, offset));
               });
  RegisterVenueRoutes(server, trace);
}

}  // namespace cordon::trace
