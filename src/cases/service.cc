#include "cases/service.h"

#include <map>

#include "auth/rules.h"
#include "cases/internal/checks.h"
#include "cases/rules.h"
#include "cases/store.h"
#include "regions/scope.h"

namespace cordon::cases {
namespace {

using internal::CaseNotFound;
using internal::Require;

// The checks on a case's own fields, with every time as entered; used on create and on edit.
Status CheckCase(const Case& c, std::int64_t now, std::chrono::year_month_day today) {
  CORDON_RETURN_IF_ERROR(internal::PastTime("positive_at", c.positive_at, now));
  if (c.sampling_at != 0) {
    CORDON_RETURN_IF_ERROR(internal::PastTime("sampling_at", c.sampling_at, now));
    if (c.sampling_at > c.positive_at) {
      return FieldInvalid("sampling_at",
                          "采样时间不能晚于阳性结果时间 (sampled after the positive result)");
    }
  }
  if (c.reported_at != 0) {
    CORDON_RETURN_IF_ERROR(internal::PastTime("reported_at", c.reported_at, now));
    if (c.reported_at < c.positive_at) {
      return FieldInvalid("reported_at",
                          "报告时间不能早于阳性结果时间 (reported before the positive result)");
    }
  }
  if (!c.onset_date.empty()) {
    auto onset = base::ParseDate(c.onset_date);
    if (!onset.has_value()) {
      return FieldInvalid("onset_date", onset.error().message());
    }
    const auto days_ago = (std::chrono::sys_days(today) - std::chrono::sys_days(*onset)).count();
    if (days_ago < 0 || days_ago > 366) {
      return FieldInvalid("onset_date",
                          "发病日期应在今天及之前一年内 (onset within the last year, not in the "
                          "future)");
    }
  }
  return internal::Text("hospital", c.hospital, 0, 200);
}

std::int64_t Lookback(const Case& c, base::UtcOffset offset) {
  std::optional<std::chrono::year_month_day> onset;
  if (auto parsed = base::ParseDate(c.onset_date); parsed.has_value()) {
    onset = *parsed;
  }
  return LookbackFrom(onset, c.sampling_at, c.positive_at, offset);
}

// Whether a cluster can take a case: it must be visible to the caller.
Status CheckCluster(store::Session& s, const auth::Principal& who, std::int64_t cluster_id) {
  if (cluster_id == 0) {
    return Status::Ok();
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  CORDON_ASSIGN_OR_RETURN(auto cluster,
                          ClusterInScope(s, cluster_id, ClusterScopeOf(who.region_path), scope));
  if (!cluster) {
    return FieldInvalid("cluster_id",
                        "聚集性疫情不存在或不在管辖范围内 (no such cluster in your jurisdiction)");
  }
  return Status::Ok();
}

}  // namespace

std::int64_t CaseService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Status CaseService::Denied(const auth::Principal& who, std::string_view type, std::int64_t id,
                           std::string_view message) {
  CORDON_RETURN_IF_ERROR(audit_.Record(
      who, {"authz_denied", std::string(type), std::to_string(id), "denied", "", ""}));
  return NotFound(std::string(message));
}

Result<Case> CaseService::Create(const auth::Principal& who, const CaseInput& in) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  if (!IsClassification(in.classification)) {
    return FieldInvalid("classification",
                        "应为 confirmed（确诊）、asymptomatic（无症状）或 suspected（疑似）");
  }
  Case c;
  c.person_id = in.person_id;
  c.classification = in.classification;
  c.positive_at = in.positive_at;
  c.sampling_at = in.sampling_at.value_or(0);
  c.reported_at = in.reported_at.value_or(0);
  c.onset_date = in.onset_date.value_or("");
  c.hospital = in.hospital.value_or("");
  c.cluster_id = in.cluster_id.value_or(0);
  c.outcome = "under_treatment";
  c.created_by = who.user.username;
  const std::int64_t now = Now();
  CORDON_RETURN_IF_ERROR(CheckCase(c, now, Today()));
  c.lookback_from = Lookback(c, offset_);
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto person, FindPerson(s, in.person_id, scope));
    if (!person || !person->in_scope) {
      visible = false;
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(std::int64_t open, OpenCaseOf(s, in.person_id));
    if (open != 0) {
      return AlreadyExists("该人员已有未结案的病例 #" + std::to_string(open) +
                           " (the person already has an open case)");
    }
    CORDON_RETURN_IF_ERROR(CheckCluster(s, who, c.cluster_id));
    c.region_code = person->region_code;
    c.region_path = person->region_path;
    CORDON_ASSIGN_OR_RETURN(c.id, InsertCase(s, c, now));
    CORDON_RETURN_IF_ERROR(audit_.Append(
        s, who, {"cases.create", "case", std::to_string(c.id), "ok", "", c.classification}));
    // The case's category plan (定点医院收治) starts with the case, in the same transaction.
    return measures_
        .PutUnder(s, who, c.person_id, c.classification, "病例 #" + std::to_string(c.id))
        .status();
  }));
  if (!visible) {
    return Denied(who, "person", in.person_id,
                  "人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  return Get(who, c.id);
}

Result<Case> CaseService::Update(const auth::Principal& who, std::int64_t id,
                                 const CasePatch& patch) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  if (patch.classification && !IsClassification(*patch.classification)) {
    return FieldInvalid("classification",
                        "应为 confirmed（确诊）、asymptomatic（无症状）或 suspected（疑似）");
  }
  if (patch.outcome && !IsOutcome(*patch.outcome)) {
    return FieldInvalid("outcome", "应为 under_treatment、recovered、died 或 excluded");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto found, CaseInScope(s, id, scope));
    if (!found) {
      visible = false;
      return Status::Ok();
    }
    const Case before = *found;
    Case c = *found;
    if (c.version != patch.version) {
      return FailedPrecondition("病例已被他人修改，请刷新后重试 (stale version: reload)");
    }
    std::string fields;
    auto changed = [&](const char* field) {
      fields += (fields.empty() ? "" : ",") + std::string(field);
    };
    if (patch.classification && *patch.classification != c.classification) {
      c.classification = *patch.classification;
      changed("classification");
    }
    if (patch.hospital) {
      c.hospital = *patch.hospital;
      changed("hospital");
    }
    if (patch.outcome && *patch.outcome != c.outcome) {
      c.outcome = *patch.outcome;
      changed("outcome");
    }
    if (patch.onset_date) {
      c.onset_date = patch.onset_date->value_or("");
      changed("onset_date");
    }
    if (patch.sampling_at) {
      c.sampling_at = patch.sampling_at->value_or(0);
      changed("sampling_at");
    }
    if (patch.reported_at) {
      c.reported_at = patch.reported_at->value_or(0);
      changed("reported_at");
    }
    if (patch.cluster_id) {
      c.cluster_id = patch.cluster_id->value_or(0);
      changed("cluster_id");
    }
    CORDON_RETURN_IF_ERROR(CheckCase(c, now, Today()));
    if (c.cluster_id != before.cluster_id) {
      CORDON_RETURN_IF_ERROR(CheckCluster(s, who, c.cluster_id));
    }
    if (c.outcome == "under_treatment" && before.outcome != "under_treatment") {
      CORDON_ASSIGN_OR_RETURN(std::int64_t open, OpenCaseOf(s, c.person_id));
      if (open != 0) {
        return AlreadyExists("该人员已有未结案的病例 #" + std::to_string(open) +
                             " (the person already has an open case)");
      }
    }
    c.lookback_from = Lookback(c, offset_);
    CORDON_ASSIGN_OR_RETURN(bool updated, UpdateCase(s, c, now));
    if (!updated) {
      return FailedPrecondition("病例已被他人修改，请刷新后重试 (stale version: reload)");
    }
    CORDON_RETURN_IF_ERROR(
        audit_.Append(s, who, {"cases.update", "case", std::to_string(id), "ok", "", fields}));
    if (c.classification != before.classification && c.outcome == "under_treatment") {
      // 疑似 → 确诊 moves the person to the stronger plan; a weaker one changes no measure.
      return measures_
          .PutUnder(
              s, who, c.person_id, c.classification,
              "病例 #" + std::to_string(id) + " 订正为 " + std::string(Chinese(c.classification)))
          .status();
    }
    return Status::Ok();
  }));
  if (!visible) {
    return Denied(who, "case", id, CaseNotFound().message());
  }
  return Get(who, id);
}

Result<Case> CaseService::Get(const auth::Principal& who, std::int64_t id) {
  CORDON_ASSIGN_OR_RETURN(Detail d, GetDetail(who, id));
  return std::move(d.c);
}

Result<CaseService::Detail> CaseService::GetDetail(const auth::Principal& who, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesRead));
  std::optional<Detail> out;
  const std::int64_t now = Now();
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto c, CaseInScope(s, id, auth::SubtreeRange(who.region_path)));
    if (!c) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(ClockTargets targets, CurrentTargets(s));
    c->clock = ClockOf(*c, targets, now);
    out = Detail{std::move(*c), {}, {}};
    CORDON_ASSIGN_OR_RETURN(out->entries, ListEntries(s, id));
    CORDON_ASSIGN_OR_RETURN(out->exposures, ExposuresOf(s, out->c.person_id));
    return Status::Ok();
  }));
  if (!out) {
    return Denied(who, "case", id, CaseNotFound().message());
  }
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"cases.get", "person", std::to_string(out->c.person_id), "ok", "", ""}));
  return std::move(*out);
}

Result<std::vector<Case>> CaseService::List(const auth::Principal& who, const CaseQuery& q) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesRead));
  if (!q.classification.empty() && !IsClassification(q.classification)) {
    return FieldInvalid("classification", "应为 confirmed、asymptomatic 或 suspected");
  }
  const std::int64_t now = Now();
  std::optional<auth::PathRange> scope;
  std::vector<Case> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, q.region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(ClockTargets targets, CurrentTargets(s));
    CORDON_ASSIGN_OR_RETURN(out, ListCases(s, *scope, q, targets, now));
    for (Case& c : out) {
      c.clock = ClockOf(c, targets, now);
    }
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, q.region);
  }
  std::string ids;
  for (const Case& c : out) {
    ids += (ids.empty() ? "" : ",") + std::to_string(c.person_id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"cases.list", "person", ids, "ok", "", ""}));
  return out;
}

Result<ContactsRecorded> CaseService::RecordContacts(const auth::Principal& who,
                                                     std::int64_t case_id,
                                                     const std::vector<ListedContact>& contacts) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  // One person once, at the closest degree found; the index names the input row on errors.
  std::map<std::int64_t, std::pair<ListedContact, std::size_t>> by_person;
  for (std::size_t i = 0; i < contacts.size(); ++i) {
    const ListedContact& c = contacts[i];
    const std::string at = "contacts[" + std::to_string(i) + "]";
    if (c.degree != 1 && c.degree != 2) {
      return FieldInvalid(at + ".degree", "应为 1（密接）或 2（次密接） (1 or 2)");
    }
    if (c.person_id <= 0) {
      return FieldInvalid(at + ".person_id", "人员编号无效 (invalid person id)");
    }
    CORDON_RETURN_IF_ERROR(internal::Text(at + ".kind", c.kind, 0, 32));
    auto [it, inserted] = by_person.try_emplace(c.person_id, c, i);
    if (!inserted && c.degree < it->second.first.degree) {
      it->second = {c, i};
    }
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  const std::int64_t due = now + leads_.check_within_seconds();
  ContactsRecorded out;
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto c, CaseInScope(s, case_id, scope));
    if (!c) {
      visible = false;
      return Status::Ok();
    }
    for (const auto& [person, entry] : by_person) {
      const auto& [contact, index] = entry;
      if (person == c->person_id) {
        continue;  // the case itself, found at its own places
      }
      CORDON_ASSIGN_OR_RETURN(auto listed, ListedDegree(s, case_id, person));
      if (listed && *listed <= contact.degree) {
        ++out.already_listed;
        continue;
      }
      leads::PersonLead lead{person, contact.degree == 1 ? "close_contact" : "secondary_contact",
                             "病例 #" + std::to_string(case_id), c->positive_at};
      auto added = leads::AddPersonLead(s, "investigation", lead, now, due);
      if (!added.has_value()) {
        const StatusCode code = added.error().code();
        if (code == StatusCode::kNotFound || code == StatusCode::kFailedPrecondition) {
          return FieldInvalid("contacts[" + std::to_string(index) + "].person_id",
                              added.error().message());
        }
        return added.error();
      }
      (added->new_task ? out.leads_created : out.merged)++;
      CORDON_RETURN_IF_ERROR(SaveContact(s, case_id, contact, added->lead_id, now));
    }
    CORDON_RETURN_IF_ERROR(MarkListed(s, case_id, now));
    return audit_.Append(s, who,
                         {"cases.contacts", "case", std::to_string(case_id), "ok", "",
                          "leads_created=" + std::to_string(out.leads_created) +
                              ",merged=" + std::to_string(out.merged) +
                              ",already_listed=" + std::to_string(out.already_listed)});
  }));
  if (!visible) {
    return Denied(who, "case", case_id, CaseNotFound().message());
  }
  return out;
}

}  // namespace cordon::cases
