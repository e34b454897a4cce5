// The PostgreSQL server settings an acknowledged commit's durability rests on (security.md H5).
// OpenPostgres reads them on its writing connection and refuses to start when a commit could
// be lost or torn by a power cut; the tests read them the same way.
#pragma once

#include <string>
#include <vector>

#include "store/database.h"

namespace cordon::store {

// As `SHOW name` gives them ("on", "off", "local", ...).
struct DurabilitySettings {
  std::string fsync;
  std::string synchronous_commit;
  std::string full_page_writes;
  std::string data_checksums;
};

// Reads the four settings as the server applies them to `session` (after ALTER SYSTEM, ALTER
// DATABASE and ALTER ROLE). Errors: as Session::Query.
Result<DurabilitySettings> ReadDurabilitySettings(Session& session);

// Returns the warnings to log: data_checksums off (silent page corruption goes unnoticed; a
// cluster gets checksums from `initdb --data-checksums` or `pg_checksums --enable`).
// Errors: kFailedPrecondition naming the first of fsync, synchronous_commit and full_page_writes
// that is off, since an acknowledged commit could then vanish or be torn by a power cut. Any
// synchronous_commit other than off (local, remote_write, on, remote_apply) flushes the
// commit record locally before it is acknowledged, and passes.
Result<std::vector<std::string>> CheckDurabilitySettings(const DurabilitySettings& settings);

}  // namespace cordon::store
