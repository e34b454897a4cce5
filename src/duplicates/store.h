// SQL of doubtful pairs and merges. Pairs are read through the caller's subtree (their
// region_path is the lowest region holding both files); the files themselves through
// people::FindInScope.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "duplicates/model.h"
#include "store/database.h"

namespace cordon::duplicates {

Result<std::optional<Pair>> PairInScope(store::Session& s, std::int64_t id,
                                        const auth::PathRange& scope);
// Open pairs whose two files are both still live; decided pairs as they were decided.
Result<std::vector<Pair>> ListPairs(store::Session& s, const std::string& status,
                                    const auth::PathRange& scope, std::int64_t after, int limit);
Result<PairCounts> CountPairs(store::Session& s, const auth::PathRange& scope);
Result<Holdings> HoldingsOf(store::Session& s, std::int64_t person_id);

// Pairs of live files in `scope` that share a name and a phone (at most `limit`).
Result<std::vector<std::pair<std::int64_t, std::int64_t>>> SameNamePhoneIn(
    store::Session& s, const auth::PathRange& scope, int limit);

// False when the pair was decided meanwhile.
Result<bool> DecidePair(store::Session& s, std::int64_t id, const std::string& status,
                        const std::string& by, const std::string& note, std::int64_t merge_id,
                        std::int64_t now);
// A pair reported by hand: a kept-apart pair goes back to the queue, and a pair queued by a rule
// gets the reporter's reason as its note.
Status ReopenPair(store::Session& s, std::int64_t left_id, std::int64_t right_id,
                  const std::string& note);
Result<std::int64_t> PairIdOf(store::Session& s, std::int64_t a, std::int64_t b);

struct StoredMerge {
  Merge merge;
  std::string kept_before, merged_before, moved;  // JSON
  std::int64_t kept_version = 0;
};
Result<std::int64_t> InsertMerge(store::Session& s, const StoredMerge& m);
Result<std::optional<StoredMerge>> FindMerge(store::Session& s, std::int64_t id);
Result<std::vector<Merge>> MergesOf(store::Session& s, std::int64_t person_id);
// The pair a merge decided, once the merge is undone: two people, not to be asked again.
Status KeepApartAfterUndo(store::Session& s, std::int64_t merge_id, const std::string& by,
                          const std::string& reason, std::int64_t now);
Status MarkUndone(store::Session& s, std::int64_t id, const std::string& by,
                  const std::string& reason, std::int64_t now);

}  // namespace cordon::duplicates
