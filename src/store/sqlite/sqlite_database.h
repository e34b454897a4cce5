// The SQLite backend: WAL, foreign keys, synchronous=FULL (an acknowledged write survives power
// loss), secure_delete, one writer connection and a pool of read-only connections. Every
// connection's settings are read back when it opens (pragmas.h); a difference refuses the open.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace cordon::store {

// Errors: kUnavailable when the file cannot be opened; kFailedPrecondition when a connection's
// settings read back differently from the ones set (the message names the pragma and value).
Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options);

}  // namespace cordon::store
