#include <charconv>
#include <ctime>
#include <map>
#include <string>

#include "store/database.h"
#include "store/internal/migrations.h"
#include "store/sqlite/sqlite_database.h"

namespace cordon::store {
namespace {

struct Migration {
  int number = 0;
  std::string name;
  std::string sql;
};

// Groups the embedded files by number and keeps the parts for this dialect, in file order.
std::map<int, Migration> MigrationsFor(std::string_view dialect) {
  std::map<int, Migration> out;
  for (const auto& file : EmbeddedMigrations()) {
    int number = 0;
    std::from_chars(file.name.data(), file.name.data() + 4, number);
    std::string_view rest = file.name.substr(0, file.name.size() - 4);  // drop ".sql"
    auto dot = rest.find('.');
    if (dot != std::string_view::npos && rest.substr(dot + 1) != dialect) {
      continue;
    }
    Migration& m = out[number];
    m.number = number;
    if (m.name.empty()) {
      m.name = std::string(rest.substr(0, dot));
    }
    m.sql += file.sql;
    m.sql += "\n";
  }
  return out;
}

}  // namespace

int LatestMigration() {
  auto all = MigrationsFor("sqlite");
  return all.empty() ? 0 : all.rbegin()->first;
}

Status Migrate(Database& db) {
  auto migrations = MigrationsFor(db.Dialect());
  CORDON_RETURN_IF_ERROR(db.Write([](Session& s) {
    return s.ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at INTEGER NOT NULL)");
  }));
  int current = 0;
  CORDON_RETURN_IF_ERROR(db.Read([&](Session& s) {
    CORDON_ASSIGN_OR_RETURN(
        current, s.QueryInt("SELECT COALESCE(MAX(number), 0) FROM schema_migrations", {}));
    return Status::Ok();
  }));
  int latest = migrations.empty() ? 0 : migrations.rbegin()->first;
  if (current > latest) {
    return FailedPrecondition("the database is at schema version " + std::to_string(current) +
                              " but this cordon knows only up to " + std::to_string(latest) +
                              ": run a newer cordon");
  }
  for (const auto& entry : migrations) {
    const int number = entry.first;  // not a structured binding: lambdas cannot capture those
    const Migration& m = entry.second;
    if (number <= current) {
      continue;
    }
    Status status = db.Write([&](Session& s) {
      CORDON_RETURN_IF_ERROR(s.ExecScript(m.sql));
      return s
          .Exec("INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                {static_cast<std::int64_t>(number), m.name,
                 static_cast<std::int64_t>(std::time(nullptr))})
          .status();
    });
    if (!status.ok()) {
      return Internal("migration " + m.name + " failed: " + status.message());
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Database>> Open(const std::string& url, const OpenOptions& options) {
  std::string_view u = url;
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    return InvalidArgument(
        "the PostgreSQL backend is not built into this cordon yet: use sqlite:PATH");
  }
  if (u.starts_with("sqlite:")) {
    u.remove_prefix(7);
  }
  if (u.empty()) {
    return InvalidArgument("database URL has no path: use sqlite:PATH");
  }
  return OpenSqlite(std::string(u), options);
}

}  // namespace cordon::store
