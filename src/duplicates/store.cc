#include "duplicates/store.h"

#include <algorithm>

namespace cordon::duplicates {
namespace {

constexpr std::string_view kPairSelect =
    "SELECT d.id, d.status, d.reason, d.source, d.note, d.region_path, d.created_at, "
    "d.created_by, COALESCE(d.decided_at, 0), COALESCE(d.decided_by, ''), "
    "COALESCE(d.decision_note, ''), COALESCE(d.merge_id, 0), d.left_id, d.right_id, "
    "COALESCE((SELECT m.kept_id FROM person_merges m WHERE m.id = d.merge_id), 0) "
    "FROM duplicate_pairs d ";

// An open pair whose files have since been merged into others is no longer a question.
constexpr std::string_view kBothLive =
    "NOT EXISTS (SELECT 1 FROM people x WHERE x.id IN (d.left_id, d.right_id) "
    "AND x.merged_into IS NOT NULL)";

Pair ReadPair(const store::Row& row) {
  Pair p;
  p.id = row.Int(0);
  p.status = row.Text(1);
  p.reason = row.Text(2);
  p.source = row.Text(3);
  p.note = row.Text(4);
  p.region_path = row.Text(5);
  p.created_at = row.Int(6);
  p.created_by = row.Text(7);
  p.decided_at = row.Int(8);
  p.decided_by = row.Text(9);
  p.decision_note = row.Text(10);
  p.merge_id = row.Int(11);
  p.left_id = row.Int(12);
  p.right_id = row.Int(13);
  p.kept_id = row.Int(14);
  return p;
}

constexpr std::string_view kMergeColumns =
    "id, kept_id, merged_id, actor, at, reason, COALESCE(undone_at, 0), COALESCE(undone_by, ''), "
    "COALESCE(undo_reason, '')";

Merge ReadMerge(const store::Row& row) {
  Merge m;
  m.id = row.Int(0);
  m.kept_id = row.Int(1);
  m.merged_id = row.Int(2);
  m.actor = row.Text(3);
  m.at = row.Int(4);
  m.reason = row.Text(5);
  m.undone_at = row.Int(6);
  m.undone_by = row.Text(7);
  m.undo_reason = row.Text(8);
  return m;
}

}  // namespace

Result<std::optional<Pair>> PairInScope(store::Session& s, std::int64_t id,
                                        const auth::PathRange& scope) {
  std::optional<Pair> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      std::string(kPairSelect) + "WHERE d.id = ? AND d.region_path >= ? AND d.region_path < ?",
      {id, scope.lo, scope.hi}, [&](const store::Row& row) {
        out = ReadPair(row);
        return Status::Ok();
      }));
  return out;
}

Result<std::vector<Pair>> ListPairs(store::Session& s, const std::string& status,
                                    const auth::PathRange& scope, std::int64_t after, int limit) {
  std::string sql = std::string(kPairSelect) +
                    "WHERE d.status = ? AND d.region_path >= ? AND d.region_path < ? AND d.id > ?";
  if (status == "open") {
    sql += " AND " + std::string(kBothLive);
  }
  sql += " ORDER BY d.id LIMIT ?";
  std::vector<Pair> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, {status, scope.lo, scope.hi, after, std::int64_t{limit}},
                                 [&](const store::Row& row) {
                                   out.push_back(ReadPair(row));
                                   return Status::Ok();
                                 }));
  return out;
}

Result<PairCounts> CountPairs(store::Session& s, const auth::PathRange& scope) {
  PairCounts c;
  CORDON_ASSIGN_OR_RETURN(
      c.open, s.QueryInt("SELECT COUNT(*) FROM duplicate_pairs d WHERE d.status = 'open' AND "
                         "d.region_path >= ? AND d.region_path < ? AND " +
                             std::string(kBothLive),
                         {scope.lo, scope.hi}));
  CORDON_ASSIGN_OR_RETURN(
      c.merged, s.QueryInt("SELECT COUNT(*) FROM duplicate_pairs WHERE status = 'merged' AND "
                           "region_path >= ? AND region_path < ?",
                           {scope.lo, scope.hi}));
  CORDON_ASSIGN_OR_RETURN(
      c.kept_apart, s.QueryInt("SELECT COUNT(*) FROM duplicate_pairs WHERE status = 'kept_apart' "
                               "AND region_path >= ? AND region_path < ?",
                               {scope.lo, scope.hi}));
  return c;
}

Result<Holdings> HoldingsOf(store::Session& s, std::int64_t person_id) {
  Holdings h;
  CORDON_ASSIGN_OR_RETURN(
      h.leads, s.QueryInt("SELECT COUNT(*) FROM leads WHERE person_id = ?", {person_id}));
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t open,
      s.QueryInt("SELECT COUNT(*) FROM tasks WHERE person_id = ? AND status = 'open'",
                 {person_id}));
  h.open_task = open > 0;
  CORDON_ASSIGN_OR_RETURN(
      h.measures, s.QueryInt("SELECT COUNT(*) FROM measures WHERE person_id = ?", {person_id}));
  CORDON_ASSIGN_OR_RETURN(h.followups,
                          s.QueryInt("SELECT COUNT(*) FROM followups f JOIN measures m "
                                     "ON m.id = f.measure_id WHERE m.person_id = ?",
                                     {person_id}));
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, measure, state FROM measures WHERE person_id = ? "
              "AND state IN ('planned', 'active', 'extended')",
              {person_id}, [&](const store::Row& row) {
                h.current_measure = Holdings::Current{row.Int(0), row.Text(1), row.Text(2)};
                return Status::Ok();
              }));
  return h;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> SameNamePhoneIn(
    store::Session& s, const auth::PathRange& scope, int limit) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  // Every live file in the subtree, against the (phone, name) index: one probe each.
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT p.id, o.id FROM people p JOIN people o ON o.phone_index = p.phone_index "
      "AND o.name = p.name AND o.id > p.id WHERE p.region_path >= ? AND p.region_path < ? "
      "AND p.phone_index <> '' "
      "AND o.region_path >= ? AND o.region_path < ? AND NOT EXISTS (SELECT 1 FROM "
      "duplicate_pairs d WHERE d.left_id = p.id AND d.right_id = o.id) ORDER BY p.id, o.id "
      "LIMIT ?",
      {scope.lo, scope.hi, scope.lo, scope.hi, std::int64_t{limit}}, [&](const store::Row& row) {
        out.emplace_back(row.Int(0), row.Int(1));
        return Status::Ok();
      }));
  return out;
}

Result<bool> DecidePair(store::Session& s, std::int64_t id, const std::string& status,
                        const std::string& by, const std::string& note, std::int64_t merge_id,
                        std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE duplicate_pairs SET status = ?, decided_at = ?, decided_by = ?, "
             "decision_note = ?, merge_id = ? WHERE id = ? AND status = 'open'",
             {status, now, by, note, merge_id == 0 ? store::Value{} : store::Value{merge_id}, id}));
  return changed == 1;
}

Status ReopenPair(store::Session& s, std::int64_t left_id, std::int64_t right_id,
                  const std::string& note) {
  CORDON_RETURN_IF_ERROR(s.Exec("UPDATE duplicate_pairs SET note = ? WHERE left_id = ? AND "
                                "right_id = ? AND note = ''",
                                {note, left_id, right_id})
                             .status());
  return s
      .Exec(
          "UPDATE duplicate_pairs SET status = 'open', decided_at = NULL, decided_by = NULL, "
          "decision_note = NULL, merge_id = NULL WHERE left_id = ? AND right_id = ? "
          "AND status = 'kept_apart'",
          {left_id, right_id})
      .status();
}

Result<std::int64_t> PairIdOf(store::Session& s, std::int64_t a, std::int64_t b) {
  std::int64_t id = 0;
  const std::int64_t left = std::min(a, b);
  const std::int64_t right = std::max(a, b);
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id FROM duplicate_pairs WHERE left_id = ? AND right_id = ?", {left, right},
              [&](const store::Row& row) {
                id = row.Int(0);
                return Status::Ok();
              }));
  return id;
}

Result<std::int64_t> InsertMerge(store::Session& s, const StoredMerge& m) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(
      s.Query("INSERT INTO person_merges (kept_id, merged_id, kept_before, merged_before, moved, "
              "kept_version, actor, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
              {m.merge.kept_id, m.merge.merged_id, m.kept_before, m.merged_before, m.moved,
               m.kept_version, m.merge.actor, m.merge.at, m.merge.reason},
              [&](const store::Row& row) {
                id = row.Int(0);
                return Status::Ok();
              }));
  return id;
}

Result<std::optional<StoredMerge>> FindMerge(store::Session& s, std::int64_t id) {
  std::optional<StoredMerge> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT " + std::string(kMergeColumns) +
          ", kept_before, merged_before, moved, kept_version FROM person_merges WHERE id = ?",
      {id}, [&](const store::Row& row) {
        StoredMerge m;
        m.merge = ReadMerge(row);
        m.kept_before = row.Text(9);
        m.merged_before = row.Text(10);
        m.moved = row.Text(11);
        m.kept_version = row.Int(12);
        out = std::move(m);
        return Status::Ok();
      }));
  return out;
}

Result<std::vector<Merge>> MergesOf(store::Session& s, std::int64_t person_id) {
  std::vector<Merge> out;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT " + std::string(kMergeColumns) +
                                     " FROM person_merges WHERE kept_id = ? OR merged_id = ? "
                                     "ORDER BY id DESC LIMIT 100",
                                 {person_id, person_id}, [&](const store::Row& row) {
                                   out.push_back(ReadMerge(row));
                                   return Status::Ok();
                                 }));
  return out;
}

Status KeepApartAfterUndo(store::Session& s, std::int64_t merge_id, const std::string& by,
                          const std::string& reason, std::int64_t now) {
  return s
      .Exec(
          "UPDATE duplicate_pairs SET status = 'kept_apart', decided_at = ?, decided_by = ?, "
          "decision_note = ? WHERE merge_id = ?",
          {now, by, reason, merge_id})
      .status();
}

Status MarkUndone(store::Session& s, std::int64_t id, const std::string& by,
                  const std::string& reason, std::int64_t now) {
  return s
      .Exec("UPDATE person_merges SET undone_at = ?, undone_by = ?, undo_reason = ? WHERE id = ?",
            {now, by, reason, id})
      .status();
}

}  // namespace cordon::duplicates
