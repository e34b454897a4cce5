// Leads (线索), their import reports, and the tasks (排查任务) they are deduplicated into.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/scope_cursor.h"

namespace cordon::leads {

// One data row of a lead file, read by its column headers and validated (rules.h).
struct LeadRow {
  std::size_t line = 0;
  std::string id_type = "resident_id";  // resident_id | passport | other (港澳台通行证, …)
  std::string id_number;  // normalised 18-character resident ID or document number, or empty
  std::string name;
  std::string sex, birth_date;  // from a resident ID; else the 性别 and 出生日期 columns
  std::string phone;            // 11-digit mobile, or empty
  std::string address;
  std::string origin;            // 来源地: where the person came from
  std::string category;          // risk category code (domain.md section 3), "unclassified" if none
  std::int64_t reported_at = 0;  // Unix seconds, 0 when not given
  std::map<std::string, std::string> notes;  // the file's other columns, by header
};

enum class Outcome { kAccepted, kMerged, kRejected };

struct RowReport {
  std::size_t line = 0;
  Outcome outcome = Outcome::kRejected;
  std::string field;   // the column at fault, for rejections
  std::string reason;  // Chinese, with English in brackets
  std::int64_t person_id = 0;
  std::int64_t task_id = 0;
  std::int64_t lead_id = 0;  // not in reports: the receipt of a self-report
  bool doubtful = false;     // a new file that may be someone on record: queued for a person
};

struct ImportReport {
  std::int64_t import_id = 0;
  bool already_imported = false;  // the same file was imported before: nothing changed
  std::string file_name;
  std::string source;
  int accepted = 0, merged = 0, rejected = 0;
  int doubtful = 0;  // rows whose new file was queued as a possible duplicate
  std::vector<RowReport> rows;
};

struct Task {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string status;  // open | checked
  std::string category;
  std::string region_code, region_name, region_path;
  bool unrouted = false;
  std::vector<std::string> sources;  // every source that reported the person, in order
  int lead_count = 0;
  std::int64_t created_at = 0, due_at = 0, checked_at = 0;
  std::string checked_by, check_method, check_note;
  // The person, for the work list: the number and phone as stored masked (security.md B3).
  std::string name, id_number, phone;
};

struct TaskQuery {
  std::string region;           // a code inside the caller's jurisdiction; empty: all of it
  std::string status = "open";  // open | checked | all
  store::ScopeCursor after;     // ordered by (region_path, id): grouped by grid
  int limit = 50;
};

struct TaskCounts {
  std::int64_t open = 0, overdue = 0, unrouted = 0;
  std::map<std::string, std::int64_t> by_category;  // filled by summaries only
  void Add(const TaskCounts& other);
};

}  // namespace cordon::leads
