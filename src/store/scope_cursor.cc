#include "store/scope_cursor.h"

#include <charconv>

namespace cordon::store {

Result<ScopeCursor> ParseScopeCursor(std::string_view text) {
  ScopeCursor cursor;
  if (text.empty()) {
    return cursor;
  }
  auto bad = [] { return FieldInvalid("after", "分页游标无效 (not a cursor this list gave)"); };
  std::size_t comma = text.rfind(',');
  if (comma == std::string_view::npos || comma == 0) {
    return bad();
  }
  std::string_view path = text.substr(0, comma);
  std::string_view id = text.substr(comma + 1);
  for (char c : path) {
    if (c != '/' && (c < '0' || c > '9')) {
      return bad();
    }
  }
  auto [ptr, ec] = std::from_chars(id.data(), id.data() + id.size(), cursor.id);
  if (id.empty() || ec != std::errc() || ptr != id.data() + id.size() || cursor.id < 0) {
    return bad();
  }
  cursor.region_path = std::string(path);
  return cursor;
}

std::string FormatScopeCursor(const ScopeCursor& cursor) {
  return cursor.region_path + "," + std::to_string(cursor.id);
}

}  // namespace cordon::store
