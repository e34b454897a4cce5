// Backups follow retention too (security.md F4): a backup holds what the retention job has since
// deleted, so backup files older than the shortest retention period are deleted when the next
// backup is taken.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/database.h"

namespace cordon::retention {

// The shortest retention period of any kind of record, in days: older backups hold records
// past their period. Errors: as Session::Query.
Result<int> ShortestPeriod(store::Database& db);

struct PrunedBackup {
  std::string path;
  std::int64_t age_days = 0;
};

// Deletes the Cordon backups in `dir` last written more than `days` days before `now`, except
// `keep`. A Cordon backup is an SQLite file holding a `schema_migrations` and a
// `field_key_state` table; any other file is left alone, whatever its name or age. Stops at the
// first file it cannot delete. Errors: kUnavailable naming the file.
Result<std::vector<PrunedBackup>> PruneBackups(const std::string& dir, int days,
                                               const std::string& keep,
                                               std::chrono::system_clock::time_point now);

}  // namespace cordon::retention
