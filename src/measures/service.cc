#include "measures/service.h"

#include "auth/rules.h"
#include "base/csv.h"
#include "base/masking.h"
#include "base/text.h"
#include "leads/rules.h"
#include "measures/store.h"
#include "regions/scope.h"
#include "sheets/xlsx.h"
#include "store/field_keys.h"

namespace cordon::measures {
namespace {

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

Status ReasonRequired(std::string_view reason) {
  if (reason.empty()) {
    return FieldInvalid("reason", "请填写原因 (a reason is required)");
  }
  if (!base::IsValidUtf8(reason) || base::CodePoints(reason) > 500) {
    return FieldInvalid("reason", "原因无效或超过 500 字 (reason invalid or over 500 characters)");
  }
  return Status::Ok();
}

const Status& MeasureNotFound() {
  static const Status* status =
      new Status(NotFound("管控措施不存在或不在管辖范围内 (no such measure in your jurisdiction)"));
  return *status;
}

// Opens a measure of plan step `step` for a person, with its test days and first event.
Result<std::int64_t> Open(store::Session& s, const auth::Principal& who, const PersonPlace& person,
                          const PlanStep& step, int profile_version,
                          std::chrono::year_month_day start, std::chrono::year_month_day today,
                          std::string place, std::int64_t previous_id, std::int64_t now,
                          const std::string& reason) {
  Measure m;
  m.person_id = person.id;
  m.category = step.category;
  m.profile_version = profile_version;
  m.step = step.step;
  m.measure = step.measure;
  m.state = start <= today ? "active" : "planned";
  m.place = std::move(place);
  m.start_date = base::FormatDate(start);
  m.end_date = step.days > 0 ? base::FormatDate(DateOfDay(start, step.days)) : "";
  m.days = step.days;
  m.test_days_spec = step.test_days;
  m.followups_per_day = step.followups_per_day;
  m.region_code = person.region_code;
  m.region_path = person.region_path;
  m.previous_id = previous_id;
  CORDON_ASSIGN_OR_RETURN(m.id, InsertMeasure(s, m, now));
  CORDON_ASSIGN_OR_RETURN(std::vector<int> days, RequiredTestDays(m));
  std::vector<std::pair<int, std::string>> dated;
  dated.reserve(days.size());
  for (int d : days) {
    dated.emplace_back(d, base::FormatDate(DateOfDay(start, d)));
  }
  CORDON_RETURN_IF_ERROR(AddTestDays(s, m, dated));
  CORDON_RETURN_IF_ERROR(
      AddEvent(s, m.id, {now, who.user.username, "create", "", m.state, reason}));
  return m.id;
}

// Ends a current measure as escalated (its open test days void), for the stronger plan that
// follows it.
Status Escalate(store::Session& s, const auth::Principal& who, Measure& m, std::string_view reason,
                std::int64_t now) {
  const std::string from = m.state;
  CORDON_ASSIGN_OR_RETURN(m.state, NextState(from, Action::kEscalate));
  CORDON_RETURN_IF_ERROR(UpdateMeasure(s, m, now));
  CORDON_RETURN_IF_ERROR(VoidOpenTestDays(s, m.id));
  return AddEvent(s, m.id,
                  {now, who.user.username, "escalate", from, m.state, std::string(reason)});
}

}  // namespace

std::int64_t MeasureService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<Profile> MeasureService::CurrentProfile(const auth::Principal& who) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  Profile p;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(p, measures::CurrentProfile(s));
    return Status::Ok();
  }));
  return p;
}

Result<Measure> MeasureService::Create(const auth::Principal& who, std::int64_t person_id,
                                       std::string_view category, std::string_view start_date,
                                       std::string_view place) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  if (leads::CategoryRank(category) < 1) {
    return FieldInvalid("category", "人员类别无效 (unknown risk category)");
  }
  const auto today = Today();
  auto start = start_date.empty() ? today : base::ParseDate(start_date);
  if (!start.has_value()) {
    return FieldInvalid("start_date", start.error().message());
  }
  const int offset_days = DayIndex(today, *start) - 1;  // start - today
  if (offset_days < -60 || offset_days > 30) {
    return FieldInvalid("start_date",
                        "开始日期应在 60 天前至 30 天后之间 (start within 60 days "
                        "back and 30 ahead)");
  }
  if (!base::IsValidUtf8(place) || base::CodePoints(place) > 200) {
    return FieldInvalid("place", "地点无效或过长 (place invalid or too long)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::int64_t id = 0;
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto person, PersonInScope(s, person_id, scope));
    if (!person) {
      visible = false;
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(auto current, CurrentOf(s, person_id));
    if (current) {
      return FailedPrecondition("该人员已在管控中（" + current->measure +
                                "）；改变类别请用升级 (already under a measure: re-classify)");
    }
    CORDON_ASSIGN_OR_RETURN(Profile profile, measures::CurrentProfile(s));
    CORDON_ASSIGN_OR_RETURN(auto step, Step(s, profile.version, std::string(category), 1));
    if (!step) {
      return FieldInvalid("category", "现行方案没有该类别的管控方案 (no plan for this category)");
    }
    CORDON_ASSIGN_OR_RETURN(id, Open(s, who, *person, *step, profile.version, *start, today,
                                     std::string(place), 0, Now(), ""));
    return audit_.Append(
        s, who,
        {"measures.create", "measure", std::to_string(id), "ok", "", std::string(category)});
  }));
  if (!visible) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "person", std::to_string(person_id), "denied", "", ""}));
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  return Get(who, id);
}

Result<Measure> MeasureService::Classify(const auth::Principal& who, std::int64_t person_id,
                                         std::string_view category, std::string_view reason) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  CORDON_RETURN_IF_ERROR(ReasonRequired(reason));
  if (leads::CategoryRank(category) < 1) {
    return FieldInvalid("category", "人员类别无效 (unknown risk category)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<Measure> current;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto person, PersonInScope(s, person_id, scope));
    if (person) {
      CORDON_ASSIGN_OR_RETURN(current, CurrentOf(s, person_id));
    }
    return Status::Ok();
  }));
  if (!current) {
    return Create(who, person_id, category, "", "");  // audits a denial itself
  }
  if (leads::CategoryRank(category) <= leads::CategoryRank(current->category)) {
    return FailedPrecondition("该人员已按“" + current->category +
                              "”管控，不低于新类别 (already under an equal or stronger "
                              "category)");
  }
  const auto today = Today();
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    // Read again inside the transaction: it may have changed since.
    CORDON_ASSIGN_OR_RETURN(auto person, PersonInScope(s, person_id, scope));
    CORDON_ASSIGN_OR_RETURN(auto now_current, CurrentOf(s, person_id));
    if (!person || !now_current || now_current->id != current->id) {
      return FailedPrecondition("管控状态已变化，请刷新后重试 (changed meanwhile: reload)");
    }
    Measure old = *now_current;
    const std::int64_t now = Now();
    CORDON_RETURN_IF_ERROR(Escalate(s, who, old, reason, now));
    CORDON_ASSIGN_OR_RETURN(Profile profile, measures::CurrentProfile(s));
    CORDON_ASSIGN_OR_RETURN(auto step, Step(s, profile.version, std::string(category), 1));
    if (!step) {
      return FieldInvalid("category", "现行方案没有该类别的管控方案 (no plan for this category)");
    }
    CORDON_ASSIGN_OR_RETURN(id, Open(s, who, *person, *step, profile.version, today, today,
                                     old.place, old.id, now, std::string(reason)));
    return audit_.Append(s, who,
                         {"measures.classify", "measure", std::to_string(id), "ok",
                          std::string(reason), std::string(category)});
  }));
  return Get(who, id);
}

Result<std::int64_t> MeasureService::PutUnder(store::Session& s, const auth::Principal& who,
                                              std::int64_t person_id, std::string_view category,
                                              std::string_view reason) {
  if (leads::CategoryRank(category) < 1) {
    return FieldInvalid("category", "人员类别无效 (unknown risk category)");
  }
  // Every placed person: the caller has checked the jurisdiction.
  const auth::PathRange everywhere{"/", "0"};
  CORDON_ASSIGN_OR_RETURN(auto person, PersonInScope(s, person_id, everywhere));
  if (!person) {
    return NotFound("人员不存在或未分配网格 (no such person, or not placed)");
  }
  CORDON_ASSIGN_OR_RETURN(auto current, CurrentOf(s, person_id));
  if (current && leads::CategoryRank(category) <= leads::CategoryRank(current->category)) {
    return std::int64_t{0};
  }
  CORDON_ASSIGN_OR_RETURN(Profile profile, measures::CurrentProfile(s));
  CORDON_ASSIGN_OR_RETURN(auto step, Step(s, profile.version, std::string(category), 1));
  if (!step) {
    return FieldInvalid("category", "现行方案没有该类别的管控方案 (no plan for this category)");
  }
  const std::int64_t now = Now();
  const auto today = Today();
  std::string place;
  std::int64_t previous = 0;
  if (current) {
    CORDON_RETURN_IF_ERROR(Escalate(s, who, *current, reason, now));
    place = current->place;
    previous = current->id;
  }
  CORDON_ASSIGN_OR_RETURN(std::int64_t id, Open(s, who, *person, *step, profile.version, today,
                                                today, place, previous, now, std::string(reason)));
  CORDON_RETURN_IF_ERROR(
      audit_.Append(s, who,
                    {current ? "measures.classify" : "measures.create", "measure",
                     std::to_string(id), "ok", std::string(reason), std::string(category)}));
  return id;
}

Result<Measure> MeasureService::RecordTest(const auth::Principal& who, std::int64_t id, int day,
                                           std::string_view result) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  if (result != "negative" && result != "positive") {
    return FieldInvalid("result", "结果应为 negative（阴性）或 positive（阳性）");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const auto today = Today();
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto m, MeasureInScope(s, id, scope));
    if (!m) {
      return MeasureNotFound();
    }
    if (m->state != "active" && m->state != "extended") {
      return FailedPrecondition("只能为执行中的措施录入核酸结果 (the measure is not running)");
    }
    auto start = base::ParseDate(m->start_date);
    const int today_index = start.has_value() ? DayIndex(*start, today) : 0;
    bool scheduled = false;
    for (const auto& t : m->tests) {
      scheduled = scheduled || t.day == day;
    }
    if (!scheduled) {
      return FieldInvalid("day", "第 " + std::to_string(day) +
                                     " 天不是该措施的采样日 (not a test day of this measure)");
    }
    if (day > today_index) {
      return FieldInvalid(
          "day", "第 " + std::to_string(day) + " 天还没到，不能录入 (that day has not come yet)");
    }
    const std::int64_t now = Now();
    CORDON_RETURN_IF_ERROR(RecordResult(s, id, day, std::string(result), who.user.username, now));
    CORDON_RETURN_IF_ERROR(AddEvent(s, id,
                                    {now, who.user.username, "test", m->state, m->state,
                                     "第 " + std::to_string(day) + " 天 " + std::string(result)}));
    return audit_.Append(s, who,
                         {"measures.test", "measure", std::to_string(id), "ok", "",
                          "day=" + std::to_string(day) + "," + std::string(result)});
  }));
  return Get(who, id);
}

Result<MeasureService::Transitioned> MeasureService::Transition(const auth::Principal& who,
                                                                std::int64_t id,
                                                                std::string_view action_name,
                                                                int days, std::string_view reason) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresWrite));
  auto action = ParseAction(action_name);
  if (!action || *action == Action::kEscalate) {
    return FieldInvalid("action", "操作应为 start、extend、release、cancel 或 transfer");
  }
  if (*action == Action::kExtend && (days < 1 || days > 14)) {
    return FieldInvalid("days", "延长天数应为 1-14 (extend by 1 to 14 days)");
  }
  if (*action == Action::kExtend || *action == Action::kCancel || *action == Action::kTransfer) {
    CORDON_RETURN_IF_ERROR(ReasonRequired(reason));
  } else if (!base::IsValidUtf8(reason) || base::CodePoints(reason) > 500) {
    return FieldInvalid("reason", "原因无效或超过 500 字 (reason invalid or over 500 characters)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const auto today = Today();
  Transitioned out;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto m, MeasureInScope(s, id, scope));
    if (!m) {
      return MeasureNotFound();
    }
    CORDON_ASSIGN_OR_RETURN(std::string to, NextState(m->state, *action));
    auto start = base::ParseDate(m->start_date);
    if (!start.has_value()) {
      return Internal("measure " + std::to_string(id) + " has a bad start date");
    }
    if (*action == Action::kRelease) {
      CORDON_ASSIGN_OR_RETURN(auto missing, MissingForRelease(*m, today));
      if (!missing.empty()) {
        std::string message =
            "尚不能解除：" + std::to_string(missing.size()) + " 项未满足 (not ready for release)";
        std::vector<FieldError> details;
        details.reserve(missing.size());
        for (auto& text : missing) {
          details.push_back({"missing", std::move(text)});
        }
        return Status(StatusCode::kFailedPrecondition, std::move(message), std::move(details));
      }
    }
    if (*action == Action::kStart && DayIndex(*start, today) < 1) {
      return FailedPrecondition("开始日期 " + m->start_date + " 还没到 (the measure starts later)");
    }
    if (*action == Action::kExtend && m->days == 0) {
      return FailedPrecondition("不定期的措施不能延长 (an open-ended measure cannot be extended)");
    }
    const std::string from = m->state;
    m->state = to;
    if (*action == Action::kExtend) {
      m->extended_days += days;
      const int total = m->days + m->extended_days;
      m->end_date = base::FormatDate(DateOfDay(*start, total));
      CORDON_RETURN_IF_ERROR(
          AddTestDays(s, *m, {{total, base::FormatDate(DateOfDay(*start, total))}}));
    }
    const std::int64_t now = Now();
    CORDON_RETURN_IF_ERROR(UpdateMeasure(s, *m, now));
    if (*action == Action::kCancel || *action == Action::kTransfer) {
      CORDON_RETURN_IF_ERROR(VoidOpenTestDays(s, id));
    }
    CORDON_RETURN_IF_ERROR(AddEvent(
        s, id,
        {now, who.user.username, std::string(action_name), from, to,
         *action == Action::kExtend ? "延长 " + std::to_string(days) + " 天：" + std::string(reason)
                                    : std::string(reason)}));
    if (*action == Action::kRelease) {
      // The plan goes on (7 d central quarantine, then 3 d home monitoring) under the
      // profile version this measure was made under.
      CORDON_ASSIGN_OR_RETURN(auto next, Step(s, m->profile_version, m->category, m->step + 1));
      if (next) {
        PersonPlace person{m->person_id, m->region_code, m->region_path};
        auto next_start = DateOfDay(*start, m->days + m->extended_days + 1);
        CORDON_ASSIGN_OR_RETURN(out.next_id, Open(s, who, person, *next, m->profile_version,
                                                  next_start, today, "", m->id, now,
                                                  "上一阶段解除后自动衔接 (follows the released "
                                                  "step)"));
      }
    }
    return audit_.Append(s, who,
                         {"measures." + std::string(action_name), "measure", std::to_string(id),
                          "ok", std::string(reason), ""});
  }));
  CORDON_ASSIGN_OR_RETURN(out.measure, Get(who, id));
  return out;
}

Result<Measure> MeasureService::Get(const auth::Principal& who, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  std::optional<Measure> m;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(m, MeasureInScope(s, id, auth::SubtreeRange(who.region_path)));
    return Status::Ok();
  }));
  if (!m) {
    CORDON_RETURN_IF_ERROR(
        audit_.Record(who, {"authz_denied", "measure", std::to_string(id), "denied", "", ""}));
    return MeasureNotFound();
  }
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"measures.get", "person", std::to_string(m->person_id), "ok", "", ""}));
  return *m;
}

Result<MeasureService::Summary> MeasureService::Summarize(const auth::Principal& who,
                                                          std::string_view region) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  std::optional<regions::Breakdown> breakdown;
  std::map<std::string, MeasureTally> parts;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(breakdown, regions::BreakdownOf(s, who, region));
    if (!breakdown) {
      return Status::Ok();
    }
    const std::size_t part = breakdown->child_path_length == 0 ? breakdown->node.path.size()
                                                               : breakdown->child_path_length;
    CORDON_ASSIGN_OR_RETURN(parts, TallyMeasures(s, auth::SubtreeRange(breakdown->node.path), part,
                                                 base::FormatDate(Today())));
    return Status::Ok();
  }));
  if (!breakdown) {
    return regions::RegionDenied(audit_, who, region);
  }
  Summary out;
  out.children.resize(breakdown->children.size());
  for (const auto& [path, tally] : parts) {
    const regions::BreakdownNode* child = breakdown->ChildOf(path);
    // A grid has no parts: its rows are its own, in the totals only.
    if (breakdown->children.empty()) {
      out.totals.Add(tally);
      continue;
    }
    (child == nullptr ? out.own
                      : out.children[static_cast<std::size_t>(child - breakdown->children.data())])
        .Add(tally);
    out.totals.Add(tally);
  }
  out.breakdown = std::move(*breakdown);
  return out;
}

Result<std::vector<Measure>> MeasureService::List(const auth::Principal& who, const MeasureQuery& q,
                                                  MeasureCounts* counts) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  if (q.state != "current" && q.state != "released" && q.state != "all") {
    return FieldInvalid("state", "应为 current、released 或 all (current, released or all)");
  }
  std::optional<auth::PathRange> scope;
  std::vector<Measure> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, q.region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(out, ListMeasures(s, *scope, q));
    if (counts != nullptr) {
      CORDON_ASSIGN_OR_RETURN(*counts, CountMeasures(s, *scope, base::FormatDate(Today())));
    }
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, q.region);
  }
  std::string ids;
  for (const auto& m : out) {
    ids += (ids.empty() ? "" : ",") + std::to_string(m.person_id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"measures.list", "person", ids, "ok", "", ""}));
  return out;
}

Result<std::string> MeasureService::ExportScope(const auth::Principal& who, const MeasureQuery& q) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  if (q.state != "current" && q.state != "released" && q.state != "all") {
    return FieldInvalid("filter.state", "应为 current、released 或 all (current, released or all)");
  }
  std::optional<auth::PathRange> scope;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, q.region));
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, q.region);
  }
  return scope->lo;
}

Status MeasureService::ExportRows(
    const auth::Principal& who, const MeasureQuery& q, bool unmasked,
    const std::function<Status(const std::vector<std::string>&)>& row) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kMeasuresRead));
  const auto today = Today();
  return db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto scope, regions::ListScope(s, who, q.region));
    if (!scope) {
      return NotFound("区域不存在 (no such region)");
    }
    // Pages of 1,000 on the list's own keyset: memory stays flat however many rows there are.
    MeasureQuery page = q;
    page.limit = 1000;
    std::vector<std::string> cells;
    while (true) {
      CORDON_ASSIGN_OR_RETURN(auto list, ListMeasures(s, *scope, page));
      for (const Measure& m : list) {
        std::string day;
        if (auto start = base::ParseDate(m.start_date); start.has_value() && IsCurrent(m.state)) {
          day = std::to_string(DayIndex(*start, today));
        }
        std::string missing;
        if (m.state == "active" || m.state == "extended") {
          CORDON_ASSIGN_OR_RETURN(auto items, MissingForRelease(m, today));
          for (const auto& item : items) {
            missing += (missing.empty() ? "" : "；") + item.substr(0, item.find(" ("));
          }
        }
        // Lists hold the masked form; an approved unmasked export opens each whole.
        std::string id_number = m.person_id_number;
        if (unmasked) {
          CORDON_ASSIGN_OR_RETURN(id_number, store::PersonIdNumber(s, m.person_id));
        }
        cells = {unmasked ? m.person_name : base::MaskName(m.person_name),
                 id_number,
                 m.category,
                 m.measure,
                 m.state,
                 m.start_date,
                 m.end_date,
                 day,
                 m.region_name,
                 m.place,
                 missing};
        CORDON_RETURN_IF_ERROR(row(cells));
      }
      if (static_cast<int>(list.size()) < page.limit) {
        return Status::Ok();
      }
      page.after = {list.back().region_path, list.back().id};
    }
  });
}

}  // namespace cordon::measures
