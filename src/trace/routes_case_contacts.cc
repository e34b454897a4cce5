// POST /api/v1/cases/{id}/contacts (docs/design/cases-api.md): the contacts of a case from its
// look-back start, first as a preview with the sizes — secondary sets by co-presence can cover
// much of a city, so the epidemiologist sees them before any lead exists — then listed: each
// close and secondary contact a lead in the registry, through the cases service.
#include <nlohmann/json.hpp>

#include "cases/service.h"
#include "http/json_input.h"
#include "http/params.h"
#include "trace/routes.h"

namespace cordon::trace {
namespace {

using nlohmann::json;

constexpr std::size_t kPreviewRows = 200;

json Head(const json& list) {
  json out = json::array();
  for (std::size_t i = 0; i < list.size() && i < kPreviewRows; ++i) {
    out.push_back(list[i]);
  }
  return out;
}

}  // namespace

void RegisterCaseContactsRoute(http::Server& server, TraceService& trace,
                               cases::CaseService& cases) {
  const base::UtcOffset offset = trace.offset();
  server.Route(
      "POST", "/api/v1/cases/{id}/contacts", http::Access::kAuthenticated,
      [&trace, &cases, offset](http::Context& ctx) -> Result<http::Response> {
        CORDON_ASSIGN_OR_RETURN(std::int64_t id,
                                http::PathId(ctx.path_params[0], "病例不存在 (not found)"));
        CORDON_ASSIGN_OR_RETURN(json body, http::ParseJsonObject(ctx.request.body));
        http::ObjectReader in(body);
        auto depth = in.Int("depth", false, 1, 2);
        bool preview = true;
        if (const json* p = in.Any("preview", false); p != nullptr) {
          if (p->is_boolean()) {
            preview = p->get<bool>();
          } else {
            in.AddError("preview", "应为 true 或 false (a boolean)");
          }
        }
        CORDON_RETURN_IF_ERROR(in.Finish());
        CORDON_ASSIGN_OR_RETURN(cases::CaseService::Detail detail,
                                cases.GetDetail(*ctx.principal, id));
        const cases::Case& c = detail.c;
        // Those the investigation names as infected by this case are its contacts too.
        std::vector<NamedContact> named;
        for (const auto& e : detail.exposures) {
          if (e.source_person_id == c.person_id) {
            named.push_back({static_cast<std::uint32_t>(e.target_person_id), ContactKind::kExposure,
                             static_cast<std::uint32_t>(e.at != 0 ? e.at : c.lookback_from)});
          }
        }
        const std::int64_t to =
            c.reported_at != 0 ? std::max(c.reported_at, c.positive_at) : cases.Now();
        // A preview names the first rows only; listing takes every secondary contact.
        SecondaryPage page;
        if (preview) {
          page.limit = kPreviewRows;
        }
        CORDON_ASSIGN_OR_RETURN(TraceAnswer answer,
                                trace.ContactsOf(*ctx.principal, c.person_id, c.lookback_from, to,
                                                 static_cast<int>(depth.value_or(2)), named, page));
        json all = AnswerJson(answer, offset);
        if (preview) {
          return http::JsonResponse(200, json{{"counts", all["counts"]},
                                              {"from", answer.from},
                                              {"to", answer.to},
                                              {"contacts", Head(all["contacts"])},
                                              {"companions", Head(all["companions"])}}
                                             .dump());
        }
        std::vector<cases::ListedContact> listed;
        for (const auto* list : {&answer.close, &answer.secondary}) {
          for (const TracedContact& t : *list) {
            listed.push_back({t.person.id, t.degree, KindName(t.kind)});
          }
        }
        CORDON_ASSIGN_OR_RETURN(cases::ContactsRecorded recorded,
                                cases.RecordContacts(*ctx.principal, id, listed));
        return http::JsonResponse(200, json{{"counts", all["counts"]},
                                            {"leads_created", recorded.leads_created},
                                            {"merged", recorded.merged},
                                            {"already_listed", recorded.already_listed}}
                                           .dump());
      });
}

}  // namespace cordon::trace
