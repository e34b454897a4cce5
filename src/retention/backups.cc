#include "retention/backups.h"

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

namespace cordon::retention {
namespace {

// Read-only, without the store's pragmas: opening a backup through store::Open would turn it
// back into a WAL database.
bool IsCordonBackup(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  if (!in.read(header, sizeof header) || std::string(header, 15) != "SQLite format 3") {
    return false;
  }
  sqlite3* db = nullptr;
  bool cordon = false;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN "
                           "('schema_migrations', 'field_key_state')",
                           -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      cordon = sqlite3_column_int(stmt, 0) == 2;
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return cordon;
}

}  // namespace

Result<int> ShortestPeriod(store::Database& db) {
  std::int64_t days = 0;
  CORDON_RETURN_IF_ERROR(db.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(days, s.QueryInt("SELECT MIN(days) FROM retention_policies", {}));
    return Status::Ok();
  }));
  return static_cast<int>(days);
}

Result<std::vector<PrunedBackup>> PruneBackups(const std::string& dir, int days,
                                               const std::string& keep,
                                               std::chrono::system_clock::time_point now) {
  std::vector<PrunedBackup> pruned;
  std::error_code listing;
  std::filesystem::directory_iterator it(dir, listing);
  std::error_code ignored;
  const auto kept = std::filesystem::weakly_canonical(keep, ignored);
  for (; !listing && it != std::filesystem::directory_iterator(); it.increment(listing)) {
    const std::filesystem::path path = it->path();
    std::error_code ec;
    if (!it->is_regular_file(ec) || std::filesystem::weakly_canonical(path, ec) == kept) {
      continue;
    }
    const auto written = std::filesystem::last_write_time(path, ec);
    if (ec) {
      continue;
    }
    const auto age = std::chrono::duration_cast<std::chrono::hours>(
                         now - std::chrono::file_clock::to_sys(written))
                         .count() /
                     24;
    if (age < days || !IsCordonBackup(path)) {
      continue;
    }
    if (!std::filesystem::remove(path, ec) || ec) {
      return Unavailable("cannot delete the old backup " + path.string() + ": " + ec.message());
    }
    pruned.push_back({path.string(), age});
  }
  if (listing) {
    return Unavailable("cannot list " + dir + ": " + listing.message());
  }
  return pruned;
}

}  // namespace cordon::retention
