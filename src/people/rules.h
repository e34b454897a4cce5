// Pure rules for person files: validation and normalisation of input, and reading a search.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"
#include "people/model.h"

namespace cordon::people {

// Validates a new person (all required fields present) or the changed fields of an existing one
// (`existing` non-null), and returns the person as it would be stored. For a resident ID, sex and
// birth date are derived when omitted and must agree with it when given.
// Errors: kInvalidArgument with one detail per bad field, each naming the field.
Result<Person> ApplyInput(const PersonInput& input, const Person* existing,
                          std::chrono::year_month_day today);

struct ParsedQuery {
  QueryKind kind = QueryKind::kAll;
  std::string value;  // normalised: the 18-character ID, the 11-digit phone, or trimmed text
};
// Errors: kInvalidArgument when the query is too long.
Result<ParsedQuery> ParseQuery(std::string_view q, std::chrono::year_month_day today);

}  // namespace cordon::people
