// Follow-ups of people under measures (健康随访) and the alerts they raise (预警).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/scope_cursor.h"

namespace cordon::followups {

struct Followup {
  std::int64_t measure_id = 0;
  std::string date;
  int slot = 0;
  std::string time;     // the slot's time of day, "08:00"
  std::string outcome;  // ok fever symptoms unreachable refused left_home
  std::optional<double> temperature;
  std::string symptoms, note, source, recorded_by;
  std::int64_t recorded_at = 0;
};

// One person of today's work list.
struct DueItem {
  std::int64_t measure_id = 0;
  std::string measure, state, start_date;
  int followups_per_day = 0;
  std::int64_t person_id = 0;
  std::string name, id_number, phone;  // identifiers as stored masked (security.md B3)
  std::string region_code, region_name, region_path;
  std::vector<Followup> today;  // recorded slots
};

struct Alert {
  std::int64_t id = 0;
  std::int64_t measure_id = 0, person_id = 0;
  std::string name, id_number;  // the number as stored masked (security.md B3)
  std::string region_code, region_name, region_path;
  std::string kind, detail, state, closed_by, outcome;
  std::int64_t raised_at = 0, closed_at = 0;
};

struct AlertQuery {
  std::string region;
  std::string state = "open";  // open | closed | all
  store::ScopeCursor after;
  int limit = 50;
};

}  // namespace cordon::followups
