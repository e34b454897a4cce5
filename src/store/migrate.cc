#include <charconv>
#include <ctime>
#include <map>
#include <string>

#include "store/database.h"
#include "store/field_keys.h"
#include "store/internal/migrations.h"
#include "store/postgres/pg_database.h"
#include "store/sqlite/sqlite_database.h"

namespace cordon::store {
namespace {

// 0024_sealed_identifiers: the program seals the identifiers in the same transaction.
constexpr int kSealIdentifiersMigration = 24;
// 0025_drop_bare_identifiers: after it, the files are scrubbed of the bare values.
constexpr int kDropBareIdentifiersMigration = 25;

struct Migration {
  int number = 0;
  std::string name;
  std::string sql;
};

// Groups the embedded files by number and keeps the parts for this dialect: the common file
// first, then the dialect's ("0004_audit.sql", then "0004_audit.postgresql.sql"), whatever the
// names' sort order.
std::map<int, Migration> MigrationsFor(std::string_view dialect) {
  std::map<int, Migration> out;
  std::map<int, std::string> dialect_parts;
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
    std::string& part = dot == std::string_view::npos ? m.sql : dialect_parts[number];
    part += file.sql;
    part += "\n";
  }
  for (auto& [number, sql] : dialect_parts) {
    out[number].sql += sql;
  }
  return out;
}

}  // namespace

int LatestMigration() {
  auto all = MigrationsFor("sqlite");
  return all.empty() ? 0 : all.rbegin()->first;
}

Status Migrate(Database& db) { return MigrateTo(db, LatestMigration()); }

Status MigrateTo(Database& db, int last) {
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
    if (number <= current || number > last) {
      continue;
    }
    Status status = db.Write([&](Session& s) {
      // Another node starting beside this one may have applied it since `current` was read;
      // writers are serialised, so this second look is the one that counts.
      CORDON_ASSIGN_OR_RETURN(std::int64_t applied,
                              s.QueryInt("SELECT COUNT(*) FROM schema_migrations WHERE number = ?",
                                         {static_cast<std::int64_t>(number)}));
      if (applied > 0) {
        return Status::Ok();
      }
      CORDON_RETURN_IF_ERROR(s.ExecScript(m.sql));
      if (number == kSealIdentifiersMigration) {
        // The one step SQL cannot take: sealing needs the key, which the database never holds.
        CORDON_RETURN_IF_ERROR(
            SealBareIdentifiers(s, static_cast<std::int64_t>(std::time(nullptr))));
      }
      return s
          .Exec("INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                {static_cast<std::int64_t>(number), m.name,
                 static_cast<std::int64_t>(std::time(nullptr))})
          .status();
    });
    if (!status.ok()) {
      return Internal("migration " + m.name + " failed: " + status.message());
    }
    if (number == kDropBareIdentifiersMigration) {
      // The bare identifiers may still be in the WAL's older frames or in freed pages: gone now.
      CORDON_RETURN_IF_ERROR(db.Scrub({"people", "user_totp", "tip_offs", "person_merges"}));
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<Database>> Open(const std::string& url, const OpenOptions& options) {
  std::string_view u = url;
  if (u.starts_with("postgresql://") || u.starts_with("postgres://")) {
    return OpenPostgres(url, options);
  }
  if (u.starts_with("sqlite:")) {
    u.remove_prefix(7);
  }
  if (u.empty()) {
    return InvalidArgument("database URL has no path: use sqlite:PATH or postgresql://...");
  }
  return OpenSqlite(std::string(u), options);
}

}  // namespace cordon::store
