#include "timeline/timeline.h"

#include <algorithm>
#include <cstdio>

#include "auth/rules.h"

namespace cordon::timeline {
namespace {

// Each source is one query over the person's rows: (at, kind, title, detail, by, ref).
struct Source {
  const char* kind;
  const char* sql;  // one parameter: the person id
};

constexpr Source kSources[] = {
    {"file", "SELECT created_at, '建立档案', '', '', id FROM people WHERE id = ?"},
    {"lead",
     "SELECT created_at, '收到线索', source || ' · ' || category || CASE WHEN origin <> '' THEN "
     "' · 来自 ' || origin ELSE '' END, '', id FROM leads WHERE person_id = ?"},
    {"task_opened",
     "SELECT created_at, '生成排查任务', category, '', id FROM tasks WHERE person_id = ?"},
    {"task_checked",
     "SELECT checked_at, '完成核查', check_method || CASE WHEN check_note <> '' THEN ' · ' || "
     "check_note ELSE '' END, checked_by, id FROM tasks WHERE person_id = ? AND checked_at IS NOT "
     "NULL"},
    {"measure",
     "SELECT e.at, '管控措施 · ' || m.measure, e.action || CASE WHEN e.from_state <> '' THEN ' · ' "
     "|| e.from_state || ' → ' || e.to_state ELSE ' · ' || e.to_state END || CASE WHEN e.reason "
     "<> '' THEN ' · ' || e.reason ELSE '' END, e.actor, m.id FROM measure_events e JOIN "
     "measures m ON m.id = e.measure_id WHERE m.person_id = ? AND e.action <> 'test'"},
    {"test",
     "SELECT t.recorded_at, '核酸结果', '第 ' || t.day || ' 天 · ' || t.result, t.recorded_by, "
     "m.id FROM measure_test_days t JOIN measures m ON m.id = t.measure_id WHERE m.person_id = ? "
     "AND t.recorded_at IS NOT NULL"},
    {"followup",
     "SELECT f.recorded_at, '健康随访', f.date || ' 第 ' || f.slot || ' 次 · ' || f.outcome || "
     "CASE WHEN f.temperature IS NOT NULL THEN ' · ' || CAST(ROUND(CAST(f.temperature AS NUMERIC), "
     "1) AS TEXT) || "
     "'℃' ELSE '' END, f.recorded_by, m.id FROM followups f JOIN measures m ON m.id = "
     "f.measure_id WHERE m.person_id = ?"},
    {"alert",
     "SELECT raised_at, '预警 · ' || kind, detail, '', id FROM alerts WHERE person_id = ?"},
    {"merge",
     "SELECT at, '合并档案', '并入档案 ' || merged_id || ' · ' || reason, actor, id FROM "
     "person_merges WHERE kept_id = ?"},
    {"unmerge",
     "SELECT undone_at, '撤销合并', '档案 ' || merged_id || ' 恢复 · ' || undo_reason, undone_by, "
     "id FROM person_merges WHERE kept_id = ? AND undone_at IS NOT NULL"},
    {"alert_closed",
     "SELECT closed_at, '预警处置 · ' || kind, outcome, closed_by, id FROM alerts WHERE person_id "
     "= ? AND closed_at IS NOT NULL"},
};

}  // namespace

Result<std::vector<Entry>> TimelineService::Of(const auth::Principal& who, std::int64_t person_id) {
  if (!auth::Can(who.user.role, auth::Permission::kPeopleRead)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  bool visible = false;
  std::vector<Entry> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(
        std::int64_t n,
        s.QueryInt("SELECT COUNT(*) FROM people WHERE id = ? AND region_path >= ? AND "
                   "region_path < ?",
                   {person_id, scope.lo, scope.hi}));
    visible = n == 1;
    if (!visible) {
      return Status::Ok();
    }
    for (const Source& source : kSources) {
      CORDON_RETURN_IF_ERROR(s.Query(source.sql, {person_id}, [&](const store::Row& row) {
        out.push_back({row.Int(0), source.kind, row.Text(1), row.Text(2), row.Text(3), row.Int(4)});
        return Status::Ok();
      }));
    }
    return Status::Ok();
  }));
  if (!visible) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "person", std::to_string(person_id), "denied", "", ""}));
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  // Newest first; within one second, the later step of the flow first (entries were read in
  // the order of the flow: file, lead, task, measure, test, follow-up, alert).
  std::vector<std::size_t> index(out.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    index[i] = i;
  }
  std::sort(index.begin(), index.end(), [&](std::size_t a, std::size_t b) {
    return out[a].at != out[b].at ? out[a].at > out[b].at : a > b;
  });
  std::vector<Entry> sorted;
  sorted.reserve(out.size());
  for (std::size_t i : index) {
    sorted.push_back(std::move(out[i]));
  }
  out = std::move(sorted);
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"people.timeline", "person", std::to_string(person_id), "ok", "", ""}));
  return out;
}

}  // namespace cordon::timeline
