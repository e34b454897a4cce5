#include "home_quarantine/service.h"

#include "auth/rules.h"
#include "regions/scope.h"

namespace cordon::home_quarantine {
namespace {

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

// "/440100/440106/440106001/" → the codes of every node on the path.
std::vector<std::string> CodesOnPath(const std::string& path) {
  std::vector<std::string> codes;
  std::size_t start = 1;
  while (start < path.size()) {
    const std::size_t end = path.find('/', start);
    if (end == std::string::npos) {
      break;
    }
    codes.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return codes;
}

std::size_t DutyIndex(std::string_view duty) {
  for (std::size_t i = 0; i < kDuties.size(); ++i) {
    if (kDuties[i] == duty) {
      return i;
    }
  }
  return kDuties.size();
}

Result<HouseholdStaff> Load(store::Session& s, const Household& h) {
  HouseholdStaff out;
  std::vector<Household> one{h};
  CORDON_RETURN_IF_ERROR(FillDetails(s, one));
  out.household = std::move(one.front());
  CORDON_ASSIGN_OR_RETURN(auto assigned, AssignedStaff(s, h.id));
  for (auto& [duty, staff] : assigned) {
    if (std::size_t i = DutyIndex(duty); i < kDuties.size()) {
      out.assigned[i] = std::move(staff);
    }
  }
  CORDON_ASSIGN_OR_RETURN(auto staff, StaffOf(s, CodesOnPath(h.region_path)));
  for (std::size_t i = 0; i < kDuties.size(); ++i) {
    for (const auto& person : staff) {
      if (RoleFits(kDuties[i], person.role)) {
        out.candidates[i].push_back(person);
      }
    }
  }
  return out;
}

}  // namespace

std::int64_t HomeQuarantineService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Status HomeQuarantineService::Denied(const auth::Principal& who, std::int64_t household_id) {
  CORDON_RETURN_IF_ERROR(audit_.Record(
      who, {"authz_denied", "household", std::to_string(household_id), "denied", "", ""}));
  return NotFound("住户不存在或不在管辖范围内 (no such household in your jurisdiction)");
}

Result<std::vector<Household>> HomeQuarantineService::List(const auth::Principal& who,
                                                           const Query& q,
                                                           HouseholdCounts* counts) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  std::optional<auth::PathRange> scope;
  std::vector<Household> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, q.region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out, ListHouseholds(s, *scope, q.after, q.limit, q.incomplete_only));
    CORDON_RETURN_IF_ERROR(FillDetails(s, out));
    if (counts != nullptr) {
      CORDON_ASSIGN_OR_RETURN(*counts, CountHouseholds(s, *scope));
    }
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, q.region);
  }
  std::string ids;
  for (const auto& h : out) {
    ids += (ids.empty() ? "" : ",") + std::to_string(h.id);
  }
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"home_quarantine.list", "household", ids, "ok", "", ""}));
  return out;
}

Result<HouseholdStaff> HomeQuarantineService::Staff(const auth::Principal& who,
                                                    std::int64_t household_id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  std::optional<HouseholdStaff> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto h,
                            HouseholdInScope(s, household_id, auth::SubtreeRange(who.region_path)));
    if (h) {
      CORDON_ASSIGN_OR_RETURN(out, Load(s, *h));
    }
    return Status::Ok();
  }));
  if (!out) {
    return Denied(who, household_id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(
      who, {"home_quarantine.get", "household", std::to_string(household_id), "ok", "", ""}));
  return *out;
}

Result<HouseholdStaff> HomeQuarantineService::Assign(
    const auth::Principal& who, std::int64_t household_id,
    const std::map<std::string, std::optional<std::int64_t>>& duties) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  std::optional<HouseholdStaff> out;
  Status status = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto h,
                            HouseholdInScope(s, household_id, auth::SubtreeRange(who.region_path)));
    if (!h) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(HouseholdStaff before, Load(s, *h));
    std::string changed;
    for (const auto& [duty, staff_id] : duties) {
      const std::size_t i = DutyIndex(duty);
      if (i == kDuties.size()) {
        return FieldInvalid(duty, "未知职责 (unknown duty)");
      }
      if (!staff_id) {
        CORDON_RETURN_IF_ERROR(ClearDuty(s, household_id, duty));
      } else {
        bool fits = false;
        for (const auto& c : before.candidates[i]) {
          fits = fits || c.id == *staff_id;
        }
        if (!fits) {
          return FieldInvalid(duty,
                              "该人员不是本户所在网格、社区或街道的相应包保人员 (not a "
                              "responsible person of this household's grid, community or "
                              "street for this duty)");
        }
        CORDON_RETURN_IF_ERROR(SetDuty(s, household_id, duty, *staff_id, who.user.username, Now()));
      }
      changed += (changed.empty() ? "" : ",") + duty;
    }
    CORDON_ASSIGN_OR_RETURN(h,
                            HouseholdInScope(s, household_id, auth::SubtreeRange(who.region_path)));
    CORDON_ASSIGN_OR_RETURN(out, Load(s, *h));
    return audit_.Append(
        s, who,
        {"home_quarantine.staff", "household", std::to_string(household_id), "ok", "", changed});
  });
  CORDON_RETURN_IF_ERROR(status);
  if (!out) {
    return Denied(who, household_id);
  }
  return *out;
}

}  // namespace cordon::home_quarantine
