// The connection settings the SQLite backend's durability rests on (security.md H1), applied to
// every connection and read back before the connection is used: a build of SQLite, a
// compile-time default or a future edit that silently leaves one of them different would
// otherwise weaken every commit without a sign.
#pragma once

#include <sqlite3.h>

#include "base/status.h"

namespace cordon::store {

// The busy timeout every connection waits for a lock, in milliseconds.
inline constexpr int kBusyTimeoutMs = 5000;

// Applies the settings to `db`: WAL (the writer only: readers inherit the file's mode),
// synchronous=FULL, foreign_keys=ON, secure_delete=ON (a deleted person's bytes are overwritten,
// F2), the busy timeout, and the cache and checkpoint settings of the backend. Errors: kInternal
// when a statement fails.
Status ApplyPragmas(sqlite3* db, bool read_only);

// Reads back journal_mode (wal), synchronous (2, FULL), foreign_keys (1), secure_delete (1) and
// busy_timeout (kBusyTimeoutMs) from `db`. Errors: kFailedPrecondition naming the first pragma
// whose value differs, and the value found; kInternal when a pragma cannot be read. A seam for
// the tests, which hand it a raw connection set to other values.
Status VerifyPragmas(sqlite3* db);

}  // namespace cordon::store
