// SQL that moves what a file holds (leads, tasks, measures, alerts) and rewrites the two files of
// a merge; used forwards by a merge and backwards by its undo, always inside one transaction.
#pragma once

#include <nlohmann/json.hpp>

#include "people/model.h"
#include "store/database.h"

namespace cordon::duplicates {

// The fields a merge may change or an undo restores, as stored in person_merges.
nlohmann::json FieldsJson(const people::Person& p);

// The same as person_merges keeps it: the ID number and phone sealed (security.md B3), so the
// record of a merge is no bare copy of the identifiers. Opened again for an undo.
std::string SealedSnapshot(const store::Session& s, nlohmann::json fields);
Result<nlohmann::json> OpenSnapshot(const store::Session& s, const std::string& stored);

// The leads of a file with the task each belongs to, [[id, task_id], …], read before anything
// moves so that an undo puts every lead back on its own task.
Result<nlohmann::json> LeadsOf(store::Session& s, std::int64_t person_id);
// Moves every lead, task, measure and alert of `from` to `to` and returns what moved, so that an
// undo moves exactly those back: {"leads": leads_before, "tasks": [...], "measures": [...],
// "alerts": [...]}.
Result<nlohmann::json> MoveHoldings(store::Session& s, std::int64_t from, std::int64_t to,
                                    nlohmann::json leads_before);
// Whether anything made after the merge hangs on a moved row (a lead joined a moved task, an
// alert or a next step came from a moved measure): moving those rows back would split them.
Result<bool> AttachedSince(store::Session& s, const nlohmann::json& moved);
Status MoveBack(store::Session& s, const nlohmann::json& moved, std::int64_t to);

// Both files open a task: the leads of `closing` join `kept_task`, and `closing` is closed as
// merged. Undone by ReopenMergedTask.
Status JoinTask(store::Session& s, std::int64_t closing, std::int64_t kept_task,
                const std::string& by, std::int64_t kept_id, std::int64_t now);
Status ReopenMergedTask(store::Session& s, std::int64_t task_id);
Status SetTaskCategory(store::Session& s, std::int64_t task_id, const std::string& category);

// Writes the identity and contact fields of `kept` (from `fields`), and turns `merged` into a
// tombstone pointing at it. The document numbers are unique, so when the kept file takes the
// other's identity the two swap them. Returns false when the kept file's version moved.
Result<bool> WriteMerged(store::Session& s, const people::Person& kept,
                         const nlohmann::json& fields, std::int64_t merged_id,
                         const nlohmann::json& merged_identity, std::int64_t now);
// Restores both files from their stored fields (tombstone back to a live file in its region).
Status RestoreBoth(store::Session& s, std::int64_t kept_id, const nlohmann::json& kept_before,
                   std::int64_t merged_id, const nlohmann::json& merged_before, std::int64_t now);

}  // namespace cordon::duplicates
