// The one database interface. Backends (sqlite/, later postgres/) implement it; nothing above
// store/ knows which one runs. SQL written against it must be portable: `?` placeholders
// (a backend rewrites them), INTEGER unix-second times, no backend-specific functions.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"
#include "store/field_cipher.h"

namespace cordon::store {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Params = std::vector<Value>;

// One result row; valid only inside the callback that receives it.
class Row {
 public:
  virtual ~Row() = default;
  virtual int Columns() const = 0;
  virtual bool IsNull(int column) const = 0;
  virtual std::int64_t Int(int column) const = 0;
  virtual double Real(int column) const = 0;
  virtual std::string Text(int column) const = 0;
};

using RowCallback = std::function<Status(const Row&)>;

// A connection inside one transaction. Not thread-safe; lives only during Read/Write.
class Session {
 public:
  virtual ~Session() = default;
  // Runs a statement; returns the number of rows it changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, const Params& params) = 0;
  // Runs a query and calls on_row for each row, stopping at the first non-OK status it returns.
  virtual Status Query(std::string_view sql, const Params& params, const RowCallback& on_row) = 0;
  // Runs a script of several statements without parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Convenience: the first column of the first row, or NotFound.
  Result<std::int64_t> QueryInt(std::string_view sql, const Params& params);

  // The cipher of the identifier columns (store/field_cipher.h), the one its database was given.
  // A database with none refuses to seal or open: fail closed, never store an identifier bare.
  const FieldCipher& Fields() const;
  // Set by the backend before it hands the session out.
  void UseFields(const FieldCipher* cipher) { fields_ = cipher; }

 private:
  const FieldCipher* fields_ = nullptr;
};

class Database {
 public:
  virtual ~Database() = default;
  // Runs fn in a read-only transaction (a consistent snapshot) on a pooled reader connection.
  // Thread-safe; readers run concurrently.
  virtual Status Read(const std::function<Status(Session&)>& fn) = 0;
  // Runs fn in one write transaction: commits when fn returns OK, rolls back otherwise, so a
  // failed request leaves no partial write. Writers are serialised. Thread-safe.
  virtual Status Write(const std::function<Status(Session&)>& fn) = 0;
  // The same, for records whose loss in a power cut (not a crash of the process) within the
  // backend's flush interval is acceptable: the audit rows of reads. Committed before it
  // returns, so visible to every reader and safe from a kill -9; on disk at the next durable
  // commit or background flush (SQLite: at most 200 ms later). Data changes never use this.
  virtual Status WriteFlushedSoon(const std::function<Status(Session&)>& fn) = 0;
  // An online backup to the file `path`, consistent as of one moment, while reads and writes go
  // on: SQLite's backup API, then integrity_check on the copy, which appears under `path` only
  // once whole and on disk. PostgreSQL answers kFailedPrecondition: pg_dump backs it up
  // (docs/operations.md).
  virtual Status Backup(const std::string& path) = 0;
  // After a deletion, leaves no copy of the deleted rows in the database's own files (security.md
  // F2). SQLite (secure_delete zeroes freed cells and pages) copies the WAL into the file and
  // truncates it, waiting for readers of older snapshots; PostgreSQL VACUUMs `tables` so their
  // dead tuples are reclaimed. Table names are the caller's constants, never input.
  virtual Status Scrub(const std::vector<std::string>& tables) = 0;
  // "sqlite" or "postgresql": for messages and the migration dialect only.
  virtual std::string_view Dialect() const = 0;

  // The cipher its sessions seal and open identifiers with (store/field_keys.h loads it). Set
  // once at open, before any session runs; a key rotation replaces it while nothing else runs.
  void SetFieldCipher(std::shared_ptr<const FieldCipher> cipher) { cipher_ = std::move(cipher); }
  const std::shared_ptr<const FieldCipher>& field_cipher() const { return cipher_; }

 private:
  std::shared_ptr<const FieldCipher> cipher_;
};

struct OpenOptions {
  int readers = 8;  // size of the reader pool: about one per concurrent request
};

// Opens "sqlite:PATH" (or a bare path). Creates the file when missing.
// Errors: kInvalidArgument for an unknown URL scheme, kUnavailable when the file cannot be opened.
Result<std::unique_ptr<Database>> Open(const std::string& url, const OpenOptions& options = {});

// Applies the numbered migrations not yet recorded in schema_migrations, each in its own
// transaction. Errors: kFailedPrecondition when the database is newer than this program.
Status Migrate(Database& db);
// The same up to migration `last` only: for tests of a migration on an older schema.
Status MigrateTo(Database& db, int last);

// The newest migration number this program knows.
int LatestMigration();

}  // namespace cordon::store
