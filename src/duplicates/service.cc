#include "duplicates/service.h"

#include <nlohmann/json.hpp>

#include "auth/rules.h"
#include "duplicates/moves.h"
#include "duplicates/store.h"
#include "leads/rules.h"
#include "leads/store.h"
#include "people/duplicate_queue.h"
#include "people/store.h"

namespace cordon::duplicates {
namespace {

using nlohmann::json;

// A scan stops after this many pairs: enough for a day's work, and the answer says so.
constexpr int kScanLimit = 1000;

Status RequireMerge(const auth::Principal& who) {
  if (!auth::Can(who.user.role, auth::Permission::kPeopleMerge)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

const Status& PairNotFound() {
  static const Status status(
      StatusCode::kNotFound,
      "疑似重复记录不存在或不在管辖范围内 (no such pair in your jurisdiction)");
  return status;
}

// A side the caller may not see (moved out of their jurisdiction, or merged into another file)
// is shown by its id alone.
Status LoadSides(store::Session& s, const auth::PathRange& scope, Pair& p) {
  CORDON_ASSIGN_OR_RETURN(auto left, people::FindInScope(s, p.left_id, scope));
  CORDON_ASSIGN_OR_RETURN(auto right, people::FindInScope(s, p.right_id, scope));
  p.left = left.value_or(people::Person{});  // id 0 when not found
  p.right = right.value_or(people::Person{});
  return Status::Ok();
}

std::string Ids(const std::vector<Pair>& pairs) {
  std::string out;
  for (const auto& p : pairs) {
    out += (out.empty() ? "" : ",") + std::to_string(p.left_id) + "," + std::to_string(p.right_id);
  }
  return out;
}

}  // namespace

std::int64_t DuplicateService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Result<std::vector<Pair>> DuplicateService::List(const auth::Principal& who,
                                                 const std::string& status, std::int64_t after,
                                                 int limit, PairCounts* counts) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  if (status != "open" && status != "merged" && status != "kept_apart") {
    return FieldInvalid("status", "应为 open、merged 或 kept_apart (open, merged or kept_apart)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::vector<Pair> pairs;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(pairs, ListPairs(s, status, scope, after, limit));
    for (auto& p : pairs) {
      CORDON_RETURN_IF_ERROR(LoadSides(s, scope, p));
    }
    if (counts != nullptr) {
      CORDON_ASSIGN_OR_RETURN(*counts, CountPairs(s, scope));
    }
    return Status::Ok();
  }));
  // The people shown, by id, as every list of person files is audited.
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"duplicates.list", "person", "", "ok", "", "ids=" + Ids(pairs)}));
  return pairs;
}

Result<Pair> DuplicateService::Get(const auth::Principal& who, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<Pair> pair;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(pair, PairInScope(s, id, scope));
    if (!pair) {
      return Status::Ok();
    }
    CORDON_RETURN_IF_ERROR(LoadSides(s, scope, *pair));
    if (pair->left.id != 0) {
      CORDON_ASSIGN_OR_RETURN(pair->left_holds, HoldingsOf(s, pair->left_id));
    }
    if (pair->right.id != 0) {
      CORDON_ASSIGN_OR_RETURN(pair->right_holds, HoldingsOf(s, pair->right_id));
    }
    return Status::Ok();
  }));
  if (!pair) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "duplicate_pair", std::to_string(id), "denied", "", ""}));
    return PairNotFound();
  }
  CORDON_RETURN_IF_ERROR(audit_.Record(
      who, {"duplicates.get", "duplicate_pair", std::to_string(id), "ok", "",
            "ids=" + std::to_string(pair->left_id) + "," + std::to_string(pair->right_id)}));
  return *pair;
}

Result<MergeResult> DuplicateService::Merge(const auth::Principal& who, std::int64_t pair_id,
                                            const MergeChoice& choice) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  MergeResult out;
  bool denied = false;
  Status status = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto pair, PairInScope(s, pair_id, scope));
    if (!pair) {
      denied = true;
      return Status::Ok();
    }
    if (pair->status != "open") {
      return FailedPrecondition("该疑似重复已处理 (this pair has been decided)");
    }
    CORDON_ASSIGN_OR_RETURN(auto left, people::FindInScope(s, pair->left_id, scope));
    CORDON_ASSIGN_OR_RETURN(auto right, people::FindInScope(s, pair->right_id, scope));
    if (!left || !right) {
      return FailedPrecondition(
          "其中一份档案已合并或已不在管辖范围内 (one of the files was merged or moved away)");
    }
    people::Person kept = choice.keep_left ? *left : *right;
    people::Person gone = choice.keep_left ? *right : *left;
    CORDON_ASSIGN_OR_RETURN(Holdings kept_holds, HoldingsOf(s, kept.id));
    CORDON_ASSIGN_OR_RETURN(Holdings gone_holds, HoldingsOf(s, gone.id));
    if (kept_holds.current_measure && gone_holds.current_measure) {
      return FailedPrecondition(
          "两份档案都有进行中的管控措施，请先解除或撤销其中一项 (both files are under a current "
          "measure: end one of them first)");
    }

    // Every field group comes from the side chosen for it, whichever file is kept.
    const people::Person& ident = choice.identity_left ? *left : *right;
    json fields = FieldsJson(kept);
    fields["id_type"] = ident.id_type;
    fields["id_number"] = ident.id_number;
    fields["birth_date"] = ident.birth_date;
    fields["sex"] = ident.sex;
    fields["name"] = (choice.name_left ? *left : *right).name;
    fields["phone"] = (choice.phone_left ? *left : *right).phone;
    fields["address"] = (choice.address_left ? *left : *right).address;
    // The tombstone keeps whichever identity the kept file does not end with.
    const bool swapped = ident.id != kept.id;
    json gone_identity = {{"id_type", swapped ? kept.id_type : gone.id_type},
                          {"id_number", swapped ? kept.id_number : gone.id_number}};

    CORDON_ASSIGN_OR_RETURN(json leads_before, LeadsOf(s, gone.id));
    CORDON_ASSIGN_OR_RETURN(auto kept_task, leads::OpenTaskOf(s, kept.id));
    CORDON_ASSIGN_OR_RETURN(auto gone_task, leads::OpenTaskOf(s, gone.id));
    json task_change = json::object();
    if (kept_task && gone_task) {
      // One person, one open task: the other's leads join the kept task, at the stronger category.
      CORDON_RETURN_IF_ERROR(
          JoinTask(s, gone_task->id, kept_task->id, who.user.username, kept.id, now));
      task_change["closed"] = gone_task->id;
      if (leads::CategoryRank(gone_task->category) > leads::CategoryRank(kept_task->category)) {
        CORDON_RETURN_IF_ERROR(SetTaskCategory(s, kept_task->id, gone_task->category));
        task_change["raised"] = kept_task->id;
        task_change["category_before"] = kept_task->category;
      }
    }
    CORDON_ASSIGN_OR_RETURN(json moved, MoveHoldings(s, gone.id, kept.id, std::move(leads_before)));
    moved["task_change"] = task_change;
    CORDON_ASSIGN_OR_RETURN(bool written,
                            WriteMerged(s, kept, fields, gone.id, gone_identity, now));
    if (!written) {
      return FailedPrecondition(
          "档案已被他人修改，请刷新后重试 (the file changed: reload and retry)");
    }
    StoredMerge m;
    m.merge = {0, kept.id, gone.id, who.user.username, now, choice.reason, 0, "", ""};
    m.kept_before = SealedSnapshot(s, FieldsJson(kept));
    m.merged_before = SealedSnapshot(s, FieldsJson(gone));
    m.moved = moved.dump();
    m.kept_version = kept.version + 1;
    CORDON_ASSIGN_OR_RETURN(out.merge_id, InsertMerge(s, m));
    CORDON_ASSIGN_OR_RETURN(bool decided, DecidePair(s, pair_id, "merged", who.user.username,
                                                     choice.reason, out.merge_id, now));
    if (!decided) {
      return FailedPrecondition("该疑似重复已处理 (this pair has been decided)");
    }
    CORDON_ASSIGN_OR_RETURN(auto after, people::FindInScope(s, kept.id, scope));
    out.kept = after.value_or(kept);
    out.merged_id = gone.id;
    return audit_.Append(
        s, who,
        {"people.merge", "person", std::to_string(kept.id), "ok", choice.reason,
         "merge=" + std::to_string(out.merge_id) + ",merged=" + std::to_string(gone.id)});
  });
  CORDON_RETURN_IF_ERROR(status);
  if (denied) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "duplicate_pair", std::to_string(pair_id), "denied", "", ""}));
    return PairNotFound();
  }
  return out;
}

Result<Pair> DuplicateService::KeepApart(const auth::Principal& who, std::int64_t pair_id,
                                         const std::string& reason) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  std::optional<Pair> pair;
  Status status = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(pair, PairInScope(s, pair_id, scope));
    if (!pair) {
      return Status::Ok();
    }
    if (pair->status != "open") {
      return FailedPrecondition("该疑似重复已处理 (this pair has been decided)");
    }
    CORDON_ASSIGN_OR_RETURN(
        bool decided, DecidePair(s, pair_id, "kept_apart", who.user.username, reason, 0, now));
    if (!decided) {
      return FailedPrecondition("该疑似重复已处理 (this pair has been decided)");
    }
    pair->status = "kept_apart";
    pair->decided_at = now;
    pair->decided_by = who.user.username;
    pair->decision_note = reason;
    return audit_.Append(
        s, who,
        {"people.keep_apart", "duplicate_pair", std::to_string(pair_id), "ok", reason,
         "ids=" + std::to_string(pair->left_id) + "," + std::to_string(pair->right_id)});
  });
  CORDON_RETURN_IF_ERROR(status);
  if (!pair) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "duplicate_pair", std::to_string(pair_id), "denied", "", ""}));
    return PairNotFound();
  }
  return *pair;
}

Result<std::int64_t> DuplicateService::Report(const auth::Principal& who, std::int64_t a,
                                              std::int64_t b, const std::string& reason) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  if (a == b) {
    return FieldInvalid("right_id", "两份档案不能是同一份 (the two files must differ)");
  }
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  std::int64_t id = 0;
  std::int64_t missing = 0;
  Status status = db_.Write([&](store::Session& s) -> Status {
    for (std::int64_t person : {a, b}) {
      CORDON_ASSIGN_OR_RETURN(auto found, people::FindInScope(s, person, scope));
      if (!found) {
        missing = person;
        return Status::Ok();
      }
    }
    CORDON_RETURN_IF_ERROR(
        people::QueueDuplicate(s, a, b, "reported", "reported", reason, who.user.username, now)
            .status());
    CORDON_RETURN_IF_ERROR(ReopenPair(s, std::min(a, b), std::max(a, b), reason));
    CORDON_ASSIGN_OR_RETURN(id, PairIdOf(s, a, b));
    if (id == 0) {
      return FailedPrecondition("两份档案不在同一城市，无法比对 (the files share no region)");
    }
    return audit_.Append(s, who,
                         {"duplicates.report", "duplicate_pair", std::to_string(id), "ok", reason,
                          "ids=" + std::to_string(a) + "," + std::to_string(b)});
  });
  CORDON_RETURN_IF_ERROR(status);
  if (missing != 0) {
    CORDON_RETURN_IF_ERROR(
        audit_.Record(who, {"authz_denied", "person", std::to_string(missing), "denied", "", ""}));
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  return id;
}

Result<ScanResult> DuplicateService::Scan(const auth::Principal& who) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  ScanResult r;
  Status status = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto found, SameNamePhoneIn(s, scope, kScanLimit));
    r.scanned = static_cast<std::int64_t>(found.size());
    for (const auto& [a, b] : found) {
      CORDON_ASSIGN_OR_RETURN(bool added, people::QueueDuplicate(s, a, b, "same_name_phone", "scan",
                                                                 "", who.user.username, now));
      r.queued += added ? 1 : 0;
    }
    return audit_.Append(
        s, who,
        {"duplicates.scan", "region", who.user.region_code, "ok", "",
         "scanned=" + std::to_string(r.scanned) + ",queued=" + std::to_string(r.queued)});
  });
  CORDON_RETURN_IF_ERROR(status);
  return r;
}

Result<std::vector<duplicates::Merge>> DuplicateService::MergesOf(const auth::Principal& who,
                                                                  std::int64_t person_id) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::optional<std::vector<duplicates::Merge>> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto person, people::FindInScope(s, person_id, scope));
    if (person) {
      CORDON_ASSIGN_OR_RETURN(out, duplicates::MergesOf(s, person_id));
    }
    return Status::Ok();
  }));
  if (!out) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "person", std::to_string(person_id), "denied", "", ""}));
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  return *out;
}

Result<std::vector<std::int64_t>> DuplicateService::Undo(const auth::Principal& who,
                                                         std::int64_t merge_id,
                                                         const std::string& reason) {
  CORDON_RETURN_IF_ERROR(RequireMerge(who));
  const auth::PathRange scope = auth::SubtreeRange(who.region_path);
  const std::int64_t now = Now();
  std::vector<std::int64_t> restored;
  bool denied = false;
  Status status = db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto m, FindMerge(s, merge_id));
    std::optional<people::Person> kept;
    if (m) {
      CORDON_ASSIGN_OR_RETURN(kept, people::FindInScope(s, m->merge.kept_id, scope));
    }
    if (!m || !kept) {
      denied = true;
      return Status::Ok();
    }
    if (m->merge.undone_at != 0) {
      return FailedPrecondition("该合并已撤销 (this merge was undone already)");
    }
    CORDON_ASSIGN_OR_RETURN(const json merged_before, OpenSnapshot(s, m->merged_before));
    // Both files come back: both must lie in the caller's jurisdiction.
    if (!auth::InSubtree(merged_before.value("region_path", ""), who.region_path)) {
      denied = true;
      return Status::Ok();
    }
    if (kept->version != m->kept_version) {
      return FailedPrecondition(
          "合并后该档案已被修改，不能自动撤销，请人工核对 (the kept file changed after the merge: "
          "it cannot be undone automatically)");
    }
    const json moved = json::parse(m->moved);
    CORDON_ASSIGN_OR_RETURN(bool attached, AttachedSince(s, moved));
    if (attached) {
      return FailedPrecondition(
          "合并后又有线索、预警或后续措施记在合并来的记录上，不能自动撤销，请人工核对 (new leads, "
          "alerts or next steps hang on the merged records: it cannot be undone automatically)");
    }
    const json change = moved.value("task_change", json::object());
    // Back in the reverse order of the merge: categories, then the rows, then the closed task.
    if (change.contains("raised")) {
      CORDON_RETURN_IF_ERROR(SetTaskCategory(s, change["raised"].get<std::int64_t>(),
                                             change["category_before"].get<std::string>()));
    }
    CORDON_RETURN_IF_ERROR(MoveBack(s, moved, m->merge.merged_id));
    if (change.contains("closed")) {
      CORDON_RETURN_IF_ERROR(ReopenMergedTask(s, change["closed"].get<std::int64_t>()));
    }
    CORDON_ASSIGN_OR_RETURN(const json kept_before, OpenSnapshot(s, m->kept_before));
    CORDON_RETURN_IF_ERROR(
        RestoreBoth(s, m->merge.kept_id, kept_before, m->merge.merged_id, merged_before, now));
    CORDON_RETURN_IF_ERROR(MarkUndone(s, merge_id, who.user.username, reason, now));
    // Undone because they are two people: the pair is kept apart, not asked again.
    CORDON_RETURN_IF_ERROR(KeepApartAfterUndo(s, merge_id, who.user.username, reason, now));
    restored = {m->merge.kept_id, m->merge.merged_id};
    return audit_.Append(
        s, who,
        {"people.unmerge", "person", std::to_string(m->merge.kept_id), "ok", reason,
         "merge=" + std::to_string(merge_id) + ",restored=" + std::to_string(m->merge.merged_id)});
  });
  CORDON_RETURN_IF_ERROR(status);
  if (denied) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "person_merge", std::to_string(merge_id), "denied", "", ""}));
    return NotFound("合并记录不存在或不在管辖范围内 (no such merge in your jurisdiction)");
  }
  return restored;
}

}  // namespace cordon::duplicates
