#include "store/sqlite/pragmas.h"

#include <string>

namespace cordon::store {
namespace {

Status Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string what = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    return Internal("sqlite: " + what + " in: " + sql);
  }
  return Status::Ok();
}

// The first column of `PRAGMA name`'s first row, as text.
Result<std::string> Read(sqlite3* db, const std::string& name) {
  const std::string sql = "PRAGMA " + name;
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
  std::string value;
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      value = text != nullptr ? reinterpret_cast<const char*>(text) : "";
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(stmt);
  if (rc != SQLITE_OK) {
    return Internal("cannot read PRAGMA " + name + ": " + sqlite3_errmsg(db));
  }
  return value;
}

}  // namespace

Status ApplyPragmas(sqlite3* db, bool read_only) {
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // No mmap: every commit that grows the file would make each connection remap it, and the
  // page faults cost more than pread from the page cache (measured: 2x on person lookups).
  // Readers get a smaller page cache each: there are as many of them as HTTP threads.
  std::string pragmas =
      "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON; "
      "PRAGMA temp_store=MEMORY;";
  pragmas += read_only ? "PRAGMA cache_size=-16384;" : "PRAGMA cache_size=-131072;";
  // The writer never checkpoints inside a commit; a background thread does (CheckpointLoop in
  // sqlite_database.cc), so that no request waits for a checkpoint's fsync.
  if (!read_only) {
    pragmas = "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; " + pragmas;
  }
  return Exec(db, pragmas);
}

Status VerifyPragmas(sqlite3* db) {
  struct Expected {
    const char* pragma;
    std::string value;
    const char* meaning;
  };
  const Expected expected[] = {
      {"journal_mode", "wal", "write-ahead log"},
      {"synchronous", "2", "FULL: an acknowledged commit survives a power cut"},
      {"foreign_keys", "1", "ON"},
      {"secure_delete", "1", "ON: deleted records are overwritten"},
      {"busy_timeout", std::to_string(kBusyTimeoutMs), "milliseconds"},
  };
  for (const Expected& e : expected) {
    CORDON_ASSIGN_OR_RETURN(std::string found, Read(db, e.pragma));
    if (found != e.value) {
      return FailedPrecondition(std::string("refusing to use the database: PRAGMA ") + e.pragma +
                                " is " + found + ", not " + e.value + " (" + e.meaning + ")");
    }
  }
  return Status::Ok();
}

}  // namespace cordon::store
