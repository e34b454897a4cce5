#include "purges/service.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>

#include "auth/rules.h"
#include "base/text.h"
#include "purges/signing.h"

namespace cordon::purges {
namespace {

using nlohmann::json;

constexpr std::string_view kColumns =
    "p.id, p.reason, p.status, p.requested_by, u.username, u.display_name, p.requested_at, "
    "p.decided_by, d.username, d.display_name, p.decided_at, p.decision_note, p.executed_at, "
    "p.certificate";
constexpr std::string_view kFrom =
    " FROM purges p JOIN users u ON u.id = p.requested_by LEFT JOIN users d ON d.id = p.decided_by";

Purge ReadPurge(const store::Row& row) {
  Purge p;
  p.id = row.Int(0);
  p.reason = row.Text(1);
  p.status = row.Text(2);
  p.requested_by = {row.Int(3), row.Text(4), row.Text(5)};
  p.requested_at = row.Int(6);
  if (!row.IsNull(7)) {
    p.decided_by = {row.Int(7), row.Text(8), row.Text(9)};
    p.decided_at = row.Int(10);
  }
  p.decision_note = row.Text(11);
  p.executed_at = row.IsNull(12) ? 0 : row.Int(12);
  const json certificate = json::parse(row.Text(13), nullptr, false);
  if (certificate.is_object() && certificate.contains("tables")) {
    p.tables = certificate["tables"].get<std::map<std::string, std::int64_t>>();
  }
  return p;
}

const Status& PurgeNotFound() {
  static const Status status(StatusCode::kNotFound, "销毁申请不存在 (no such purge)");
  return status;
}

std::string Who(const PurgeUser& u) { return u.username + "（" + u.display_name + "）"; }

std::string Iso(std::int64_t t, base::UtcOffset offset) {
  return base::FormatIso(std::chrono::system_clock::time_point(std::chrono::seconds(t)), offset);
}

// The statistics that outlive the purge: per district, the cases by classification, the close
// contacts screened, the measures and the tip-offs.
Result<json> Summary(store::Session& s) {
  json districts = json::array();
  json totals = {{"confirmed", 0},      {"asymptomatic", 0}, {"suspected", 0},
                 {"close_contacts", 0}, {"measures", 0},     {"tip_offs", 0}};
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT r.code, r.name, "
              "(SELECT COUNT(*) FROM cases c WHERE c.classification = 'confirmed' "
              "AND c.region_path LIKE r.path || '%'), "
              "(SELECT COUNT(*) FROM cases c WHERE c.classification = 'asymptomatic' "
              "AND c.region_path LIKE r.path || '%'), "
              "(SELECT COUNT(*) FROM cases c WHERE c.classification = 'suspected' "
              "AND c.region_path LIKE r.path || '%'), "
              "(SELECT COUNT(*) FROM tasks t WHERE t.category = 'close_contact' "
              "AND t.region_path LIKE r.path || '%'), "
              "(SELECT COUNT(*) FROM measures m WHERE m.region_path LIKE r.path || '%'), "
              "(SELECT COUNT(*) FROM tip_offs o WHERE o.region_path LIKE r.path || '%') "
              "FROM regions r WHERE r.level = 2 ORDER BY r.code",
              {}, [&](const store::Row& row) {
                json d = {{"code", row.Text(0)},     {"name", row.Text(1)},
                          {"confirmed", row.Int(2)}, {"asymptomatic", row.Int(3)},
                          {"suspected", row.Int(4)}, {"close_contacts", row.Int(5)},
                          {"measures", row.Int(6)},  {"tip_offs", row.Int(7)}};
                for (auto& [key, value] : totals.items()) {
                  value = value.get<std::int64_t>() + d[key].get<std::int64_t>();
                }
                districts.push_back(std::move(d));
                return Status::Ok();
              }));
  return json{{"districts", districts}, {"totals", totals}};
}

Result<std::map<std::string, std::int64_t>> CountTables(store::Session& s) {
  std::map<std::string, std::int64_t> counts;
  for (std::string_view table : PurgeService::Tables()) {
    CORDON_ASSIGN_OR_RETURN(counts[std::string(table)],
                            s.QueryInt("SELECT COUNT(*) FROM " + std::string(table), {}));
  }
  return counts;
}

}  // namespace

const std::vector<std::string_view>& PurgeService::Tables() {
  // Children before parents, so that every foreign key holds after each statement. Regions,
  // staff, venues, profiles, users and the audit trail stay.
  static const auto* tables =
      new std::vector<std::string_view>{"case_contacts",   "case_investigation",
                                        "exposures",       "cases",
                                        "clusters",        "measure_test_days",
                                        "measure_events",  "followups",
                                        "alerts",          "followup_links",
                                        "home_services",   "measures",
                                        "leads",           "tasks",
                                        "lead_imports",    "tip_offs",
                                        "duplicate_pairs", "person_merges",
                                        "household_staff", "people",
                                        "households",      "checkin_log",
                                        "exports"};
  return *tables;
}

std::int64_t PurgeService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Status PurgeService::RequireCityWide(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  std::int64_t roots = 0;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(
        roots, s.QueryInt("SELECT COUNT(*) FROM regions WHERE path = ? AND parent_code IS NULL",
                          {who.region_path}));
    return Status::Ok();
  }));
  if (roots == 0) {
    return PermissionDenied(
        "只有全市范围的指挥部和管理员可以销毁数据 (city-wide command and administrators only)");
  }
  return Status::Ok();
}

bool PurgeService::CanApprove(const auth::Principal& who, const Purge& p) const {
  return p.status == "pending" && p.requested_by.id != who.user.id &&
         auth::Can(who.user.role, auth::Permission::kPurgeApprove);
}

Result<Purge> PurgeService::Load(store::Session& s, std::int64_t id) {
  std::optional<Purge> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT " + std::string(kColumns) + std::string(kFrom) + " WHERE p.id = ?", {id},
              [&](const store::Row& row) {
                out = ReadPurge(row);
                return Status::Ok();
              }));
  if (!out.has_value()) {
    return PurgeNotFound();
  }
  return std::move(*out);
}

Result<Purge> PurgeService::Request(const auth::Principal& who, std::string_view reason,
                                    std::string_view confirm) {
  CORDON_RETURN_IF_ERROR(RequireCityWide(who, auth::Permission::kRetention));
  if (!base::IsValidUtf8(reason) || base::CodePoints(reason) < 4 ||
      base::CodePoints(reason) > 500) {
    return FieldInvalid("reason", "请写明理由，4 到 500 字 (state a reason, 4 to 500 characters)");
  }
  if (confirm != kConfirmation) {
    return FieldInvalid("confirm", "请输入「" + std::string(kConfirmation) +
                                       "」以确认 (type the confirmation phrase exactly)");
  }
  const std::int64_t now = Now();
  Purge out;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(std::int64_t pending,
                            s.QueryInt("SELECT COUNT(*) FROM purges WHERE status = 'pending'", {}));
    if (pending > 0) {
      return FailedPrecondition("已有一份销毁申请待审批 (a purge request is already waiting)");
    }
    CORDON_ASSIGN_OR_RETURN(
        std::int64_t id,
        s.QueryInt("INSERT INTO purges (reason, status, requested_by, requested_at) "
                   "VALUES (?, 'pending', ?, ?) RETURNING id",
                   {std::string(reason), who.user.id, now}));
    CORDON_RETURN_IF_ERROR(audit_.Append(
        s, who, {"purge.request", "purge", std::to_string(id), "ok", std::string(reason), ""}));
    CORDON_ASSIGN_OR_RETURN(out, Load(s, id));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<Purge>> PurgeService::List(const auth::Principal& who) {
  if (!auth::Can(who.user.role, auth::Permission::kPurgeApprove)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  std::vector<Purge> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    return s.Query("SELECT " + std::string(kColumns) + std::string(kFrom) + " ORDER BY p.id DESC",
                   {}, [&](const store::Row& row) {
                     out.push_back(ReadPurge(row));
                     return Status::Ok();
                   });
  }));
  return out;
}

Result<std::map<std::string, std::int64_t>> PurgeService::Counts(const auth::Principal& who) {
  if (!auth::Can(who.user.role, auth::Permission::kPurgeApprove)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  std::map<std::string, std::int64_t> counts;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(counts, CountTables(s));
    return Status::Ok();
  }));
  return counts;
}

Result<Purge> PurgeService::Decide(const auth::Principal& who, std::int64_t id, bool approve,
                                   std::string_view note) {
  CORDON_RETURN_IF_ERROR(RequireCityWide(who, auth::Permission::kPurgeApprove));
  if (!base::IsValidUtf8(note) || base::CodePoints(note) > 500) {
    return FieldInvalid("note", "无效或超过 500 字 (invalid or over 500 characters)");
  }
  if (!approve && base::CodePoints(note) < 2) {
    return FieldInvalid("note", "驳回需说明理由 (a rejection needs a note)");
  }
  // The key first: a purge that could not be certified must not delete anything.
  std::optional<SigningKey> key;
  if (approve) {
    auto loaded = SigningKey::LoadOrCreate(key_path_);
    if (!loaded.has_value()) {
      return FailedPrecondition(
          "签名密钥不可用，未删除任何数据 (the signing key cannot be used; "
          "nothing was deleted): " +
          loaded.error().message());
    }
    key = std::move(*loaded);
  }
  const std::int64_t now = Now();
  Purge out;
  CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(Purge p, Load(s, id));
    if (p.status != "pending") {
      return FailedPrecondition("该申请已处理 (already decided)");
    }
    if (p.requested_by.id == who.user.id) {
      return PermissionDenied("不能审批自己的申请 (a second person must approve)");
    }
    CORDON_RETURN_IF_ERROR(
        s.Exec(
             "UPDATE purges SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? "
             "WHERE id = ?",
             {std::string(approve ? "done" : "rejected"), who.user.id, now, std::string(note), id})
            .status());
    if (!approve) {
      CORDON_RETURN_IF_ERROR(
          audit_.Append(s, who, {"purge.reject", "purge", std::to_string(id), "ok", "", ""}));
      CORDON_ASSIGN_OR_RETURN(out, Load(s, id));
      return Status::Ok();
    }
    CORDON_RETURN_IF_ERROR(
        audit_.Append(s, who, {"purge.approve", "purge", std::to_string(id), "ok", "", ""}));
    CORDON_ASSIGN_OR_RETURN(json summary, Summary(s));
    std::map<std::string, std::int64_t> deleted;
    for (std::string_view table : Tables()) {
      CORDON_ASSIGN_OR_RETURN(deleted[std::string(table)],
                              s.Exec("DELETE FROM " + std::string(table), {}));
    }
    CORDON_RETURN_IF_ERROR(
        audit_.Append(s, who, {"purge.execute", "purge", std::to_string(id), "ok", "", "tables"}));
    json head = {{"head_id", 0}, {"head_hash", ""}};
    CORDON_RETURN_IF_ERROR(s.Query("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1", {},
                                   [&](const store::Row& row) {
                                     head = {{"head_id", row.Int(0)}, {"head_hash", row.Text(1)}};
                                     return Status::Ok();
                                   }));
    PurgeUser approver{who.user.id, who.user.username, who.user.display_name};
    const json certificate = {{"purge_id", id},
                              {"reason", p.reason},
                              {"requested_by", Who(p.requested_by)},
                              {"requested_at", Iso(p.requested_at, offset_)},
                              {"approved_by", Who(approver)},
                              {"approved_at", Iso(now, offset_)},
                              {"executed_at", Iso(now, offset_)},
                              {"tables", deleted},
                              {"summary", summary},
                              {"audit", head},
                              {"algorithm", "Ed25519"},
                              {"key_id", key->KeyId()}};
    const std::string text = certificate.dump();
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE purges SET executed_at = ?, certificate = ?, signature = ?, public_key = ? "
               "WHERE id = ?",
               {now, text, key->Sign(text), key->public_key(), id})
            .status());
    CORDON_ASSIGN_OR_RETURN(out, Load(s, id));
    return Status::Ok();
  }));
  if (approve) {
    std::vector<std::string> tables(Tables().begin(), Tables().end());
    CORDON_RETURN_IF_ERROR(db_.Scrub(tables));
  }
  return out;
}

Result<Certificate> PurgeService::GetCertificate(const auth::Principal& who, std::int64_t id) {
  if (!auth::Can(who.user.role, auth::Permission::kPurgeApprove)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  std::optional<Certificate> out;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    return s.Query(
        "SELECT certificate, signature, public_key FROM purges WHERE id = ? AND status = 'done'",
        {id}, [&](const store::Row& row) {
          out = Certificate{row.Text(0), row.Text(1), row.Text(2), false};
          return Status::Ok();
        });
  }));
  if (!out.has_value()) {
    return PurgeNotFound();
  }
  out->verified = VerifySignature(out->text, out->signature, out->public_key);
  return std::move(*out);
}

Result<std::string> VerifyCertificateFile(std::string_view json_text) {
  const json file = json::parse(json_text, nullptr, false);
  if (!file.is_object() || !file.contains("certificate") || !file["certificate"].is_object()) {
    return InvalidArgument(
        "not a certificate: expected {\"certificate\": {...}, \"signature\", "
        "\"public_key\"}");
  }
  if (!file.contains("signature") || !file["signature"].is_string() ||
      !file.contains("public_key") || !file["public_key"].is_string()) {
    return InvalidArgument("the certificate has no signature or public_key");
  }
  if (!VerifySignature(file["certificate"].dump(), file["signature"].get<std::string>(),
                       file["public_key"].get<std::string>())) {
    return InvalidArgument(
        "the signature does not match the certificate: it was altered, or "
        "signed by another key");
  }
  const std::string key_id = KeyIdOf(file["public_key"].get<std::string>());
  if (file["certificate"].value("key_id", std::string()) != key_id) {
    return InvalidArgument("the certificate names key " +
                           file["certificate"].value("key_id", std::string("(none)")) +
                           " but was signed by key " + key_id);
  }
  return key_id;
}

}  // namespace cordon::purges
