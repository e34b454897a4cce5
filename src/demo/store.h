// Writes a generated city into an empty database in a few large transactions.
#pragma once

#include <functional>

#include "sim/city.h"
#include "store/database.h"

namespace cordon::demo {

// Whether the database already holds a city (any region).
Result<bool> HasCity(store::Database& db);

// Loads regions, staff, households, people and venues. `progress` gets a line per stage.
// Errors: kAlreadyExists when the database already holds regions.
Status LoadCity(store::Database& db, const sim::City& city, std::int64_t now,
                const std::function<void(const std::string&)>& progress);

}  // namespace cordon::demo
