// The JSON of a person file as every endpoint shows it: masked, with the age on `today`.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>

#include "base/local_time.h"
#include "people/model.h"

namespace cordon::people {

// full_name: the name unmasked (a person's own page, where the caller already chose them);
// lists mask it.
nlohmann::json PersonJson(const Person& p, std::chrono::year_month_day today,
                          base::UtcOffset offset, bool full_name = false);

}  // namespace cordon::people
