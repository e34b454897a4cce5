#pragma once

#include <string_view>
#include <vector>

namespace cordon::store {

struct MigrationFile {
  std::string_view name;  // "0001_regions.sql", "0002_audit.sqlite.sql"
  std::string_view sql;
};

// Generated at build time from src/store/migrations/*.sql, sorted by name.
const std::vector<MigrationFile>& EmbeddedMigrations();

}  // namespace cordon::store
