// A seeded outbreak in a generated city, for `cordon demo`: one cluster of cases over the last
// ten days whose exposures form a chain of three generations, with investigation entries, the
// cases' hospital measures, household close contacts listed and put under quarantine, and
// report and listing delays chosen so that some legs of the clock are late.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/city.h"
#include "store/database.h"

namespace cordon::demo {

// Writes the outbreak into a database that holds `city` (LoadCity has run) and no cases yet.
// Deterministic: the same city and `now` give the same outbreak (the choice of people is seeded
// from the city, hence from the demo's seed). One transaction; about 10-15 cases, 60 rows.
// Times are relative to `now` and local dates are taken at +08:00.
// Errors: kAlreadyExists when the database holds cases; kFailedPrecondition when the city has
// no community with enough households.
Status LoadOutbreak(store::Database& db, const sim::City& city, std::int64_t now,
                    const std::function<void(const std::string&)>& progress);

// Where a case was (an investigation entry with a venue), for placing check-ins.
struct OutbreakVisit {
  std::string venue_code;
  std::int64_t from = 0, until = 0;  // Unix seconds
};

struct OutbreakCase {
  std::int64_t case_id = 0;
  std::int64_t person_id = 0;
  std::string id_number;
  std::string region_code;  // the grid
  std::int64_t positive_at = 0;
  std::int64_t lookback_from = 0;     // contacts count from here
  int generation = 0;                 // 0: the index case
  std::int64_t source_person_id = 0;  // who infected them (0 for the index case)
  std::string source_venue_code;      // where, for co-presence; empty for a household
  std::int64_t exposed_at = 0;        // when, or 0
  std::vector<OutbreakVisit> visits;  // in time order
};

// The cases LoadOutbreak made, in generation order (for the check-in generator, which makes
// the cases meet their contacts and their sources at these venues and times). Empty when
// there is no demo outbreak.
Result<std::vector<OutbreakCase>> OutbreakCases(store::Database& db);

}  // namespace cordon::demo
