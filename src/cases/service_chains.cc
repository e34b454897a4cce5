// Chains and overviews: who infected whom, clusters and their graphs, the epidemic curve and
// the timeliness clock.
#include "auth/rules.h"
#include "cases/internal/checks.h"
#include "cases/rules.h"
#include "cases/service.h"
#include "cases/store.h"
#include "regions/scope.h"

namespace cordon::cases {
namespace {

using internal::Require;

const Status& ClusterNotFound() {
  static const Status* status = new Status(
      NotFound("聚集性疫情不存在或不在管辖范围内 (no such cluster in your jurisdiction)"));
  return *status;
}

std::string LoopText(const std::vector<std::int64_t>& loop) {
  std::string out;
  for (std::int64_t person : loop) {
    out += (out.empty() ? "" : " → ") + std::to_string(person);
  }
  return out;
}

}  // namespace

bool CaseService::IsLoop(const Status& status) {
  return status.code() == StatusCode::kFailedPrecondition && !status.details().empty() &&
         status.details().front().field == "cycle";
}

Result<Exposure> CaseService::AddExposure(const auth::Principal& who, const ExposureInput& in) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  if (!IsExposureKind(in.kind)) {
    return FieldInvalid("kind", "应为 household、named、co_presence 或 unknown");
  }
  if (in.source_person_id == in.target_person_id) {
    return FieldInvalid("target_person_id", "传染源与被感染者不能是同一人 (no self-loop)");
  }
  const std::int64_t now = Now();
  if (in.at) {
    CORDON_RETURN_IF_ERROR(internal::PastTime("at", *in.at, now));
  }
  CORDON_RETURN_IF_ERROR(internal::Text("note", in.note.value_or(""), 0, 500));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<Exposure> out;
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto source, FindPerson(s, in.source_person_id, scope));
    if (!source) {
      return FieldInvalid("source_person_id", "人员不存在 (no such person)");
    }
    CORDON_ASSIGN_OR_RETURN(auto target, FindPerson(s, in.target_person_id, scope));
    if (!target) {
      return FieldInvalid("target_person_id", "人员不存在 (no such person)");
    }
    // A case here may have been infected by someone who lives elsewhere: one end is enough.
    if (!source->in_scope && !target->in_scope) {
      visible = false;
      return Status::Ok();
    }
    if (in.venue_code) {
      CORDON_ASSIGN_OR_RETURN(bool known, VenueExists(s, *in.venue_code));
      if (!known) {
        return FieldInvalid("venue_code", "场所码不存在 (no such venue)");
      }
    }
    CORDON_ASSIGN_OR_RETURN(bool exists,
                            ExposureExists(s, in.source_person_id, in.target_person_id));
    if (exists) {
      return AlreadyExists("该传播关系已登记 (this exposure is recorded already)");
    }
    CORDON_ASSIGN_OR_RETURN(auto links, LinksReachableFrom(s, in.target_person_id));
    if (auto loop = LoopThrough(links, in.source_person_id, in.target_person_id); !loop.empty()) {
      return Status(StatusCode::kFailedPrecondition,
                    "会形成传播环 (the link would close a loop): " + LoopText(loop),
                    {{"cycle", LoopText(loop)}});
    }
    CORDON_ASSIGN_OR_RETURN(std::int64_t id, InsertExposure(s, in, who.user.username, now));
    CORDON_ASSIGN_OR_RETURN(out, ExposureById(s, id));
    return audit_.Append(
        s, who,
        {"exposures.create", "exposure", std::to_string(id), "ok", "",
         std::to_string(in.source_person_id) + "->" + std::to_string(in.target_person_id)});
  }));
  if (!visible) {
    return Denied(who, "person", in.target_person_id,
                  "人员不在管辖范围内 (neither person is in your jurisdiction)");
  }
  return *out;
}

Status CaseService::DeleteExposure(const auth::Principal& who, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto e, ExposureById(s, id));
    const auto in_scope = [&](const std::string& path) {
      return !path.empty() && path >= scope.lo && path < scope.hi;
    };
    if (!e || (!in_scope(e->source_path) && !in_scope(e->target_path))) {
      visible = false;
      return Status::Ok();
    }
    CORDON_RETURN_IF_ERROR(cases::DeleteExposure(s, id));
    return audit_.Append(
        s, who,
        {"exposures.delete", "exposure", std::to_string(id), "ok", "",
         std::to_string(e->source_person_id) + "->" + std::to_string(e->target_person_id)});
  }));
  if (!visible) {
    return Denied(who, "exposure", id,
                  "传播关系不存在或不在管辖范围内 (no such exposure in your jurisdiction)");
  }
  return Status::Ok();
}

Result<std::vector<Cluster>> CaseService::Clusters(const auth::Principal& who) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesRead));
  std::vector<Cluster> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(
        out, ListClusters(s, ClusterScopeOf(who.region_path), auth::SubtreeRange(who.region_path)));
    return Status::Ok();
  }));
  return out;
}

Result<Cluster> CaseService::AddCluster(const auth::Principal& who, std::string_view name,
                                        std::string_view region) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  CORDON_RETURN_IF_ERROR(internal::Text("name", name, 1, 100));
  if (!auth::IsRegionCode(region)) {
    return FieldInvalid("region", "区划代码应为 6-30 位数字 (a region code is 6 to 30 digits)");
  }
  const std::int64_t now = Now();
  std::optional<Cluster> out;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(std::string path, RegionPath(s, std::string(region)));
    if (path.empty() || !auth::InSubtree(path, who.region_path)) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(
        std::int64_t id,
        InsertCluster(s, std::string(name), std::string(region), path, who.user.username, now));
    CORDON_ASSIGN_OR_RETURN(out, ClusterInScope(s, id, ClusterScopeOf(who.region_path),
                                                auth::SubtreeRange(who.region_path)));
    return audit_.Append(s, who, {"clusters.create", "cluster", std::to_string(id), "ok", "", ""});
  }));
  if (!out) {
    return regions::RegionDenied(audit_, who, region);
  }
  return *out;
}

Result<Cluster> CaseService::RenameCluster(const auth::Principal& who, std::int64_t id,
                                           std::string_view name) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  CORDON_RETURN_IF_ERROR(internal::Text("name", name, 1, 100));
  std::optional<Cluster> out;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    const auto scope = ClusterScopeOf(who.region_path);
    CORDON_ASSIGN_OR_RETURN(auto cluster,
                            ClusterInScope(s, id, scope, auth::SubtreeRange(who.region_path)));
    // Seen from below (a district's cluster from a street), a cluster is read, not renamed.
    if (!cluster || !auth::InSubtree(cluster->region_path, who.region_path)) {
      return Status::Ok();
    }
    CORDON_RETURN_IF_ERROR(cases::RenameCluster(s, id, std::string(name)));
    CORDON_ASSIGN_OR_RETURN(out, ClusterInScope(s, id, scope, auth::SubtreeRange(who.region_path)));
    return audit_.Append(s, who, {"clusters.rename", "cluster", std::to_string(id), "ok", "", ""});
  }));
  if (!out) {
    return Denied(who, "cluster", id, ClusterNotFound().message());
  }
  return *out;
}

Result<Graph> CaseService::ClusterGraph(const auth::Principal& who, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesRead));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<Graph> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto cluster,
                            ClusterInScope(s, id, ClusterScopeOf(who.region_path), scope));
    if (!cluster) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out, cases::ClusterGraph(s, id, scope));
    return Status::Ok();
  }));
  if (!out) {
    return Denied(who, "cluster", id, ClusterNotFound().message());
  }
  std::string ids;
  for (const GraphNode& n : out->nodes) {
    if (n.in_scope) {
      ids += (ids.empty() ? "" : ",") + std::to_string(n.person_id);
    }
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"clusters.graph", "person", ids, "ok", "", ""}));
  return std::move(*out);
}

Result<Curve> CaseService::EpiCurve(const auth::Principal& who, std::string_view by,
                                    std::string_view region, std::string_view from,
                                    std::string_view to) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesRead));
  const std::string mode = by.empty() ? "onset" : std::string(by);
  if (mode != "onset" && mode != "report") {
    return FieldInvalid("by", "应为 onset（按发病日期）或 report（按报告日期）");
  }
  std::chrono::year_month_day last = Today();
  if (!to.empty()) {
    auto parsed = base::ParseDate(to);
    if (!parsed.has_value()) {
      return FieldInvalid("to", parsed.error().message());
    }
    last = *parsed;
  }
  std::chrono::year_month_day first{std::chrono::sys_days(last) - std::chrono::days(27)};
  if (!from.empty()) {
    auto parsed = base::ParseDate(from);
    if (!parsed.has_value()) {
      return FieldInvalid("from", parsed.error().message());
    }
    first = *parsed;
  }
  CORDON_RETURN_IF_ERROR(DateRange(first, last, 366).status());
  std::optional<auth::PathRange> scope;
  Curve out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out, CurveCounts(s, *scope, mode, first, last, offset_));
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, region);
  }
  return out;
}

Result<CaseService::ClockBoard> CaseService::ClockOfCases(const auth::Principal& who,
                                                          std::string_view region, int days) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesRead));
  const std::int64_t now = Now();
  std::optional<auth::PathRange> scope;
  ClockBoard out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out.targets, CurrentTargets(s));
    CORDON_ASSIGN_OR_RETURN(out.cases,
                            RecentCases(s, *scope, now - std::int64_t{days} * 86400, 1000));
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, region);
  }
  std::string ids;
  for (Case& c : out.cases) {
    c.clock = ClockOf(c, out.targets, now);
    out.late += IsLate(c.clock) ? 1 : 0;
    ids += (ids.empty() ? "" : ",") + std::to_string(c.person_id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"cases.clock", "person", ids, "ok", "", ""}));
  return out;
}

}  // namespace cordon::cases
