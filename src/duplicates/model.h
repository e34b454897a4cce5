// Doubtful matches of person files (疑似重复档案) and the merges that decide them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "people/model.h"

namespace cordon::duplicates {

// What a file holds besides its own fields: what a merge moves, shown before anyone merges.
struct Holdings {
  std::int64_t leads = 0;
  bool open_task = false;
  std::int64_t measures = 0;
  std::int64_t followups = 0;
  struct Current {
    std::int64_t id = 0;
    std::string measure;  // home_quarantine, central_quarantine, …
    std::string state;
  };
  std::optional<Current> current_measure;
};

struct Pair {
  std::int64_t id = 0;
  std::string status;  // open | merged | kept_apart
  std::string reason;  // same_name_phone | reported
  std::string source;
  std::string note;
  std::string region_path;
  std::int64_t created_at = 0;
  std::string created_by;
  std::int64_t decided_at = 0;
  std::string decided_by, decision_note;
  std::int64_t merge_id = 0;
  std::int64_t kept_id = 0;  // of the merge that decided it
  std::int64_t left_id = 0, right_id = 0;
  people::Person left, right;
  Holdings left_holds, right_holds;  // filled for one pair, not for lists
};

struct PairCounts {
  std::int64_t open = 0, merged = 0, kept_apart = 0;
};

// Which file stays, and whose value of each group of fields it ends with.
struct MergeChoice {
  bool keep_left = true;
  bool identity_left = true;  // id_type, id_number, birth_date and sex go together
  bool name_left = true;
  bool phone_left = true;
  bool address_left = true;
  std::string reason;
};

struct Merge {
  std::int64_t id = 0;
  std::int64_t kept_id = 0, merged_id = 0;
  std::string actor;
  std::int64_t at = 0;
  std::string reason;
  std::int64_t undone_at = 0;
  std::string undone_by, undo_reason;
};

}  // namespace cordon::duplicates
