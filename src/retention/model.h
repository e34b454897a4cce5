// Retention (security.md F1, F2): per kind of record, how long it is kept after its reference
// date, and what a deletion run removed.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace cordon::retention {

// One kind of record with its own period: close_contact (a checked screening task and its
// leads), quarantine_stay (a finished measure with its test results, follow-ups, alerts and
// services), case (a closed case with its investigation, contacts listed and exposures),
// tip_off (a closed tip-off), person (a file not on the household register, once nothing else
// holds it).
struct RetentionPolicy {
  std::string entity;
  int days = 0;
  std::int64_t updated_at = 0;
  std::string updated_by;
  std::int64_t due = 0;  // records past their period now (the next run deletes them)
};

struct RetentionRun {
  std::int64_t id = 0;
  std::int64_t started_at = 0;
  std::int64_t finished_at = 0;
  std::string actor;
  std::string outcome;                          // "ok" or "error"
  std::map<std::string, std::int64_t> records;  // per entity: records deleted
  std::map<std::string, std::int64_t> rows;     // per table: rows deleted
  std::string error;
};

}  // namespace cordon::retention
