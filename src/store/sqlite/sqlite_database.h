// The SQLite backend: WAL, foreign keys, synchronous=FULL (an acknowledged write survives power
// loss), one writer connection and a pool of read-only connections.
#pragma once

#include <memory>
#include <string>

#include "store/database.h"

namespace cordon::store {

Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path, const OpenOptions& options);

}  // namespace cordon::store
