#include "exports/service.h"

#include <chrono>
#include <utility>

#include "auth/password.h"
#include "auth/rules.h"
#include "base/csv.h"
#include "base/text.h"
#include "sheets/xlsx.h"

namespace cordon::exports {
namespace {

using nlohmann::json;

constexpr std::string_view kColumns =
    "e.id, e.kind, e.format, e.filter, e.unmasked, e.reason, e.status, e.requested_by, "
    "u.username, u.display_name, e.requested_at, e.region_code, r.name, e.region_path, "
    "e.decided_by, d.username, d.display_name, e.decided_at, e.decision_note, e.expires_at, "
    "e.downloads, e.rows_out, e.sha256";
constexpr std::string_view kFrom =
    " FROM exports e JOIN users u ON u.id = e.requested_by "
    "JOIN regions r ON r.code = e.region_code LEFT JOIN users d ON d.id = e.decided_by";

Export ReadExport(const store::Row& row) {
  Export e;
  e.id = row.Int(0);
  e.kind = row.Text(1);
  e.format = row.Text(2);
  e.filter = json::parse(row.Text(3), nullptr, false);
  e.unmasked = row.Int(4) != 0;
  e.reason = row.Text(5);
  e.status = row.Text(6);
  e.requested_by = {row.Int(7), row.Text(8), row.Text(9)};
  e.requested_at = row.Int(10);
  e.region_code = row.Text(11);
  e.region_name = row.Text(12);
  e.region_path = row.Text(13);
  if (!row.IsNull(14)) {
    e.decided_by = {row.Int(14), row.Text(15), row.Text(16)};
    e.decided_at = row.Int(17);
  }
  e.decision_note = row.Text(18);
  e.expires_at = row.IsNull(19) ? 0 : row.Int(19);
  e.downloads = row.Int(20);
  e.rows = row.IsNull(21) ? -1 : row.Int(21);
  e.sha256 = row.Text(22);
  return e;
}

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

Status TextField(std::string_view field, std::string_view text, bool required) {
  if (required && base::CodePoints(text) < 2) {
    return FieldInvalid(std::string(field), "请填写原因，至少 2 个字 (state a reason)");
  }
  if (!base::IsValidUtf8(text) || base::CodePoints(text) > 500) {
    return FieldInvalid(std::string(field), "无效或超过 500 字 (invalid or over 500 characters)");
  }
  return Status::Ok();
}

const Status& ExportNotFound() {
  static const Status status(StatusCode::kNotFound, "导出记录不存在 (no such export)");
  return status;
}

std::string_view FormatName(ExportFormat format) {
  return format == ExportFormat::kCsv ? "csv" : "xlsx";
}

}  // namespace

void ExportService::AddSource(ExportSource& source) {
  sources_[std::string(source.Kind())] = &source;
}

ExportSource* ExportService::Source(std::string_view kind) const {
  auto it = sources_.find(kind);
  return it == sources_.end() ? nullptr : it->second;
}

std::string ExportService::Title(std::string_view kind) const {
  const ExportSource* source = Source(kind);
  return source == nullptr ? std::string(kind) : source->Layout().title;
}

std::int64_t ExportService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

bool ExportService::CanApprove(const auth::Principal& who, const Export& e) const {
  return e.status == "pending_approval" &&
         auth::Can(who.user.role, auth::Permission::kExportApprove) &&
         who.user.id != e.requested_by.id && auth::InSubtree(e.region_path, who.region_path);
}

Result<Export> ExportService::Load(store::Session& s, std::int64_t id) {
  std::optional<Export> found;
  CORDON_RETURN_IF_ERROR(s.Query(
      std::string("SELECT ") + std::string(kColumns) + std::string(kFrom) + " WHERE e.id = ?", {id},
      [&](const store::Row& row) {
        found = ReadExport(row);
        return Status::Ok();
      }));
  if (!found) {
    return ExportNotFound();
  }
  return *found;
}

Result<Export> ExportService::Start(const auth::Principal& who, const ExportRequest& request) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kExport));
  if (request.unmasked) {
    CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kPeopleReveal));
  }
  ExportSource* source = Source(request.kind);
  if (source == nullptr) {
    return FieldInvalid("kind", "不支持导出此类名单 (no such kind of list)");
  }
  CORDON_RETURN_IF_ERROR(TextField("reason", request.reason, request.unmasked));
  CORDON_ASSIGN_OR_RETURN(ExportScope scope, source->Resolve(who, request.filter));
  const std::int64_t now = Now();
  std::int64_t recent = 0;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(
        recent,
        s.QueryInt("SELECT COUNT(*) FROM exports WHERE requested_by = ? AND requested_at > ?",
                   {who.user.id, now - 3600}));
    return Status::Ok();
  }));
  if (recent >= policy_.per_hour) {
    // A slow copy of the whole city, one list at a time, stops here and leaves a trace.
    CORDON_RETURN_IF_ERROR(audit_.Record(who, {"rate_limited", "export", request.kind, "denied", "",
                                               "exports_in_hour=" + std::to_string(recent)}));
    return ResourceExhausted("导出过于频繁：每小时最多 " + std::to_string(policy_.per_hour) +
                             " 次，请稍后再试 (too many exports this hour)");
  }
  const bool ready = !request.unmasked;
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    store::Value expires = ready ? store::Value(now + policy_.ready_seconds) : store::Value();
    CORDON_ASSIGN_OR_RETURN(
        id, s.QueryInt("INSERT INTO exports (kind, format, filter, unmasked, reason, status, "
                       "requested_by, requested_at, region_code, region_path, expires_at) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       {request.kind, std::string(FormatName(request.format)), scope.filter.dump(),
                        std::int64_t{request.unmasked ? 1 : 0}, request.reason,
                        std::string(ready ? "ready" : "pending_approval"), who.user.id, now,
                        scope.region_code, scope.region_path, expires}));
    return audit_.Append(s, who,
                         {"exports.request", "export", std::to_string(id), "ok", request.reason,
                          "kind=" + request.kind + ",region=" + scope.region_code +
                              (request.unmasked ? ",unmasked" : ",masked")});
  }));
  Export e;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(e, Load(s, id));
    return Status::Ok();
  }));
  return e;
}

Result<std::vector<Export>> ExportService::List(const auth::Principal& who, bool approvals) {
  std::vector<Export> out;
  if (approvals) {
    CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kExportApprove));
  } else {
    CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kExport));
  }
  const auth::PathRange range = auth::SubtreeRange(who.region_path);
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    auto add = [&](const store::Row& row) {
      out.push_back(ReadExport(row));
      return Status::Ok();
    };
    const std::string select = std::string("SELECT ") + std::string(kColumns) + std::string(kFrom);
    if (!approvals) {
      return s.Query(select + " WHERE e.requested_by = ? ORDER BY e.id DESC LIMIT 200",
                     {who.user.id}, add);
    }
    if (range.lo.empty()) {
      return Status::Ok();  // no jurisdiction: nothing to approve (fail closed)
    }
    return s.Query(select +
                       " WHERE e.region_path >= ? AND e.region_path < ? AND e.unmasked = 1 AND "
                       "(e.status = 'pending_approval' OR e.decided_by = ?) "
                       "ORDER BY e.status = 'pending_approval' DESC, e.id DESC LIMIT 200",
                   {range.lo, range.hi, who.user.id}, add);
  }));
  return out;
}

Result<Export> ExportService::Decide(const auth::Principal& who, std::int64_t id, bool approve,
                                     std::string_view note) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kExportApprove));
  CORDON_RETURN_IF_ERROR(TextField("note", note, !approve));
  const std::int64_t now = Now();
  Export e;
  Status denied = Status::Ok();
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(e, Load(s, id));
    if (!auth::InSubtree(e.region_path, who.region_path)) {
      denied = ExportNotFound();
      return Status::Ok();
    }
    if (e.requested_by.id == who.user.id) {
      return PermissionDenied("不能审批自己申请的导出，须由另一人审批 (a second person approves)");
    }
    if (e.status != "pending_approval") {
      return FailedPrecondition("该导出已处理 (already decided)");
    }
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE exports SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, "
               "expires_at = ? WHERE id = ? AND status = 'pending_approval'",
               {std::string(approve ? "ready" : "rejected"), who.user.id, now, std::string(note),
                approve ? store::Value(now + policy_.ready_seconds) : store::Value(), id})
            .status());
    CORDON_RETURN_IF_ERROR(audit_.Append(
        s, who,
        {approve ? "exports.approve" : "exports.reject", "export", std::to_string(id), "ok",
         std::string(note), "requested_by=" + std::to_string(e.requested_by.id)}));
    return Load(s, id).status().ok() ? Status::Ok() : Internal("export vanished");
  }));
  if (!denied.ok()) {
    CORDON_RETURN_IF_ERROR(
        audit_.Record(who, {"authz_denied", "export", std::to_string(id), "denied", "", ""}));
    return denied;
  }
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(e, Load(s, id));
    return Status::Ok();
  }));
  return e;
}

Result<std::string> ExportService::Produce(const auth::Principal& who, ExportSource& source,
                                           const Export& e, std::int64_t& rows) {
  const ExportLayout& layout = source.Layout();
  const std::string when = base::FormatIso(clock_.Now(), offset_);
  std::string mark = "导出人：" + who.user.display_name + "（" + who.user.username +
                     "）；导出时间：" + when + "；导出编号：E" + std::to_string(e.id) + "；";
  if (e.unmasked) {
    mark += "含完整身份信息，经 " + e.decided_by.display_name + "（" + e.decided_by.username +
            "）审批，仅限工作使用，不得转发";
  } else {
    mark += "身份信息已脱敏";
  }
  const std::int64_t cap = e.unmasked ? policy_.unmasked_rows : -1;
  rows = 0;
  auto counted = [&](const std::vector<std::string>& cells, const RowSink& sink) -> Status {
    if (cap >= 0 && rows >= cap) {
      return FailedPrecondition("含完整身份信息的导出最多 " + std::to_string(cap) +
                                " 行，请缩小范围 (unmasked exports are capped; narrow the filter)");
    }
    ++rows;
    return sink(cells);
  };
  if (e.format == "csv") {
    // UTF-8 with a BOM, so that Chinese Excel opens it as such (E5); cells beginning with = + -
    // @ or a control character are quoted against formula injection (E4, base::CsvCell).
    std::string out = "\xEF\xBB\xBF";
    auto line = [&out](const std::vector<std::string>& cells) {
      for (const std::string& cell : cells) {
        out += base::CsvCell(cell);
        out += ',';
      }
      out.back() = '\r';
      out += '\n';
      return Status::Ok();
    };
    CORDON_RETURN_IF_ERROR(line(layout.header));
    CORDON_RETURN_IF_ERROR(
        source.Rows(who, e.filter, e.unmasked,
                    [&](const std::vector<std::string>& cells) { return counted(cells, line); }));
    out += "\r\n";
    CORDON_RETURN_IF_ERROR(line({"导出说明", mark}));
    return out;
  }
  sheets::Sheet sheet;
  sheet.name = layout.sheet_name;
  sheet.title = layout.title + "（" + when.substr(0, 10) + "，" + who.user.display_name + "）";
  sheet.header = layout.header;
  sheet.widths = layout.widths;
  sheet.footer = {mark};
  sheet.author = who.user.username;
  sheet.comments = mark;
  sheets::XlsxWriter writer(sheet);
  CORDON_RETURN_IF_ERROR(
      source.Rows(who, e.filter, e.unmasked, [&](const std::vector<std::string>& cells) {
        return counted(cells, [&](const auto& c) {
          writer.Row(c);
          return Status::Ok();
        });
      }));
  return writer.Finish();
}

Result<ExportFile> ExportService::Download(const auth::Principal& who, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kExport));
  Export e;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(e, Load(s, id));
    return Status::Ok();
  }));
  if (e.requested_by.id != who.user.id) {
    // Only the one who asked takes the file: an approver approves, and never receives a copy.
    CORDON_RETURN_IF_ERROR(
        audit_.Record(who, {"authz_denied", "export", std::to_string(id), "denied", "", ""}));
    return ExportNotFound();
  }
  if (e.status == "pending_approval") {
    return FailedPrecondition("等待审批，批准后才能下载 (waiting for approval)");
  }
  if (e.status == "rejected") {
    return FailedPrecondition("该导出已被驳回 (the export was rejected)");
  }
  if (Now() >= e.expires_at) {
    return Expired("导出文件已过期，请重新申请 (the download window has passed)");
  }
  if (e.unmasked) {
    CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kPeopleReveal));
  }
  ExportSource* source = Source(e.kind);
  if (source == nullptr) {
    return FailedPrecondition("不再支持此类导出 (this kind of export is no longer offered)");
  }
  // The jurisdiction as it is now: a user moved away since the request gets nothing of the old.
  CORDON_RETURN_IF_ERROR(source->Resolve(who, e.filter).status());
  std::int64_t rows = 0;
  CORDON_ASSIGN_OR_RETURN(std::string bytes, Produce(who, *source, e, rows));
  const std::string sha = auth::Sha256Hex(bytes);
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_RETURN_IF_ERROR(
        s.Exec(
             "UPDATE exports SET downloads = downloads + 1, rows_out = ?, sha256 = ? WHERE id = ?",
             {rows, sha, id})
            .status());
    return audit_.Append(s, who,
                         {"exports.download", "export", std::to_string(id), "ok", "",
                          "kind=" + e.kind + ",rows=" + std::to_string(rows) + "," +
                              (e.unmasked ? "unmasked" : "masked") + ",sha256=" + sha});
  }));
  ++e.downloads;
  e.rows = rows;
  e.sha256 = sha;
  ExportFile file;
  file.file_name = "E" + std::to_string(e.id) + "-" + e.kind + "." + e.format;
  file.content_type = e.format == "csv"
                          ? "text/csv; charset=utf-8"
                          : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  file.bytes = std::move(bytes);
  file.record = std::move(e);
  return file;
}

Result<ExportFile> ExportService::ExportNow(const auth::Principal& who, ExportRequest request) {
  request.unmasked = false;
  CORDON_ASSIGN_OR_RETURN(Export e, Start(who, request));
  return Download(who, e.id);
}

}  // namespace cordon::exports
