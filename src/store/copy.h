// `cordon copy`: a whole installation from one database to another (SQLite to PostgreSQL when a
// city outgrows one machine, PostgreSQL to SQLite for an offline copy, either to a restore
// target). Every table is copied in one transaction on the target, then counted and hashed on
// both sides before that transaction commits: a copy is whole and checked, or nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"
#include "store/database.h"

namespace cordon::store {

struct TableCopied {
  std::string table;
  std::int64_t rows = 0;
  std::string sha256;  // hex, over every row in primary-key order, the same on both sides
};

struct CopyReport {
  std::vector<TableCopied> tables;  // in the order copied (parents before children)
  std::int64_t rows = 0;
};

// Copies every table of `from` into `to`. `from` must be at this program's newest migration
// (it is only read); `to` is migrated first and must hold nothing but what the migrations put
// there. The identity sequences of PostgreSQL continue after the copied ids. `progress` gets one
// line per table. Errors: kFailedPrecondition for a source at another schema version or a
// target with data, kInternal when a table's count or hash differs after the copy (nothing is
// committed then).
Result<CopyReport> CopyDatabase(Database& from, Database& to,
                                const std::function<void(const std::string&)>& progress);

// After rows were inserted with explicit ids: the next id assigned by the database follows the
// largest in `table`.`column` (PostgreSQL identity columns; SQLite does this by itself).
Status ContinueIdentity(Session& session, std::string_view dialect, const std::string& table,
                        const std::string& column);

}  // namespace cordon::store
