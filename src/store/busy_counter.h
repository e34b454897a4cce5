// How often the database refused a statement as busy or locked after its whole timeout (security.md
// H8): counted where the store turns the error into kUnavailable, shown on /metrics as
// cordon_db_busy_total, so that a load test can assert contention never reached a request.
#pragma once

#include <cstdint>

namespace cordon::store {

void CountBusy();
std::int64_t BusyCount();

}  // namespace cordon::store
