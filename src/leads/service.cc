#include "leads/service.h"

#include <map>
#include <nlohmann/json.hpp>

#include "auth/password.h"
#include "auth/rules.h"
#include "base/csv.h"
#include "base/masking.h"
#include "base/text.h"
#include "leads/report.h"
#include "leads/rules.h"
#include "leads/store.h"
#include "people/duplicate_queue.h"
#include "regions/scope.h"

namespace cordon::leads {
namespace {

constexpr std::size_t kMaxRows = 200'000;

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

RowReport Rejected(std::size_t line, const Status& error) {
  RowReport r;
  r.line = line;
  r.outcome = Outcome::kRejected;
  if (!error.details().empty()) {
    r.field = error.details().front().field;
    r.reason = error.details().front().message;
  } else {
    r.reason = error.message();
  }
  return r;
}

// Region lookups repeat for every row of a grid: kept for the length of one import.
class RegionCache {
 public:
  explicit RegionCache(store::Session& s) : s_(s) {}
  Result<std::optional<RegionRef>> Get(const std::string& code) {
    if (auto it = cache_.find(code); it != cache_.end()) {
      return it->second;
    }
    CORDON_ASSIGN_OR_RETURN(auto region, Region(s_, code));
    cache_.emplace(code, region);
    return region;
  }

 private:
  store::Session& s_;
  std::map<std::string, std::optional<RegionRef>> cache_;
};

// A stored report as `who` may see it: the person and task ids only when the import was made
// inside their jurisdiction (the same file sent by two districts is one import).
ImportReport ReadStored(const StoredImport& stored, const auth::Principal& who) {
  ImportReport r = ReportFromJson(nlohmann::json::parse(stored.report_json));
  r.import_id = stored.id;
  if (!auth::InSubtree(stored.region_path, who.region_path)) {
    for (auto& row : r.rows) {
      row.person_id = 0;
      row.task_id = 0;
    }
  }
  return r;
}

// Adds a new lead to the person's one open task (raising its category when the lead's is
// stronger), or opens the task in `region`; then records the lead. Sets the outcome, task and
// lead of `r`.
Status AttachLead(store::Session& s, std::string_view source, std::int64_t import_id,
                  const LeadRow& row, const std::string& key, std::int64_t person_id,
                  const RegionRef& region, bool unrouted, std::int64_t now, std::int64_t due_at,
                  RowReport& r) {
  CORDON_ASSIGN_OR_RETURN(auto open, OpenTaskOf(s, person_id));
  if (open) {
    r.outcome = Outcome::kMerged;
    r.task_id = open->id;
    r.reason = "并入该人员已有的排查任务 (joined the person's open task)";
    if (CategoryRank(row.category) > CategoryRank(open->category)) {
      CORDON_RETURN_IF_ERROR(RaiseCategory(s, open->id, row.category));
    }
  } else {
    r.outcome = Outcome::kAccepted;
    CORDON_ASSIGN_OR_RETURN(r.task_id,
                            InsertTask(s, person_id, row.category, region, unrouted, now, due_at));
  }
  nlohmann::json notes = nlohmann::json::object();
  for (const auto& [k, v] : row.notes) {
    notes[k] = v;
  }
  CORDON_ASSIGN_OR_RETURN(r.lead_id, InsertLead(s, key, std::string(source), import_id, row,
                                                person_id, r.task_id, notes.dump(), now));
  return Status::Ok();
}

// Matches one valid row to a person (by ID number, else by name and phone), creates the file
// of an unknown ID in the grid of its building, and adds the lead to the person's one open task
// (or opens it). Rejections are returned, not raised: the rest of the file goes on.
Result<RowReport> ApplyLead(store::Session& s, const auth::Principal& who, std::string_view source,
                            std::int64_t import_id, const LeadRow& row, RegionCache& regions,
                            const std::optional<RegionRef>& importer_region, std::int64_t now,
                            std::chrono::year_month_day today, std::int64_t check_within_seconds) {
  RowReport r;
  r.line = row.line;
  const std::string key = RowKey(source, row);
  CORDON_ASSIGN_OR_RETURN(std::int64_t known, LeadByKey(s, key));

  // Who is it? By ID number; else by name and phone, which must name exactly one file.
  std::optional<PersonRef> person;
  if (!row.id_number.empty()) {
    CORDON_ASSIGN_OR_RETURN(person, PersonByDocument(s, row.id_type, row.id_number));
  } else {
    CORDON_ASSIGN_OR_RETURN(auto same_phone, PeopleByPhone(s, row.phone));
    std::vector<PersonRef> same;
    for (auto& p : same_phone) {
      if (p.name == row.name) {
        same.push_back(std::move(p));
      }
    }
    if (same.size() > 1) {
      return Rejected(
          row.line,
          FieldInvalid("id_number", "有 " + std::to_string(same.size()) +
                                        " 份姓名和手机号相同的档案，请补充身份证号 (several "
                                        "files share this name and phone: add the ID)"));
    }
    if (same.empty()) {
      return Rejected(row.line, FieldInvalid("id_number",
                                             "未找到姓名和手机号相符的人员档案，请补充身份证号 "
                                             "(no file with this name and phone: add the ID)"));
    }
    person = std::move(same.front());
  }
  if (known != 0) {
    r.outcome = Outcome::kMerged;
    r.lead_id = known;
    r.reason = "同一线索已导入过，未重复登记 (this lead was imported before)";
    // The ids only for people inside the importer's jurisdiction, as below.
    if (person && auth::InSubtree(person->region_path, who.region_path)) {
      r.person_id = person->id;
      CORDON_ASSIGN_OR_RETURN(auto open, OpenTaskOf(s, person->id));
      r.task_id = open ? open->id : 0;
    }
    return r;
  }

  // A new person is placed in the grid of their building, if one is on file.
  std::optional<RegionRef> region;
  bool unrouted = false;
  if (!person) {
    if (row.name.empty()) {
      return Rejected(row.line, FieldInvalid("name",
                                             "身份证号不在档案中，新建档案需要姓名 (a new person "
                                             "file needs a name)"));
    }
    if (std::string building = BuildingOf(row.address); !building.empty()) {
      CORDON_ASSIGN_OR_RETURN(auto grid, GridOfBuilding(s, building));
      if (grid) {
        CORDON_ASSIGN_OR_RETURN(region, regions.Get(*grid));
      }
    }
    if (!region) {
      region = importer_region;
      unrouted = true;
    }
    if (row.sex.empty() || row.birth_date.empty()) {
      return Rejected(row.line,
                      FieldInvalid(row.sex.empty() ? "sex" : "birth_date",
                                   "非身份证人员新建档案需填写性别和出生日期 (a new file from a "
                                   "passport or other document needs the sex and birth date)"));
    }
    if (Status guardian = GuardianOfMinor(row, today); !guardian.ok()) {
      return Rejected(row.line, guardian);
    }
    CORDON_ASSIGN_OR_RETURN(std::int64_t id, InsertPerson(s, row, *region, now));
    person = PersonRef{id, row.name, region->code, region->path};
    // An ID not on file under a name and phone that are: a mistyped ID, or a namesake sharing
    // a phone. The lead goes ahead on the new file; a person decides whether to merge.
    CORDON_ASSIGN_OR_RETURN(int doubtful,
                            people::QueueSameNamePhone(s, id, source, who.user.username, now));
    r.doubtful = doubtful > 0;
    // One Chinese sentence, then its English in brackets, as every message here.
    std::string zh = "新建档案";
    std::string en = "new person file";
    if (unrouted) {
      zh += "；住址未匹配到网格，进入待分配";
      en += "; address matched no grid: waiting to be assigned";
    }
    if (r.doubtful) {
      zh += "；与已有档案姓名、手机号相同，已提交疑似重复核对";
      en += "; same name and phone as a file on record: queued for a duplicate check";
    }
    r.reason = zh + " (" + en + ")";
  } else if (!person->region_code.empty()) {
    CORDON_ASSIGN_OR_RETURN(region, regions.Get(person->region_code));
  }
  if (!region) {
    region = importer_region;
    unrouted = true;
  }
  r.person_id = person->id;
  CORDON_RETURN_IF_ERROR(AttachLead(s, source, import_id, row, key, person->id, *region, unrouted,
                                    now, now + check_within_seconds, r));
  if (!auth::InSubtree(region->path, who.region_path)) {
    // A 协查 list names people who live elsewhere: their task goes to their own grid, and
    // the importer learns no more than that.
    r.person_id = 0;
    r.task_id = 0;
    r.doubtful = false;  // that a namesake is on file elsewhere is not the importer's to learn
    r.reason = "已移交属地网格核查 (handed to the grid where the person lives)";
  }
  return r;
}

}  // namespace

Result<PersonLeadAdded> AddPersonLead(store::Session& s, std::string_view source,
                                      const PersonLead& lead, std::int64_t now,
                                      std::int64_t due_at) {
  LeadRow row;
  std::string region_code;
  bool found = false;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT id_type, id_number_sealed, name, phone_sealed, region_code, region_path "
      "FROM people WHERE id = ?",
      {lead.person_id}, [&](const store::Row& p) {
        found = true;
        row.id_type = p.Text(0);
        CORDON_ASSIGN_OR_RETURN(row.id_number,
                                s.Fields().Open(store::SealedField::kIdNumber, p.Text(1)));
        row.name = p.Text(2);
        CORDON_ASSIGN_OR_RETURN(row.phone, s.Fields().Open(store::SealedField::kPhone, p.Text(3)));
        // A merged file's tombstone has no place: its leads go to the file kept.
        region_code = p.IsNull(5) || p.IsNull(4) ? "" : p.Text(4);
        return Status::Ok();
      }));
  if (!found) {
    return NotFound("人员不存在 (no such person)");
  }
  if (region_code.empty()) {
    return FailedPrecondition("该档案已合并或未分配网格 (the file was merged or has no grid)");
  }
  row.category = lead.category;
  row.origin = lead.origin;
  row.reported_at = lead.reported_at;
  const std::string key = RowKey(source, row);
  CORDON_ASSIGN_OR_RETURN(std::int64_t known, LeadByKey(s, key));
  if (known != 0) {
    CORDON_ASSIGN_OR_RETURN(auto open, OpenTaskOf(s, lead.person_id));
    return PersonLeadAdded{known, open ? open->id : 0, false, false};
  }
  CORDON_ASSIGN_OR_RETURN(auto region, Region(s, region_code));
  if (!region) {
    return Internal("person " + std::to_string(lead.person_id) + " names an unknown region");
  }
  RowReport r;
  CORDON_RETURN_IF_ERROR(
      AttachLead(s, source, 0, row, key, lead.person_id, *region, false, now, due_at, r));
  return PersonLeadAdded{r.lead_id, r.task_id, true, r.outcome == Outcome::kAccepted};
}

LeadService::LeadService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
                         base::UtcOffset offset, std::int64_t check_within_seconds)
    : db_(db),
      audit_(audit),
      clock_(clock),
      offset_(offset),
      check_within_seconds_(check_within_seconds) {}

std::int64_t LeadService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<ImportReport> LeadService::Import(const auth::Principal& who, std::string_view source,
                                         std::string_view file_name, std::string_view bytes) {
  // Grid workers bring in what they find at the door; lists and pushes are the command's.
  if (!(source == "door_to_door" && auth::Can(who.user.role, auth::Permission::kPeopleWrite))) {
    CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kLeadsImport));
  }
  if (!IsSource(source)) {
    return FieldInvalid("source",
                        "线索来源应为 assist_notice、data_push、self_report、"
                        "door_to_door、checkpoint 或 tip_off (unknown source)");
  }
  ImportReport report;
  report.source = std::string(source);
  report.file_name = file_name.empty() ? "leads.csv" : std::string(file_name);
  if (!base::IsValidUtf8(report.file_name) || base::CodePoints(report.file_name) > 200) {
    return FieldInvalid("file_name", "文件名无效或过长 (file name invalid or too long)");
  }
  const std::string file_hash = auth::Sha256Hex(std::string(source) + "\n" + std::string(bytes));

  std::optional<StoredImport> earlier;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(earlier, FindImport(s, file_hash));
    return Status::Ok();
  }));
  auto answer_earlier = [&](const StoredImport& stored) {
    ImportReport r = ReadStored(stored, who);
    r.already_imported = true;
    return r;
  };
  if (earlier) {
    return answer_earlier(*earlier);
  }

  CORDON_ASSIGN_OR_RETURN(base::CsvDocument doc, base::ParseCsv(bytes, kMaxRows));
  CORDON_ASSIGN_OR_RETURN(Columns columns, FindColumns(doc.header));
  const auto now_point = clock_.Now();
  const std::int64_t now = Now();
  const auto today = base::LocalDate(now_point, offset_);

  // Validation needs no database: every row is read before the transaction starts.
  std::vector<Result<LeadRow>> rows;
  rows.reserve(doc.rows.size());
  for (const auto& row : doc.rows) {
    rows.push_back(ReadRow(row, doc.header, columns, now_point, offset_));
  }

  Status written = db_.Write([&](store::Session& s) -> Status {
    // Another import of the same bytes may have committed since the check above.
    CORDON_ASSIGN_OR_RETURN(earlier, FindImport(s, file_hash));
    if (earlier) {
      return Status::Ok();
    }
    RegionCache regions(s);
    CORDON_ASSIGN_OR_RETURN(auto importer_region, regions.Get(who.user.region_code));
    if (!importer_region) {
      return PermissionDenied("当前用户没有管辖区域 (your account has no jurisdiction)");
    }
    CORDON_ASSIGN_OR_RETURN(report.import_id, InsertImport(s, file_hash, report, who.user.username,
                                                           who.region_path, now));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const std::size_t line = doc.rows[i].line;
      if (!rows[i].has_value()) {
        report.rows.push_back(Rejected(line, rows[i].error()));
        continue;
      }
      CORDON_ASSIGN_OR_RETURN(RowReport r,
                              ApplyLead(s, who, source, report.import_id, *rows[i], regions,
                                        importer_region, now, today, check_within_seconds_));
      report.rows.push_back(std::move(r));
    }
    for (const auto& r : report.rows) {
      (r.outcome == Outcome::kAccepted ? report.accepted
       : r.outcome == Outcome::kMerged ? report.merged
                                       : report.rejected)++;
      report.doubtful += r.doubtful ? 1 : 0;
    }
    CORDON_RETURN_IF_ERROR(
        SaveImportReport(s, report.import_id, report, ReportJson(report).dump()));
    return audit_.Append(s, who,
                         {"leads.import", "lead_import", std::to_string(report.import_id), "ok", "",
                          "accepted=" + std::to_string(report.accepted) +
                              ",merged=" + std::to_string(report.merged) +
                              ",rejected=" + std::to_string(report.rejected)});
  });
  CORDON_RETURN_IF_ERROR(written);
  if (earlier) {
    return answer_earlier(*earlier);
  }
  return report;
}

Result<std::string> LeadService::SelfReport(const SelfReportForm& form, std::string_view ip,
                                            std::string_view request_id) {
  std::vector<FieldError> missing;
  for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"name", &form.name},
                                     {"id_number", &form.id_number},
                                     {"phone", &form.phone},
                                     {"address", &form.address},
                                     {"origin", &form.origin},
                                     {"arrival_date", &form.arrival_date}}) {
    if (value->empty()) {
      missing.push_back({field, "必填 (required)"});
    }
  }
  if (!missing.empty()) {
    return InvalidArgument("请填写所有必填项 (fill in every required field)", std::move(missing));
  }
  std::string category = form.risk.empty() ? "unclassified" : form.risk;
  if (category != "unclassified" && category != "high_risk_area" &&
      category != "medium_risk_area" && category != "low_risk_area" && category != "inbound") {
    return FieldInvalid("risk", "风险等级应为高、中、低风险区或入境 (unknown risk level)");
  }
  if (!base::IsValidUtf8(form.note) || base::CodePoints(form.note) > 500) {
    return FieldInvalid("note", "备注无效或超过 500 字 (note invalid or over 500 characters)");
  }
  auto arrival = base::ParseDate(form.arrival_date);
  if (!arrival.has_value()) {
    return FieldInvalid("arrival_date", arrival.error().message());
  }
  const auto today = base::LocalDate(clock_.Now(), offset_);
  const auto days_ago = (std::chrono::sys_days(today) - std::chrono::sys_days(*arrival)).count();
  if (days_ago < 0 || days_ago > 60) {
    return FieldInvalid("arrival_date",
                        "抵达日期应在今天及之前 60 天内 (arrival within the last "
                        "60 days, not in the future)");
  }
  // The form is read by the same rules as a row of a list, so that both say the same things.
  const std::vector<std::string> header = {"姓名",   "身份证号", "手机号",   "现住址",
                                           "来源地", "人员类别", "报告时间", "备注"};
  base::CsvRow csv{1,
                   {form.name, form.id_number, form.phone, form.address, form.origin, category,
                    form.arrival_date, form.note}};
  CORDON_ASSIGN_OR_RETURN(Columns columns, FindColumns(header));
  CORDON_ASSIGN_OR_RETURN(LeadRow row, ReadRow(csv, header, columns, clock_.Now(), offset_));
  row.line = 0;
  if (row.id_number.empty()) {
    return FieldInvalid("id_number", "请填写身份证号 (the ID number is required)");
  }

  auth::Principal public_form;
  public_form.user.username = "public";
  public_form.ip = std::string(ip);
  public_form.request_id = std::string(request_id);
  const std::int64_t now = Now();
  std::string receipt;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    // The form acts for the whole city: the lead goes to the grid of the address.
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT code, path FROM regions WHERE parent_code IS NULL ORDER BY code LIMIT 1",
                {}, [&](const store::Row& r) {
                  public_form.user.region_code = r.Text(0);
                  public_form.region_path = r.Text(1);
                  return Status::Ok();
                }));
    RegionCache regions(s);
    CORDON_ASSIGN_OR_RETURN(auto root, regions.Get(public_form.user.region_code));
    if (!root) {
      return Unavailable("尚未建立区划 (no region tree yet)");
    }
    CORDON_ASSIGN_OR_RETURN(
        RowReport r, ApplyLead(s, public_form, "self_report", 0, row, regions, root, now,
                               base::LocalDate(clock_.Now(), offset_), check_within_seconds_));
    if (r.outcome == Outcome::kRejected) {
      return FieldInvalid(r.field.empty() ? "form" : r.field, r.reason);
    }
    char number[40];
    std::snprintf(number, sizeof number, "ZB%04d%02u%02u-%06lld", static_cast<int>(today.year()),
                  static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day()),
                  static_cast<long long>(r.lead_id));
    receipt = number;
    // A repeated report of the same arrival is kept once; its receipt is still a receipt.
    return audit_.Append(s, public_form,
                         {"leads.self_report", "lead", std::to_string(r.lead_id), "ok", "", ""});
  }));
  return receipt;
}

Result<ImportReport> LeadService::Report(const auth::Principal& who, std::int64_t import_id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kLeadsImport));
  std::optional<StoredImport> stored;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(stored, ImportById(s, import_id));
    return Status::Ok();
  }));
  if (!stored || !auth::InSubtree(stored->region_path, who.region_path)) {
    return NotFound("导入记录不存在或不在管辖范围内 (no such import in your jurisdiction)");
  }
  return ReadStored(*stored, who);
}

Result<LeadService::TaskSummary> LeadService::Summarize(const auth::Principal& who,
                                                        std::string_view region) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTasksRead));
  std::optional<regions::Breakdown> breakdown;
  std::map<std::string, TaskCounts> parts;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(breakdown, regions::BreakdownOf(s, who, region));
    if (!breakdown) {
      return Status::Ok();
    }
    const std::size_t part = breakdown->child_path_length == 0 ? breakdown->node.path.size()
                                                               : breakdown->child_path_length;
    CORDON_ASSIGN_OR_RETURN(parts,
                            TallyTasks(s, auth::SubtreeRange(breakdown->node.path), part, Now()));
    return Status::Ok();
  }));
  if (!breakdown) {
    return regions::RegionDenied(audit_, who, region);
  }
  TaskSummary out;
  out.children.resize(breakdown->children.size());
  for (const auto& [path, counts] : parts) {
    const regions::BreakdownNode* child = breakdown->ChildOf(path);
    // A grid has no parts: its rows are its own, in the totals only.
    if (breakdown->children.empty()) {
      out.totals.Add(counts);
      continue;
    }
    (child == nullptr ? out.own
                      : out.children[static_cast<std::size_t>(child - breakdown->children.data())])
        .Add(counts);
    out.totals.Add(counts);
  }
  out.breakdown = std::move(*breakdown);
  return out;
}

Result<std::vector<Task>> LeadService::Tasks(const auth::Principal& who, const TaskQuery& q,
                                             TaskCounts* counts) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTasksRead));
  if (q.status != "open" && q.status != "checked" && q.status != "all") {
    return FieldInvalid("status", "应为 open、checked 或 all (open, checked or all)");
  }
  std::optional<auth::PathRange> scope;
  std::vector<Task> tasks;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(scope, regions::ListScope(s, who, q.region));
    if (!scope) {
      return Status::Ok();
    }
    CORDON_ASSIGN_OR_RETURN(tasks, ListTasks(s, *scope, q));
    if (counts != nullptr) {
      CORDON_ASSIGN_OR_RETURN(*counts, CountTasks(s, *scope, Now()));
    }
    return Status::Ok();
  }));
  if (!scope) {
    return regions::RegionDenied(audit_, who, q.region);
  }
  std::string ids;
  for (const auto& t : tasks) {
    ids += (ids.empty() ? "" : ",") + std::to_string(t.person_id);
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(who, {"tasks.list", "person", ids, "ok", "", ""}));
  return tasks;
}

Result<Task> LeadService::Check(const auth::Principal& who, std::int64_t task_id,
                                std::string_view method, std::string_view note) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTasksCheck));
  if (method != "visit" && method != "call") {
    return FieldInvalid("method", "核查方式应为 visit（上门）或 call（电话）(visit or call)");
  }
  if (!base::IsValidUtf8(note) || base::CodePoints(note) > 500) {
    return FieldInvalid("note", "备注无效或超过 500 字 (note invalid or over 500 characters)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<Task> task;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto found, TaskInScope(s, task_id, scope));
    if (!found) {
      return NotFound("任务不存在或不在管辖范围内 (no such task in your jurisdiction)");
    }
    CORDON_ASSIGN_OR_RETURN(
        bool changed,
        MarkChecked(s, task_id, who.user.username, std::string(method), std::string(note), Now()));
    if (!changed) {
      return FailedPrecondition("该任务已核查 (this task has already been checked)");
    }
    CORDON_RETURN_IF_ERROR(audit_.Append(
        s, who, {"tasks.check", "task", std::to_string(task_id), "ok", "", std::string(method)}));
    CORDON_ASSIGN_OR_RETURN(task, TaskInScope(s, task_id, scope));
    return Status::Ok();
  }));
  return *task;
}

}  // namespace cordon::leads
