// Check-ins for the demo city (issue #5): about three a person a day over the retention period
// — morning, midday and evening, mostly in the person's own grid — and, around each case in the
// database, planted meetings: contacts inside the contact window, some exactly on its edge, and
// near misses just outside it, so that the tracer's answers can be checked against the truth.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "checkins/checkin.h"
#include "checkins/checkin_store.h"
#include "store/database.h"
#include "trace/service.h"

namespace cordon::demo {

struct DemoPerson {
  std::uint32_t id = 0;
  std::uint32_t grid = 0;  // an index into the grids, shared with DemoVenue::grid
};

struct DemoVenue {
  std::uint32_t id = 0;
  std::uint32_t grid = 0;
  std::uint32_t window_seconds = 1800;
  bool companion_only = false;
};

struct DemoCase {
  std::uint32_t person = 0;
  std::int64_t positive_at = 0;
};

// A meeting the generator placed on purpose: `inside` when |contact_time - index_time| is within
// the venue's window (the engine must find it), else a near miss (it must not, unless the two
// met elsewhere by chance).
struct PlantedMeeting {
  std::uint32_t index_person = 0;
  std::uint32_t contact_person = 0;
  std::uint32_t venue = 0;
  std::uint32_t index_time = 0;
  std::uint32_t contact_time = 0;
  bool inside = true;
};

struct CheckinPlanOptions {
  std::uint64_t seed = 1;
  std::int64_t now = 0;  // Unix seconds; nothing is generated after it
  std::int32_t utc_offset_seconds = 8 * 3600;
  int days = 21;
  int per_person_per_day = 3;
};

struct CheckinPlan {
  std::vector<checkins::Checkin> rows;
  std::vector<PlantedMeeting> planted;
};

CheckinPlan PlanCheckins(const std::vector<DemoPerson>& people,
                         const std::vector<DemoVenue>& venues, const std::vector<DemoCase>& cases,
                         const CheckinPlanOptions& options);

// Reads people, venues, rules and cases from the database, plans, appends in large batches
// (trace::TraceService::AppendRows) and seals the closed days. `progress` gets a line per stage.
Status LoadCheckins(store::Database& db, trace::TraceService& trace,
                    const CheckinPlanOptions& options,
                    const std::function<void(const std::string&)>& progress);

}  // namespace cordon::demo
