// Control measures (管控措施), their plans, test days and history.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "store/scope_cursor.h"

namespace cordon::measures {

// One step of a category's plan under a profile version.
struct PlanStep {
  std::string category;
  int step = 1;
  std::string measure;    // central_quarantine, home_quarantine, home_monitoring, …
  int days = 0;           // 0: open-ended
  std::string test_days;  // "1,2,3,5,7", "every 2" or ""
  int followups_per_day = 0;
};

struct Profile {
  int version = 0;
  std::string name;
  std::vector<PlanStep> steps;  // by category, then step
};

struct TestDay {
  int day = 0;
  std::string date;    // YYYY-MM-DD
  std::string result;  // "", negative, positive
  std::int64_t recorded_at = 0;
  std::string recorded_by;
};

struct Event {
  std::int64_t at = 0;
  std::string actor, action, from_state, to_state, reason;
};

struct Measure {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string person_name, person_id_number;  // for lists; the number as stored masked
  std::int64_t household_id = 0;              // the person's, for 三公示 and 四包一; 0: none
  std::string category;
  int profile_version = 0;
  int step = 1;
  std::string measure;
  std::string state;
  std::string place;
  std::string start_date;  // day 1
  std::string end_date;    // last day, inclusive; empty when open-ended
  int days = 0;
  int extended_days = 0;
  std::string test_days_spec;
  int followups_per_day = 0;
  std::string region_code, region_name, region_path;
  std::int64_t previous_id = 0;
  std::int64_t created_at = 0, updated_at = 0;
  std::vector<TestDay> tests;
  std::vector<Event> history;
};

struct MeasureQuery {
  std::string region;
  std::string state = "current";  // current | released | all
  store::ScopeCursor after;       // ordered by (region_path, id): grouped by grid
  int limit = 50;
};

// Current measures in one part of a region (a child, or the node itself), for the dashboard.
struct MeasureTally {
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> by_measure;   // home_quarantine, central_quarantine, …
  std::map<std::string, std::int64_t> by_category;  // close_contact, secondary_contact, …
  std::int64_t releases_due = 0;
  void Add(const MeasureTally& other);
};

struct MeasureCounts {
  std::vector<std::pair<std::string, std::int64_t>> by_measure;  // current measures
  std::int64_t releases_due = 0;                                 // current, last day over
  std::int64_t tests_due_today = 0;                              // test days today with no result
};

}  // namespace cordon::measures
