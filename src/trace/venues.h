// Venue review (场所核实): the venues that check-ins name, and the type that picks each venue's
// contact window. A code first seen in a check-in is registered as type 'unknown' and flagged
// needs_review (store.h RegisterVenue); an epidemiologist names it and sets its type here. The
// use cases are members of TraceService (venues.cc), which owns the in-memory venue table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "trace/store.h"

namespace cordon::trace {

// GET /venues: keyset pages by venue number.
struct VenueQuery {
  bool needs_review_only = true;  // the review inbox; false lists every venue
  std::string text;               // part of the code or name, any case of ASCII letters
  std::int64_t after = 0;         // venue numbers above this one
  int limit = 50;
};

struct VenueListed {
  VenueInfo venue;
  std::int64_t checkins = 0;  // held by the engine for the retained days
};

struct VenuePage {
  std::vector<VenueListed> items;
  std::optional<std::int64_t> next;  // `after` of the next page; none after the last
  std::int64_t needs_review = 0;     // venues awaiting review, in all
};

// PATCH /venues/{code}: what to change; absent fields stay. Setting the name or type marks the
// venue reviewed unless `reviewed` is false.
struct VenueChange {
  std::optional<std::string> name;
  std::optional<std::string> type;
  std::optional<bool> reviewed;
};

// A venue type of the contact rule (venue_rules of the newest profile version).
struct VenueType {
  std::string type;
  VenueRule rule;
};

inline constexpr std::size_t kVenueNameMaxChars = 100;

}  // namespace cordon::trace
