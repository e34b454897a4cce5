#include "duplicates/routes.h"

#include <nlohmann/json.hpp>

#include "http/json_input.h"
#include "http/params.h"
#include "people/routes_json.h"

namespace cordon::duplicates {
namespace {

using nlohmann::json;

// The fields whose values differ, compared unmasked here: masks can hide a difference (two
// addresses on one road) or show one that is not there.
json Differs(const people::Person& a, const people::Person& b) {
  json out = json::array();
  if (a.id == 0 || b.id == 0) {
    return out;
  }
  const std::pair<const char*, bool> fields[] = {{"id_type", a.id_type != b.id_type},
                                                 {"id_number", a.id_number != b.id_number},
                                                 {"name", a.name != b.name},
                                                 {"sex", a.sex != b.sex},
                                                 {"birth_date", a.birth_date != b.birth_date},
                                                 {"phone", a.phone != b.phone},
                                                 {"address", a.address != b.address},
                                                 {"region", a.region_code != b.region_code}};
  for (const auto& [name, differs] : fields) {
    if (differs) {
      out.push_back(name);
    }
  }
  return out;
}

struct View {
  const base::Clock& clock;
  base::UtcOffset offset;

  json Person(const people::Person& p) const {
    if (p.id == 0) {
      return nullptr;  // outside the caller's jurisdiction, or merged into another file
    }
    return people::PersonJson(p, base::LocalDate(clock.Now(), offset), offset);
  }
  json Time(std::int64_t t) const {
    return t == 0 ? json(nullptr) : json(http::IsoTime(t, offset));
  }

  json Holds(const Holdings& h) const {
    json current = nullptr;
    if (h.current_measure) {
      current = {{"id", h.current_measure->id},
                 {"kind", h.current_measure->measure},
                 {"state", h.current_measure->state}};
    }
    return {{"leads", h.leads},
            {"open_task", h.open_task},
            {"measures", h.measures},
            {"current_measure", current},
            {"followups", h.followups}};
  }

  json PairJson(const Pair& p, bool with_holdings) const {
    json out = {
        {"id", p.id},
        {"status", p.status},
        {"reason", p.reason},
        {"note", p.note},
        {"source", p.source},
        {"created_at", Time(p.created_at)},
        {"created_by", p.created_by},
        {"decided_at", Time(p.decided_at)},
        {"decided_by", p.decided_by.empty() ? json(nullptr) : json(p.decided_by)},
        {"decision_note", p.decision_note.empty() ? json(nullptr) : json(p.decision_note)},
        {"merge_id", p.merge_id == 0 ? json(nullptr) : json(p.merge_id)},
        {"kept_id", p.status != "merged" || p.kept_id == 0 ? json(nullptr) : json(p.kept_id)},
        {"differs", Differs(p.left, p.right)},
        {"left_id", p.left_id},
        {"right_id", p.right_id}};
    if (with_holdings) {
      out["left"] = {{"person", Person(p.left)}, {"holds", Holds(p.left_holds)}};
      out["right"] = {{"person", Person(p.right)}, {"holds", Holds(p.right_holds)}};
    } else {
      out["left"] = Person(p.left);
      out["right"] = Person(p.right);
    }
    return out;
  }

  json MergeJson(const Merge& m) const {
    return {{"id", m.id},
            {"kept_id", m.kept_id},
            {"merged_id", m.merged_id},
            {"actor", m.actor},
            {"at", Time(m.at)},
            {"reason", m.reason},
            {"undone_at", Time(m.undone_at)},
            {"undone_by", m.undone_by.empty() ? json(nullptr) : json(m.undone_by)},
            {"undo_reason", m.undo_reason.empty() ? json(nullptr) : json(m.undo_reason)}};
  }
};

http::Response Answer(int status, const json& body) {
  http::Response res = http::JsonResponse(status, body.dump());
  return http::Personal(res);
}

// "left" or "right", defaulting to the kept side.
std::optional<bool> Side(http::ObjectReader& in, std::string_view field, bool keep_left) {
  auto side = in.String(field, false, 8);
  if (!side) {
    return keep_left;
  }
  if (*side != "left" && *side != "right") {
    in.AddError(std::string(field), "应为 left 或 right (left or right)");
    return std::nullopt;
  }
  return *side == "left";
}

Result<std::int64_t> PairId(const http::Context& ctx) {
  return http::PathId(ctx.path_params[0], "疑似重复记录不存在 (not found)");
}

}  // namespace

void RegisterRoutes(http::Server& server, DuplicateService& duplicates, const base::Clock& clock,
                    base::UtcOffset offset) {
  using http::Access;
  const View view{clock, offset};
  server.Route(
      "GET", "/api/v1/duplicates", Access::kAuthenticated,
      [&duplicates, view](http::Context& ctx) -> Result<http::Response> {
        std::string status = ctx.request.HasParam("status") ? ctx.request.Param("status") : "open";
        CORDON_ASSIGN_OR_RETURN(std::int64_t after,
                                http::IntParam(ctx.request, "cursor", 0, 0, INT64_MAX));
        CORDON_ASSIGN_OR_RETURN(std::int64_t limit,
                                http::IntParam(ctx.request, "limit", 50, 1, 200));
        PairCounts counts;
        CORDON_ASSIGN_OR_RETURN(auto pairs, duplicates.List(*ctx.principal, status, after,
                                                            static_cast<int>(limit), &counts));
        json items = json::array();
        for (const auto& p : pairs) {
          items.push_back(view.PairJson(p, false));
        }
        json next = static_cast<std::int64_t>(pairs.size()) == limit
                        ? json(std::to_string(pairs.back().id))
                        : json(nullptr);
        return Answer(200, {{"items", items},
                            {"next", next},
                            {"counts",
                             {{"open", counts.open},
                              {"merged", counts.merged},
                              {"kept_apart", counts.kept_apart}}}});
      });
  server.Route("POST", "/api/v1/duplicates", Access::kAuthenticated,
               [&duplicates](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto left = in.Int("left_id", true, 1, INT64_MAX);
                 auto right = in.Int("right_id", true, 1, INT64_MAX);
                 auto reason = in.String("reason", true, 2000);
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                         duplicates.Report(*ctx.principal, *left, *right, *reason));
                 return Answer(201, {{"id", id}});
               });
  server.Route("POST", "/api/v1/duplicates/scan", Access::kAuthenticated,
               [&duplicates](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(ScanResult r, duplicates.Scan(*ctx.principal));
                 return Answer(200, {{"scanned", r.scanned}, {"queued", r.queued}});
               });
  server.Route("GET", "/api/v1/duplicates/{id}", Access::kAuthenticated,
               [&duplicates, view](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, PairId(ctx));
                 CORDON_ASSIGN_OR_RETURN(Pair p, duplicates.Get(*ctx.principal, id));
                 return Answer(200, view.PairJson(p, true));
               });
  server.Route(
      "POST", "/api/v1/duplicates/{id}/merge", Access::kAuthenticated,
      [&duplicates, view](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id, PairId(ctx));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        MergeChoice choice;
        auto keep = Side(in, "keep", true);
        choice.keep_left = keep.value_or(true);
        choice.identity_left = Side(in, "identity", choice.keep_left).value_or(true);
        choice.name_left = Side(in, "name", choice.keep_left).value_or(true);
        choice.phone_left = Side(in, "phone", choice.keep_left).value_or(true);
        choice.address_left = Side(in, "address", choice.keep_left).value_or(true);
        auto reason = in.String("reason", true, 2000);
        if (reason && reason->empty()) {
          in.AddError("reason", "请填写合并理由 (a reason is required)");
        }
        CORDON_RETURN_IF_ERROR(in.Finish());
        choice.reason = *reason;
        CORDON_ASSIGN_OR_RETURN(MergeResult r, duplicates.Merge(*ctx.principal, id, choice));
        return Answer(
            200,
            {{"merge_id", r.merge_id}, {"kept", view.Person(r.kept)}, {"merged_id", r.merged_id}});
      });
  server.Route("POST", "/api/v1/duplicates/{id}/keep-apart", Access::kAuthenticated,
               [&duplicates](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(std::int64_t id, PairId(ctx));
                 CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
                 http::ObjectReader in(body);
                 auto reason = in.String("reason", true, 2000);
                 if (reason && reason->empty()) {
                   in.AddError("reason", "请填写理由 (a reason is required)");
                 }
                 CORDON_RETURN_IF_ERROR(in.Finish());
                 CORDON_ASSIGN_OR_RETURN(Pair p, duplicates.KeepApart(*ctx.principal, id, *reason));
                 return Answer(200, {{"id", p.id}, {"status", p.status}});
               });
  server.Route("GET", "/api/v1/people/{id}/merges", Access::kAuthenticated,
               [&duplicates, view](http::Context& ctx) -> Result<http::Response> {
                 CORDON_ASSIGN_OR_RETURN(
                     std::int64_t id, http::PathId(ctx.path_params[0], "人员不存在 (not found)"));
                 CORDON_ASSIGN_OR_RETURN(auto merges, duplicates.MergesOf(*ctx.principal, id));
                 json items = json::array();
                 for (const auto& m : merges) {
                   items.push_back(view.MergeJson(m));
                 }
                 return Answer(200, {{"items", items}});
               });
  server.Route(
      "POST", "/api/v1/merges/{id}/undo", Access::kAuthenticated,
      [&duplicates](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "合并记录不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto reason = in.String("reason", true, 2000);
        if (reason && reason->empty()) {
          in.AddError("reason", "请填写撤销理由 (a reason is required)");
        }
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(auto restored, duplicates.Undo(*ctx.principal, id, *reason));
        return Answer(200, {{"merge_id", id}, {"restored", restored}});
      });
}

}  // namespace cordon::duplicates
