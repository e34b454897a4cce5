// SQL of measures. Every read of a measure takes the caller's subtree as a range.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "measures/model.h"
#include "store/database.h"

namespace cordon::measures {

Result<Profile> CurrentProfile(store::Session& s);
Result<std::optional<PlanStep>> Step(store::Session& s, int profile_version,
                                     const std::string& category, int step);

// The person's placement, if the person lies inside `scope`.
struct PersonPlace {
  std::int64_t id = 0;
  std::string region_code, region_path;
};
Result<std::optional<PersonPlace>> PersonInScope(store::Session& s, std::int64_t person_id,
                                                 const auth::PathRange& scope);

Result<std::optional<Measure>> CurrentOf(store::Session& s, std::int64_t person_id);
// With its test days and history.
Result<std::optional<Measure>> MeasureInScope(store::Session& s, std::int64_t id,
                                              const auth::PathRange& scope);
Result<std::int64_t> InsertMeasure(store::Session& s, const Measure& m, std::int64_t now);
// Writes state, days, end date and place; the test days are rewritten by SetTestDays.
Status UpdateMeasure(store::Session& s, const Measure& m, std::int64_t now);
// Adds the test days (day index, date) a measure lacks; recorded results are kept.
Status AddTestDays(store::Session& s, const Measure& m,
                   const std::vector<std::pair<int, std::string>>& days);
// A measure that ends early has no more tests to take.
Status VoidOpenTestDays(store::Session& s, std::int64_t measure_id);
Status RecordResult(store::Session& s, std::int64_t measure_id, int day, const std::string& result,
                    const std::string& by, std::int64_t now);
Status AddEvent(store::Session& s, std::int64_t measure_id, const Event& e);

Result<std::vector<Measure>> ListMeasures(store::Session& s, const auth::PathRange& scope,
                                          const MeasureQuery& q);
// Current measures under `scope`, grouped by the first `part_length` bytes of their region path
// (the child region that holds them): part → tally.
Result<std::map<std::string, MeasureTally>> TallyMeasures(store::Session& s,
                                                          const auth::PathRange& scope,
                                                          std::size_t part_length,
                                                          const std::string& today);
Result<MeasureCounts> CountMeasures(store::Session& s, const auth::PathRange& scope,
                                    const std::string& today);

}  // namespace cordon::measures
