#include "leads/report.h"

#include "base/csv.h"
#include "leads/rules.h"

namespace cordon::leads {

using nlohmann::json;

json ReportJson(const ImportReport& report) {
  json rows = json::array();
  for (const auto& r : report.rows) {
    rows.push_back({{"line", r.line},
                    {"outcome", OutcomeName(r.outcome)},
                    {"field", r.field},
                    {"reason", r.reason},
                    {"doubtful", r.doubtful},
                    {"person_id", r.person_id == 0 ? json(nullptr) : json(r.person_id)},
                    {"task_id", r.task_id == 0 ? json(nullptr) : json(r.task_id)}});
  }
  return {{"import_id", report.import_id},
          {"already_imported", report.already_imported},
          {"file_name", report.file_name},
          {"source", report.source},
          {"accepted", report.accepted},
          {"merged", report.merged},
          {"rejected", report.rejected},
          {"doubtful", report.doubtful},
          {"rows", rows}};
}

ImportReport ReportFromJson(const json& j) {
  ImportReport r;
  r.import_id = j.value("import_id", std::int64_t{0});
  r.file_name = j.value("file_name", "");
  r.source = j.value("source", "");
  r.accepted = j.value("accepted", 0);
  r.merged = j.value("merged", 0);
  r.rejected = j.value("rejected", 0);
  r.doubtful = j.value("doubtful", 0);
  for (const auto& row : j.value("rows", json::array())) {
    RowReport rr;
    rr.line = row.value("line", std::size_t{0});
    std::string outcome = row.value("outcome", "rejected");
    rr.outcome = outcome == "accepted" ? Outcome::kAccepted
                 : outcome == "merged" ? Outcome::kMerged
                                       : Outcome::kRejected;
    rr.field = row.value("field", "");
    rr.reason = row.value("reason", "");
    rr.doubtful = row.value("doubtful", false);
    rr.person_id = row["person_id"].is_number() ? row["person_id"].get<std::int64_t>() : 0;
    rr.task_id = row["task_id"].is_number() ? row["task_id"].get<std::int64_t>() : 0;
    r.rows.push_back(std::move(rr));
  }
  return r;
}

std::string ReportCsv(const ImportReport& report) {
  std::string out = "\xEF\xBB\xBF行号,结果,字段,原因,人员编号,任务编号\r\n";
  for (const auto& r : report.rows) {
    std::string_view outcome = r.outcome == Outcome::kAccepted ? "受理"
                               : r.outcome == Outcome::kMerged ? "合并"
                                                               : "退回";
    out += std::to_string(r.line) + "," + std::string(outcome) + "," + base::CsvCell(r.field) +
           "," + base::CsvCell(r.reason) + "," +
           (r.person_id == 0 ? "" : std::to_string(r.person_id)) + "," +
           (r.task_id == 0 ? "" : std::to_string(r.task_id)) + "\r\n";
  }
  return out;
}

}  // namespace cordon::leads
