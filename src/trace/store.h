// The database side of tracing: venues and their numbers, the contact rule per venue type, and
// the person files the engine's numbers stand for.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/id_number.h"
#include "store/database.h"
#include "trace/contacts.h"

namespace cordon::trace {

struct VenueInfo {
  std::uint32_t id = 0;
  std::string code;
  std::string name;
  std::string type;
  bool needs_review = false;
};

struct PersonBrief {
  std::int64_t id = 0;
  std::string id_number;  // masked (people.id_number_masked): lists never open the sealed one
  std::string name;
  std::string region_code;
  std::string region_name;
  std::string region_path;  // empty: no grid (an unverified file)
  std::int64_t household_id = 0;
};

Result<std::vector<VenueInfo>> LoadVenues(store::Session& s);
// The rules of the newest profile version that has any, by venue type.
Result<std::map<std::string, VenueRule>> LoadVenueRules(store::Session& s);
// The venue with this code, if any (another node may have registered it since this one loaded).
Result<std::optional<VenueInfo>> FindVenue(store::Session& s, const std::string& code);
// A venue first seen in a check-in: type 'unknown', flagged for review.
Result<VenueInfo> RegisterVenue(store::Session& s, const std::string& code);
// Venues numbered above `after` in number order, at most `limit`: only those awaiting review if
// `needs_review_only`; `like`, when not empty, a LIKE pattern (escaped with a backslash) matched
// against the lower-cased code and name.
Result<std::vector<VenueInfo>> SelectVenues(store::Session& s, bool needs_review_only,
                                            const std::string& like, std::int64_t after, int limit);
Result<std::int64_t> CountVenuesToReview(store::Session& s);
// Writes the name, type and needs_review of the venue numbered `v.id`.
Status SaveVenue(store::Session& s, const VenueInfo& v);

Status LoadPersonNumbers(store::Session& s, std::map<std::string, std::uint32_t>* out);
Result<std::optional<std::uint32_t>> FindPersonNumber(store::Session& s,
                                                      const std::string& id_number);
// A minimal file for an ID number first seen in a check-in: sex and birth date from the number,
// no name, no grid, flagged unverified (the city level's inbox).
Result<std::uint32_t> CreateUnverifiedPerson(store::Session& s, const base::ResidentId& id,
                                             std::int64_t now);

Result<std::vector<PersonBrief>> PeopleByIds(store::Session& s, std::span<const std::uint32_t> ids);
Result<std::optional<PersonBrief>> PersonById(store::Session& s, std::int64_t id);
Result<std::optional<PersonBrief>> PersonByIdNumber(store::Session& s, const std::string& number);
Result<std::vector<std::uint32_t>> HouseholdMembers(store::Session& s, std::int64_t household_id);

}  // namespace cordon::trace
