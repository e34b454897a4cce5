#include "followups/service.h"

#include "auth/password.h"
#include "auth/rules.h"
#include "base/text.h"
#include "followups/rules.h"
#include "followups/store.h"
#include "regions/scope.h"

namespace cordon::followups {
namespace {

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

Status TextField(std::string_view field, std::string_view text, std::size_t max) {
  if (!base::IsValidUtf8(text) || base::CodePoints(text) > max) {
    return FieldInvalid(std::string(field),
                        "内容无效或超过 " + std::to_string(max) + " 字 (invalid or too long)");
  }
  return Status::Ok();
}

std::string Cause(std::int64_t measure_id, const std::string& date, int slot,
                  std::string_view kind) {
  return std::to_string(measure_id) + ":" + date + ":" + std::to_string(slot) + ":" +
         std::string(kind);
}

}  // namespace

std::int64_t FollowupService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

int FollowupService::MinutesOfDay() const {
  auto local = clock_.Now() + offset_.minutes;
  auto since_midnight = local - std::chrono::floor<std::chrono::days>(local);
  return static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(since_midnight).count());
}

std::string FollowupService::DateToday() const {
  return base::FormatDate(base::LocalDate(clock_.Now(), offset_));
}

Result<FollowupService::TodayList> FollowupService::Today(const auth::Principal& who,
                                                          std::string_view region) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  TodayList out;
  out.date = DateToday();
  std::optional<auth::PathRange> scope;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(std::string times, FollowupTimes(s));
    CORDON_ASSIGN_OR_RETURN(out.times, ParseTimes(times));
    CORDON_ASSIGN_OR_RETURN(out.items, DueOn(s, *scope, out.date));
    CORDON_ASSIGN_OR_RETURN(auto open, OpenAlertsByKind(s, *scope));
    for (const auto& [kind, n] : open) {
      out.alerts_open += n;
    }
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, region);
  }
  const int minutes = MinutesOfDay();
  std::string ids;
  for (const auto& item : out.items) {
    ids += (ids.empty() ? "" : ",") + std::to_string(item.person_id);
    for (int slot = 1; slot <= item.followups_per_day && slot <= static_cast<int>(out.times.size());
         ++slot) {
      bool recorded = false;
      for (const auto& f : item.today) {
        recorded = recorded || f.slot == slot;
      }
      if (recorded) {
        ++out.done;
      } else if (out.times[static_cast<std::size_t>(slot - 1)] <= minutes) {
        ++out.due;
      }
    }
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"followups.list", "person", ids, "ok", "", ""}));
  return out;
}

Result<FollowupService::Recorded> FollowupService::Record(
    const auth::Principal& who, std::int64_t measure_id, int slot, std::string_view outcome,
    std::optional<double> temperature, std::string_view symptoms, std::string_view note) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  if (slot < 1) {
    return FieldInvalid("slot", "随访时段应从 1 开始 (slots start at 1)");
  }
  return RecordIn(who, auth::SubtreeRange(who.region_path), measure_id, slot, outcome, temperature,
                  symptoms, note, "worker");
}

Result<FollowupService::Recorded> FollowupService::RecordIn(
    const auth::Principal& who, const auth::PathRange& scope, std::int64_t measure_id, int slot,
    std::string_view outcome, std::optional<double> temperature, std::string_view symptoms,
    std::string_view note, std::string_view source) {
  CORDON_ASSIGN_OR_RETURN(std::string recorded, RecordedOutcome(outcome, temperature));
  CORDON_RETURN_IF_ERROR(TextField("symptoms", symptoms, 200));
  CORDON_RETURN_IF_ERROR(TextField("note", note, 500));
  if (recorded == "ok" && !symptoms.empty()) {
    recorded = "symptoms";  // a normal temperature with a cough is still a symptom to act on
  }
  Recorded out;
  out.followup.measure_id = measure_id;
  out.followup.date = DateToday();
  out.followup.slot = slot;
  out.followup.outcome = recorded;
  out.followup.temperature = temperature;
  out.followup.symptoms = std::string(symptoms);
  out.followup.note = std::string(note);
  out.followup.source = std::string(source);
  out.followup.recorded_by = who.user.username;
  out.followup.recorded_at = Now();
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto item, DueItemInScope(s, measure_id, scope));
    if (!item) {
      return NotFound(
          "没有执行中的需随访措施 (no running measure with follow-ups in your "
          "jurisdiction)");
    }
    CORDON_ASSIGN_OR_RETURN(std::string times_text, FollowupTimes(s));
    CORDON_ASSIGN_OR_RETURN(auto times, ParseTimes(times_text));
    const int slots = std::min(item->followups_per_day, static_cast<int>(times.size()));
    if (slot == 0) {
      slot = CurrentSlot(times, slots, MinutesOfDay());
      out.followup.slot = slot;
    }
    if (slot < 1 || slot > slots) {
      return FieldInvalid("slot",
                          "随访时段应为 1-" + std::to_string(slots) + " (slot out of range)");
    }
    out.followup.time = FormatTime(times[static_cast<std::size_t>(slot - 1)]);
    CORDON_ASSIGN_OR_RETURN(bool inserted, InsertFollowup(s, out.followup, item->region_path));
    if (!inserted) {
      return FailedPrecondition("该时段已随访 (this follow-up is already recorded)");
    }
    const std::int64_t now = out.followup.recorded_at;
    const std::string& date = out.followup.date;
    // A missed-follow-up alert for this slot is answered by the late record.
    CORDON_RETURN_IF_ERROR(CloseByCause(s, Cause(measure_id, date, slot, "missed"),
                                        who.user.username, "已补录随访 (recorded late)", now));
    if (auto kind = AlertKindFor(recorded)) {
      Alert a;
      a.kind = *kind;
      a.detail =
          AlertDetail(*kind, temperature, symptoms, times[static_cast<std::size_t>(slot - 1)]);
      CORDON_ASSIGN_OR_RETURN(
          a.id,
          InsertAlert(s, *item, a.kind, Cause(measure_id, date, slot, a.kind), a.detail, now));
      a.measure_id = measure_id;
      a.person_id = item->person_id;
      a.name = item->name;
      a.id_number = item->id_number;
      a.region_code = item->region_code;
      a.region_name = item->region_name;
      a.region_path = item->region_path;
      a.state = "open";
      a.raised_at = now;
      out.alert = std::move(a);
    }
    return audit_.Append(
        s, who,
        {"followups.record", "measure", std::to_string(measure_id), "ok", "",
         "slot=" + std::to_string(slot) + "," + recorded + ",source=" + std::string(source)});
  }));
  return out;
}

Result<std::string> FollowupService::IssueLink(const auth::Principal& who,
                                               std::int64_t measure_id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::string token = auth::NewToken();
  bool found = false;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto item, DueItemInScope(s, measure_id, scope));
    if (!item) {
      return Status::Ok();
    }
    found = true;
    CORDON_RETURN_IF_ERROR(
        InsertLink(s, measure_id, auth::Sha256Hex(token), who.user.username, Now()));
    return audit_.Append(s, who,
                         {"followups.link", "measure", std::to_string(measure_id), "ok", "", ""});
  }));
  if (!found) {
    return NotFound(
        "没有执行中的需随访措施 (no running measure with follow-ups in your jurisdiction)");
  }
  return token;
}

namespace {

const Status& LinkNotFound() {
  static const Status status(StatusCode::kNotFound,
                             "链接无效或已失效，请联系社区 (this link is not valid any more: "
                             "call your community)");
  return status;
}

}  // namespace

Result<FollowupService::SelfView> FollowupService::SelfStatus(std::string_view token) {
  if (token.empty() || token.size() > 128) {
    return LinkNotFound();
  }
  std::optional<SelfView> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto link, LinkByHash(s, auth::Sha256Hex(token)));
    if (!link) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(
        auto item, DueItemInScope(s, link->measure_id, auth::SubtreeRange(link->region_path)));
    if (!item) {
      return Status::Ok();
    }
    std::vector<DueItem> one{*item};
    CORDON_RETURN_IF_ERROR(FillToday(s, one, DateToday()));
    CORDON_ASSIGN_OR_RETURN(std::string times_text, FollowupTimes(s));
    SelfView v;
    CORDON_ASSIGN_OR_RETURN(v.times, ParseTimes(times_text));
    v.name = item->name;
    v.measure = item->measure;
    v.date = DateToday();
    v.today = one.front().today;
    v.followups_per_day = std::min(item->followups_per_day, static_cast<int>(v.times.size()));
    v.current_slot = CurrentSlot(v.times, v.followups_per_day, MinutesOfDay());
    out = std::move(v);
    return Status::Ok();
  }));
  if (!out) {
    return LinkNotFound();
  }
  return *out;
}

Result<FollowupService::Recorded> FollowupService::SelfRecord(
    std::string_view token, std::optional<double> temperature, std::string_view symptoms,
    std::string_view note, const std::string& ip, const std::string& request_id) {
  if (!temperature) {
    return FieldInvalid("temperature", "请填写体温 (the temperature is required)");
  }
  if (token.empty() || token.size() > 128) {
    return LinkNotFound();
  }
  std::optional<LinkTarget> link;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(link, LinkByHash(s, auth::Sha256Hex(token)));
    return Status::Ok();
  }));
  if (!link) {
    return LinkNotFound();
  }
  // The person acts for themselves: the audit trail names the measure, not an account.
  auth::Principal self;
  self.user.username = "self-report";
  self.ip = ip;
  self.request_id = request_id;
  auto recorded = RecordIn(self, auth::SubtreeRange(link->region_path), link->measure_id, 0, "ok",
                           temperature, symptoms, note, "self");
  if (!recorded.has_value() && recorded.error().code() == StatusCode::kNotFound) {
    return LinkNotFound();  // the measure ended
  }
  return recorded;
}

Result<std::vector<Alert>> FollowupService::Alerts(
    const auth::Principal& who, const AlertQuery& q,
    std::vector<std::pair<std::string, std::int64_t>>* open) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  if (q.state != "open" && q.state != "closed" && q.state != "all") {
    return FieldInvalid("state", "应为 open、closed 或 all (open, closed or all)");
  }
  std::optional<auth::PathRange> scope;
  std::vector<Alert> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, q.region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out, ListAlerts(s, *scope, q));
    if (open != nullptr) {
      CORDON_ASSIGN_OR_RETURN(*open, OpenAlertsByKind(s, *scope));
    }
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, q.region);
  }
  std::string ids;
  for (const auto& a : out) {
    ids += (ids.empty() ? "" : ",") + std::to_string(a.person_id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"alerts.list", "person", ids, "ok", "", ""}));
  return out;
}

Result<Alert> FollowupService::Close(const auth::Principal& who, std::int64_t id,
                                     std::string_view outcome) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  if (outcome.empty()) {
    return FieldInvalid("outcome", "请填写处置结果 (say how it was handled)");
  }
  CORDON_RETURN_IF_ERROR(TextField("outcome", outcome, 500));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<Alert> closed;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto found, AlertInScope(s, id, scope));
    if (!found) {
      return NotFound("预警不存在或不在管辖范围内 (no such alert in your jurisdiction)");
    }
    CORDON_ASSIGN_OR_RETURN(bool changed,
                            CloseAlert(s, id, who.user.username, std::string(outcome), Now()));
    if (!changed) {
      return FailedPrecondition("该预警已处置 (this alert is already closed)");
    }
    CORDON_RETURN_IF_ERROR(audit_.Append(
        s, who, {"alerts.close", "alert", std::to_string(id), "ok", std::string(outcome), ""}));
    CORDON_ASSIGN_OR_RETURN(closed, AlertInScope(s, id, scope));
    return Status::Ok();
  }));
  return *closed;
}

Result<std::int64_t> FollowupService::SweepMissed() {
  const std::string date = DateToday();
  const int minutes = MinutesOfDay();
  std::int64_t raised = 0;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(std::string times_text, FollowupTimes(s));
    CORDON_ASSIGN_OR_RETURN(auto times, ParseTimes(times_text));
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (times[i] + kMissedAfterMinutes > minutes) {
        continue;
      }
      CORDON_ASSIGN_OR_RETURN(
          std::int64_t n, RaiseMissed(s, date, static_cast<int>(i + 1),
                                      AlertDetail("missed", std::nullopt, "", times[i]), Now()));
      raised += n;
    }
    return Status::Ok();
  }));
  return raised;
}

}  // namespace cordon::followups
