#include "people/duplicate_queue.h"

#include <algorithm>
#include <string>
#include <vector>

namespace cordon::people {

std::string CommonRegionPath(std::string_view a, std::string_view b) {
  std::size_t common = 0;  // the length of the shared prefix that ends at a '/'
  for (std::size_t i = 0; i < a.size() && i < b.size() && a[i] == b[i]; ++i) {
    if (a[i] == '/') {
      common = i + 1;
    }
  }
  // "/" alone is no region: two files in different cities share nothing.
  return common <= 1 ? std::string() : std::string(a.substr(0, common));
}

Result<bool> QueueDuplicate(store::Session& s, std::int64_t a, std::int64_t b,
                            std::string_view reason, std::string_view source, std::string_view note,
                            std::string_view actor, std::int64_t now) {
  if (a == b) {
    return false;
  }
  std::string path_a, path_b;
  int live = 0;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, region_path FROM people WHERE id IN (?, ?) AND merged_into IS NULL "
              "AND region_path IS NOT NULL",
              {a, b}, [&](const store::Row& row) {
                (row.Int(0) == a ? path_a : path_b) = row.Text(1);
                ++live;
                return Status::Ok();
              }));
  std::string path = live == 2 ? CommonRegionPath(path_a, path_b) : std::string();
  if (path.empty()) {
    return false;
  }
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t added,
      s.Exec("INSERT INTO duplicate_pairs (left_id, right_id, reason, source, note, region_path, "
             "status, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?) "
             "ON CONFLICT (left_id, right_id) DO NOTHING",
             {std::min(a, b), std::max(a, b), std::string(reason), std::string(source),
              std::string(note), path, now, std::string(actor)}));
  return added == 1;
}

Result<int> QueueSameNamePhone(store::Session& s, std::int64_t id, std::string_view source,
                               std::string_view actor, std::int64_t now) {
  std::vector<std::int64_t> others;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT o.id FROM people p JOIN people o ON o.phone_index = p.phone_index "
              "AND o.name = p.name WHERE p.id = ? AND p.phone_index <> '' AND o.id <> p.id "
              "AND o.merged_into IS NULL "
              "ORDER BY o.id LIMIT 20",
              {id}, [&](const store::Row& row) {
                others.push_back(row.Int(0));
                return Status::Ok();
              }));
  int queued = 0;
  for (std::int64_t other : others) {
    CORDON_ASSIGN_OR_RETURN(
        bool added, QueueDuplicate(s, id, other, "same_name_phone", source, "", actor, now));
    queued += added ? 1 : 0;
  }
  return queued;
}

}  // namespace cordon::people
