// The queue of doubtful matches (疑似重复档案): two person files that may be one person, waiting
// for someone to merge them or keep them apart. Whoever creates a file (lead import, the public
// form, a file entered by hand) calls QueueSameNamePhone inside their own transaction.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/status.h"
#include "store/database.h"

namespace cordon::people {

// Queues the pair {a, b} once (a kept-apart pair is never queued again). The pair belongs to the
// lowest region holding both files; a file with no region (fail closed) queues nothing.
// Returns whether a new pair was queued.
Result<bool> QueueDuplicate(store::Session& s, std::int64_t a, std::int64_t b,
                            std::string_view reason, std::string_view source, std::string_view note,
                            std::string_view actor, std::int64_t now);

// Queues every other live file with the same name and phone as `id` (a new file whose ID number
// was not on file, for example). Returns how many pairs were queued.
Result<int> QueueSameNamePhone(store::Session& s, std::int64_t id, std::string_view source,
                               std::string_view actor, std::int64_t now);

// The longest common ancestor of two region paths ("/a/b/c/" and "/a/b/d/" give "/a/b/"); empty
// when either is empty or they share nothing.
std::string CommonRegionPath(std::string_view a, std::string_view b);

}  // namespace cordon::people
