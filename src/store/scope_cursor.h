// A keyset cursor over rows ordered by (region_path, id): the order of the index every scoped
// table has, so that a page of a jurisdiction is read in index order with no sort, whatever
// the size of the jurisdiction. Written as "region_path,id"; the client passes it back as is.
// In SQL: `AND (t.region_path, t.id) > (?, ?) ORDER BY t.region_path, t.id` (row values: SQLite
// 3.15+ and PostgreSQL).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace cordon::store {

struct ScopeCursor {
  std::string region_path;  // empty: from the start
  std::int64_t id = 0;
};

// "" is the start. Errors: kInvalidArgument on field `after` for anything not written by
// FormatScopeCursor.
Result<ScopeCursor> ParseScopeCursor(std::string_view text);
std::string FormatScopeCursor(const ScopeCursor& cursor);

// The cursor to bind in SQL for a jurisdiction starting at `scope_lo`: never before it. PostgreSQL
// starts the index scan at the row-value bound alone, so a first page's ("", 0) would read every
// entry of the index before the jurisdiction (a grid at the end: 2,000 pages for 50 rows).
inline ScopeCursor StartWithin(const ScopeCursor& after, const std::string& scope_lo) {
  return after.region_path < scope_lo ? ScopeCursor{scope_lo, 0} : after;
}

}  // namespace cordon::store
