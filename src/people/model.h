// Person files (一人一档): one person, one file; every other record links to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/scope_cursor.h"

namespace cordon::people {

struct Person {
  std::int64_t id = 0;
  std::string id_type = "resident_id";  // resident_id | passport | other
  std::string id_number;
  std::string name;
  std::string sex;         // "M" | "F"
  std::string birth_date;  // YYYY-MM-DD
  std::string phone;       // 11-digit mainland mobile or empty
  std::string address;
  std::int64_t household_id = 0;  // 0: none
  std::string region_code;        // the grid (or other node) the person belongs to
  std::string region_name;
  std::string region_path;
  std::int64_t version = 1;  // optimistic concurrency: every update must name it
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

// What a caller may send to create or change a person; absent fields are not changed.
struct PersonInput {
  std::optional<std::string> id_type, id_number, name, sex, birth_date, phone, address, region;
  std::optional<std::int64_t> household_id, version;
};

// How a search string is read: a whole ID number, a whole phone, an address fragment, or a name.
enum class QueryKind { kAll, kIdNumber, kPhone, kAddress, kName };

// Pages follow the jurisdiction index (region_path, id), so that a grid's list is read in index
// order on every backend however the ids fall (store/scope_cursor.h).
struct Page {
  store::ScopeCursor after;  // keyset cursor: rows after this one
  int limit = 50;
};

}  // namespace cordon::people
