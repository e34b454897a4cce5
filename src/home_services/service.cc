#include "home_services/service.h"

#include <cstdio>
#include <optional>

#include "auth/rules.h"
#include "base/phone.h"
#include "base/text.h"
#include "home_services/store.h"
#include "leads/rules.h"
#include "regions/scope.h"

namespace cordon::home_services {
namespace {

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

Status Text(std::string_view field, std::string_view value, std::size_t min, std::size_t max) {
  if (!base::IsValidUtf8(value) || base::CodePoints(value) < min || base::CodePoints(value) > max) {
    return FieldInvalid(std::string(field),
                        "应为 " + std::to_string(min) + "-" + std::to_string(max) + " 个字 (" +
                            std::to_string(min) + " to " + std::to_string(max) + " characters)");
  }
  return Status::Ok();
}

}  // namespace

std::int64_t HomeServices::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<Service> HomeServices::Request(const auth::Principal& who, std::int64_t measure_id,
                                      std::string_view kind, std::string_view detail,
                                      std::int64_t advanced_cents, bool done) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  if (kind != "shopping" && kind != "rubbish") {
    return FieldInvalid("kind",
                        "应为 shopping（代购）或 rubbish（垃圾清运） (shopping or rubbish)");
  }
  CORDON_RETURN_IF_ERROR(Text("detail", detail, 1, 500));
  if (done && advanced_cents != 0) {
    return FieldInvalid("advanced",
                        "垫付的代购须办结时登记收回 (money advanced is settled when "
                        "the request is closed)");
  }
  if (kind == "rubbish" && advanced_cents != 0) {
    return FieldInvalid("advanced", "垃圾清运不垫付费用 (a rubbish round advances no money)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  std::optional<Service> out;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto measure, CurrentMeasureInScope(s, measure_id, scope));
    if (!measure) {
      return Status::Ok();
    }
    Service v;
    v.kind = std::string(kind);
    v.measure_id = measure_id;
    v.region_path = measure->region_path;
    v.status = done ? "done" : "open";
    v.detail = std::string(detail);
    v.advanced_cents = advanced_cents;
    v.created_at = now;
    v.created_by = who.user.username;
    if (done) {
      v.done_at = now;
      v.done_by = who.user.username;
      v.outcome = "已完成 (done)";
    }
    CORDON_ASSIGN_OR_RETURN(v.id, InsertService(s, v));
    CORDON_ASSIGN_OR_RETURN(out, ServiceInScope(s, v.id, scope));
    return audit_.Append(s, who,
                         {"home_services.request", "measure", std::to_string(measure_id), "ok", "",
                          std::string(kind) + ",service=" + std::to_string(v.id)});
  }));
  if (!out) {
    return NotFound("没有执行中的管控措施 (no current measure in your jurisdiction)");
  }
  return *out;
}

Result<Service> HomeServices::Finish(const auth::Principal& who, std::int64_t id,
                                     std::string_view outcome, std::int64_t repaid_cents) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  CORDON_RETURN_IF_ERROR(Text("outcome", outcome, 1, 500));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<Service> out;
  Status status = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto v, ServiceInScope(s, id, scope));
    if (!v) {
      return Status::Ok();
    }
    if (repaid_cents > v->advanced_cents) {
      return FieldInvalid("repaid", "收回金额不能超过垫付金额 (repaid more than was advanced)");
    }
    CORDON_ASSIGN_OR_RETURN(
        bool finished,
        FinishService(s, id, who.user.username, std::string(outcome), repaid_cents, Now()));
    if (!finished) {
      return FailedPrecondition("该事项已办结 (this request is done already)");
    }
    CORDON_ASSIGN_OR_RETURN(out, ServiceInScope(s, id, scope));
    return audit_.Append(s, who,
                         {"home_services.done", "home_service", std::to_string(id), "ok", "",
                          "repaid_cents=" + std::to_string(repaid_cents)});
  });
  CORDON_RETURN_IF_ERROR(status);
  if (!out) {
    return NotFound("事项不存在或不在管辖范围内 (no such request in your jurisdiction)");
  }
  return *out;
}

Result<std::vector<Service>> HomeServices::List(const auth::Principal& who, const ServiceQuery& q,
                                                ServiceCounts* counts) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  if (!q.kind.empty() && q.kind != "shopping" && q.kind != "rubbish") {
    return FieldInvalid("kind", "应为 shopping 或 rubbish (shopping or rubbish)");
  }
  if (q.status != "open" && q.status != "done" && q.status != "all") {
    return FieldInvalid("status", "应为 open、done 或 all (open, done or all)");
  }
  std::optional<auth::PathRange> scope;
  std::vector<Service> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, q.region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out, ListServices(s, *scope, q));
    if (counts != nullptr) {
      CORDON_ASSIGN_OR_RETURN(*counts, CountServices(s, *scope));
    }
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, q.region);
  }
  std::string ids;
  for (const auto& v : out) {
    ids += (ids.empty() ? "" : ",") + std::to_string(v.person_id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"home_services.list", "person", ids, "ok", "", ""}));
  return out;
}

Result<std::string> HomeServices::ReportTipOff(const TipOffForm& form, const std::string& ip,
                                               const std::string& request_id) {
  CORDON_RETURN_IF_ERROR(Text("address", form.address, 4, 200));
  CORDON_RETURN_IF_ERROR(Text("detail", form.detail, 4, 1000));
  std::string phone;
  if (!form.phone.empty()) {
    auto parsed = base::ParseMobile(form.phone);
    if (!parsed.has_value()) {
      return FieldInvalid("phone", parsed.error().message());
    }
    phone = parsed->number;
  }
  auth::Principal public_form;
  public_form.user.username = "public";
  public_form.ip = ip;
  public_form.request_id = request_id;
  const std::int64_t now = Now();
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    TipOff t;
    t.address = form.address;
    t.detail = form.detail;
    t.contact_phone = phone;
    t.created_at = now;
    // The grid of the building, as for a lead; else the city's inbox, flagged.
    if (std::string building = leads::BuildingOf(form.address); !building.empty()) {
      CORDON_ASSIGN_OR_RETURN(t.region_code, GridOfBuilding(s, building));
    }
    if (t.region_code.empty()) {
      t.unrouted = true;
      CORDON_RETURN_IF_ERROR(
          s.Query("SELECT code FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1", {},
                  [&](const store::Row& row) {
                    t.region_code = row.Text(0);
                    return Status::Ok();
                  }));
    }
    CORDON_RETURN_IF_ERROR(s.Query("SELECT path FROM regions WHERE code = ?", {t.region_code},
                                   [&](const store::Row& row) {
                                     t.region_path = row.Text(0);
                                     return Status::Ok();
                                   }));
    if (t.region_path.empty()) {
      return Unavailable("尚未建立区划 (no region tree yet)");
    }
    CORDON_ASSIGN_OR_RETURN(id, InsertTipOff(s, t));
    return audit_.Append(s, public_form,
                         {"tip_offs.report", "tip_off", std::to_string(id), "ok", "", ""});
  }));
  const auto today = base::LocalDate(clock_.Now(), offset_);
  char number[40];
  std::snprintf(number, sizeof number, "JB%04d%02u%02u-%06lld", static_cast<int>(today.year()),
                static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()),
                static_cast<long long>(id));
  return std::string(number);
}

Result<std::vector<TipOff>> HomeServices::TipOffs(const auth::Principal& who,
                                                  const std::string& region,
                                                  const std::string& status, std::int64_t after,
                                                  int limit) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTasksRead));
  if (status != "open" && status != "verified" && status != "unfounded" && status != "all") {
    return FieldInvalid("status", "应为 open、verified、unfounded 或 all");
  }
  std::optional<auth::PathRange> scope;
  std::vector<TipOff> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out, ListTipOffs(s, *scope, status, after, limit));
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, region);
  }
  std::string ids;
  for (const auto& t : out) {
    ids += (ids.empty() ? "" : ",") + std::to_string(t.id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"tip_offs.list", "tip_off", ids, "ok", "", ""}));
  return out;
}

Result<TipOff> HomeServices::CloseTipOff(const auth::Principal& who, std::int64_t id,
                                         std::string_view status, std::string_view outcome,
                                         std::int64_t reward_cents) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTasksCheck));
  if (status != "verified" && status != "unfounded") {
    return FieldInvalid("status",
                        "应为 verified（属实）或 unfounded（不实） (verified or unfounded)");
  }
  if (status == "unfounded" && reward_cents != 0) {
    return FieldInvalid("reward", "不实举报不发奖励 (no reward for an unfounded tip-off)");
  }
  CORDON_RETURN_IF_ERROR(Text("outcome", outcome, 1, 500));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<TipOff> out;
  Status written = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto t, TipOffInScope(s, id, scope));
    if (!t) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(
        bool closed, home_services::CloseTipOff(s, id, std::string(status), who.user.username,
                                                std::string(outcome), reward_cents, Now()));
    if (!closed) {
      return FailedPrecondition("该举报已办结 (this tip-off is closed already)");
    }
    CORDON_ASSIGN_OR_RETURN(out, TipOffInScope(s, id, scope));
    return audit_.Append(s, who,
                         {"tip_offs.close", "tip_off", std::to_string(id), "ok", "",
                          std::string(status) + ",reward_cents=" + std::to_string(reward_cents)});
  });
  CORDON_RETURN_IF_ERROR(written);
  if (!out) {
    return NotFound("举报不存在或不在管辖范围内 (no such tip-off in your jurisdiction)");
  }
  return *out;
}

}  // namespace cordon::home_services
