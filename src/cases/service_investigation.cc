// The investigation record (流调报告) of a case: its entries and the printable report.
#include "auth/rules.h"
#include "cases/internal/checks.h"
#include "cases/report.h"
#include "cases/rules.h"
#include "cases/service.h"
#include "cases/store.h"

namespace cordon::cases {
namespace {

using internal::CaseNotFound;
using internal::Require;

Status CheckEntry(store::Session& s, const EntryInput& in, std::int64_t now) {
  if (!IsEntryKind(in.kind)) {
    return FieldInvalid("kind",
                        "应为 place（场所）、person（人员）、activity（活动）或 travel（出行）");
  }
  CORDON_RETURN_IF_ERROR(internal::PastTime("at", in.at, now));
  if (in.until) {
    CORDON_RETURN_IF_ERROR(internal::PastTime("until", *in.until, now));
    if (*in.until < in.at) {
      return FieldInvalid("until", "结束时间早于开始时间 (until is before at)");
    }
  }
  CORDON_RETURN_IF_ERROR(internal::Text("place", in.place.value_or(""), 0, 200));
  CORDON_RETURN_IF_ERROR(internal::Text("text", in.text, 1, 2000));
  if (in.kind == "place" && !in.venue_code && in.place.value_or("").empty()) {
    return FieldInvalid("venue_code", "到访场所需填写场所码或地点 (a venue code or a place)");
  }
  if (in.venue_code) {
    CORDON_ASSIGN_OR_RETURN(bool known, VenueExists(s, *in.venue_code));
    if (!known) {
      return FieldInvalid("venue_code", "场所码不存在 (no such venue)");
    }
  }
  if (in.person_id) {
    // The person met may live anywhere: only that the file exists is checked.
    CORDON_ASSIGN_OR_RETURN(auto person, FindPerson(s, *in.person_id, {}));
    if (!person) {
      return FieldInvalid("person_id", "人员不存在 (no such person)");
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<Entry>> CaseService::Entries(const auth::Principal& who, std::int64_t case_id) {
  CORDON_ASSIGN_OR_RETURN(Detail d, GetDetail(who, case_id));
  return std::move(d.entries);
}

Result<Entry> CaseService::AddEntry(const auth::Principal& who, std::int64_t case_id,
                                    const EntryInput& in) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  const std::int64_t now = Now();
  std::optional<Entry> out;
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto c, CaseInScope(s, case_id, auth::SubtreeRange(who.region_path)));
    if (!c) {
      visible = false;
      return Status::Ok();
    }
    CORDON_RETURN_IF_ERROR(CheckEntry(s, in, now));
    CORDON_ASSIGN_OR_RETURN(std::int64_t id, InsertEntry(s, case_id, in, who.user.username, now));
    CORDON_ASSIGN_OR_RETURN(out, EntryOf(s, case_id, id));
    return audit_.Append(s, who,
                         {"cases.entry_add", "case", std::to_string(case_id), "ok", "",
                          "entry=" + std::to_string(id)});
  }));
  if (!visible) {
    return Denied(who, "case", case_id, CaseNotFound().message());
  }
  return *out;
}

Result<Entry> CaseService::UpdateEntry(const auth::Principal& who, std::int64_t case_id,
                                       std::int64_t entry_id, const EntryInput& in) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  const std::int64_t now = Now();
  std::optional<Entry> out;
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto c, CaseInScope(s, case_id, auth::SubtreeRange(who.region_path)));
    CORDON_ASSIGN_OR_RETURN(auto entry, c ? EntryOf(s, case_id, entry_id) : std::optional<Entry>());
    if (!entry) {
      visible = false;
      return Status::Ok();
    }
    CORDON_RETURN_IF_ERROR(CheckEntry(s, in, now));
    CORDON_ASSIGN_OR_RETURN(bool updated,
                            cases::UpdateEntry(s, entry_id, in, who.user.username, now));
    if (!updated) {
      return FailedPrecondition("记录已被他人修改，请刷新后重试 (stale version: reload)");
    }
    CORDON_ASSIGN_OR_RETURN(out, EntryOf(s, case_id, entry_id));
    return audit_.Append(s, who,
                         {"cases.entry_update", "case", std::to_string(case_id), "ok", "",
                          "entry=" + std::to_string(entry_id)});
  }));
  if (!visible) {
    return Denied(who, "case", case_id,
                  "调查记录不存在或不在管辖范围内 (no such entry in your jurisdiction)");
  }
  return *out;
}

Status CaseService::DeleteEntry(const auth::Principal& who, std::int64_t case_id,
                                std::int64_t entry_id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCasesWrite));
  const std::int64_t now = Now();
  bool visible = true;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(auto c, CaseInScope(s, case_id, auth::SubtreeRange(who.region_path)));
    CORDON_ASSIGN_OR_RETURN(auto entry, c ? EntryOf(s, case_id, entry_id) : std::optional<Entry>());
    if (!entry) {
      visible = false;
      return Status::Ok();
    }
    CORDON_RETURN_IF_ERROR(cases::DeleteEntry(s, entry_id, who.user.username, now));
    return audit_.Append(s, who,
                         {"cases.entry_delete", "case", std::to_string(case_id), "ok", "",
                          "entry=" + std::to_string(entry_id)});
  }));
  if (!visible) {
    return Denied(who, "case", case_id,
                  "调查记录不存在或不在管辖范围内 (no such entry in your jurisdiction)");
  }
  return Status::Ok();
}

Result<std::string> CaseService::ExportHtml(const auth::Principal& who, std::int64_t case_id) {
  CORDON_ASSIGN_OR_RETURN(Detail d, GetDetail(who, case_id));
  ReportInput in;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(in.targets, CurrentTargets(s));
    return Status::Ok();
  }));
  in.c = std::move(d.c);
  in.entries = std::move(d.entries);
  in.exposures = std::move(d.exposures);
  in.scope = auth::SubtreeRange(who.region_path);
  in.exporter = who.user.display_name.empty()
                    ? who.user.username
                    : who.user.display_name + "（" + who.user.username + "）";
  in.exported_at = Now();
  in.offset = offset_;
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"cases.export", "person", std::to_string(in.c.person_id), "ok", "",
                          "case=" + std::to_string(case_id) + ",format=html"}));
  return InvestigationHtml(in);
}

}  // namespace cordon::cases
