#include "home_services/store.h"

#include "base/masking.h"

namespace cordon::home_services {
namespace {

// The id of the row an INSERT … RETURNING id made: this transaction's, on every backend.
Result<std::int64_t> Returning(store::Session& s, std::string_view sql,
                               const store::Params& params) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    id = row.Int(0);
    return Status::Ok();
  }));
  return id;
}

constexpr std::string_view kServiceSelect =
    "SELECT v.id, v.kind, v.measure_id, m.person_id, p.name, p.address, m.region_code, r.name, "
    "v.region_path, v.status, v.detail, v.advanced_cents, v.repaid_cents, v.created_at, "
    "COALESCE(v.done_at, 0), v.created_by, COALESCE(v.done_by, ''), COALESCE(v.outcome, '') "
    "FROM home_services v JOIN measures m ON m.id = v.measure_id JOIN people p ON p.id = "
    "m.person_id JOIN regions r ON r.code = m.region_code ";

Service ReadService(const store::Row& row) {
  Service v;
  v.id = row.Int(0);
  v.kind = row.Text(1);
  v.measure_id = row.Int(2);
  v.person_id = row.Int(3);
  v.name = row.Text(4);
  v.address = row.Text(5);
  v.region_code = row.Text(6);
  v.region_name = row.Text(7);
  v.region_path = row.Text(8);
  v.status = row.Text(9);
  v.detail = row.Text(10);
  v.advanced_cents = row.Int(11);
  v.repaid_cents = row.Int(12);
  v.created_at = row.Int(13);
  v.done_at = row.Int(14);
  v.created_by = row.Text(15);
  v.done_by = row.Text(16);
  v.outcome = row.Text(17);
  return v;
}

constexpr std::string_view kTipSelect =
    "SELECT t.id, t.address, t.detail, t.contact_phone_masked, t.region_code, r.name, "
    "t.region_path, "
    "t.unrouted, t.status, t.reward_cents, t.created_at, COALESCE(t.closed_at, 0), "
    "COALESCE(t.closed_by, ''), COALESCE(t.outcome, '') FROM tip_offs t JOIN regions r ON "
    "r.code = t.region_code ";

TipOff ReadTip(const store::Row& row) {
  TipOff t;
  t.id = row.Int(0);
  t.address = row.Text(1);
  t.detail = row.Text(2);
  t.contact_phone = row.Text(3);  // masked: the whole number is sealed (security.md B3)
  t.region_code = row.Text(4);
  t.region_name = row.Text(5);
  t.region_path = row.Text(6);
  t.unrouted = row.Int(7) != 0;
  t.status = row.Text(8);
  t.reward_cents = row.Int(9);
  t.created_at = row.Int(10);
  t.closed_at = row.Int(11);
  t.closed_by = row.Text(12);
  t.outcome = row.Text(13);
  return t;
}

}  // namespace

Result<std::optional<MeasureRef>> CurrentMeasureInScope(store::Session& s, std::int64_t id,
                                                        const auth::PathRange& scope) {
  std::optional<MeasureRef> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT id, region_path FROM measures WHERE id = ? AND region_path >= ? AND region_path < ? "
      "AND state IN ('planned', 'active', 'extended')",
      {id, scope.lo, scope.hi}, [&](const store::Row& row) {
        out = MeasureRef{row.Int(0), row.Text(1)};
        return Status::Ok();
      }));
  return out;
}

Result<std::int64_t> InsertService(store::Session& s, const Service& v) {
  return Returning(
      s,
      "INSERT INTO home_services (kind, measure_id, region_path, status, detail, "
      "advanced_cents, repaid_cents, created_at, created_by, done_at, done_by, outcome) "
      "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) RETURNING id",
      {v.kind, v.measure_id, v.region_path, v.status, v.detail, v.advanced_cents, v.created_at,
       v.created_by, v.done_at == 0 ? store::Value{} : store::Value{v.done_at},
       v.done_by.empty() ? store::Value{} : store::Value{v.done_by},
       v.outcome.empty() ? store::Value{} : store::Value{v.outcome}});
}

Result<std::optional<Service>> ServiceInScope(store::Session& s, std::int64_t id,
                                              const auth::PathRange& scope) {
  std::optional<Service> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      std::string(kServiceSelect) + "WHERE v.id = ? AND v.region_path >= ? AND v.region_path < ?",
      {id, scope.lo, scope.hi}, [&](const store::Row& row) {
        out = ReadService(row);
        return Status::Ok();
      }));
  return out;
}

Result<bool> FinishService(store::Session& s, std::int64_t id, const std::string& by,
                           const std::string& outcome, std::int64_t repaid_cents,
                           std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE home_services SET status = 'done', done_at = ?, done_by = ?, outcome = ?, "
             "repaid_cents = ? WHERE id = ? AND status = 'open'",
             {now, by, outcome, repaid_cents, id}));
  return changed == 1;
}

Result<std::vector<Service>> ListServices(store::Session& s, const auth::PathRange& scope,
                                          const ServiceQuery& q) {
  std::string sql =
      std::string(kServiceSelect) + "WHERE v.region_path >= ? AND v.region_path < ? AND v.id > ?";
  store::Params params{scope.lo, scope.hi, q.after};
  if (!q.kind.empty()) {
    sql += " AND v.kind = ?";
    params.emplace_back(q.kind);
  }
  if (q.status != "all") {
    sql += " AND v.status = ?";
    params.emplace_back(q.status);
  }
  sql += " ORDER BY v.id LIMIT ?";
  params.emplace_back(std::int64_t{q.limit});
  std::vector<Service> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    out.push_back(ReadService(row));
    return Status::Ok();
  }));
  return out;
}

Result<ServiceCounts> CountServices(store::Session& s, const auth::PathRange& scope) {
  ServiceCounts c;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT COALESCE(SUM(CASE WHEN kind = 'shopping' AND status = 'open' THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'rubbish' AND status = 'open' THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN kind = 'shopping' THEN advanced_cents - repaid_cents ELSE 0 END), 0) "
      "FROM home_services WHERE region_path >= ? AND region_path < ?",
      {scope.lo, scope.hi}, [&](const store::Row& row) {
        c.shopping_open = row.Int(0);
        c.rubbish_open = row.Int(1);
        c.unpaid_cents = row.Int(2);
        return Status::Ok();
      }));
  return c;
}

Result<std::string> GridOfBuilding(store::Session& s, const std::string& building) {
  std::string out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT region_code FROM households WHERE address >= ? AND address < ? "
              "ORDER BY address, id LIMIT 1",
              {building, building + "\xF4\x8F\xBF\xBF"}, [&](const store::Row& row) {
                out = row.Text(0);
                return Status::Ok();
              }));
  return out;
}

Result<std::int64_t> InsertTipOff(store::Session& s, const TipOff& t) {
  return Returning(
      s,
      "INSERT INTO tip_offs (address, detail, contact_phone_sealed, contact_phone_masked, "
      "region_code, region_path, unrouted, status, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?) RETURNING id",
      {t.address, t.detail, s.Fields().Seal(store::SealedField::kTipOffPhone, t.contact_phone),
       t.contact_phone.empty() ? std::string() : base::MaskPhone(t.contact_phone), t.region_code,
       t.region_path, std::int64_t{t.unrouted ? 1 : 0}, t.created_at});
}

Result<std::optional<TipOff>> TipOffInScope(store::Session& s, std::int64_t id,
                                            const auth::PathRange& scope) {
  std::optional<TipOff> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      std::string(kTipSelect) + "WHERE t.id = ? AND t.region_path >= ? AND t.region_path < ?",
      {id, scope.lo, scope.hi}, [&](const store::Row& row) {
        out = ReadTip(row);
        return Status::Ok();
      }));
  return out;
}

Result<bool> CloseTipOff(store::Session& s, std::int64_t id, const std::string& status,
                         const std::string& by, const std::string& outcome,
                         std::int64_t reward_cents, std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE tip_offs SET status = ?, closed_at = ?, closed_by = ?, outcome = ?, "
             "reward_cents = ? WHERE id = ? AND status = 'open'",
             {status, now, by, outcome, reward_cents, id}));
  return changed == 1;
}

Result<std::vector<TipOff>> ListTipOffs(store::Session& s, const auth::PathRange& scope,
                                        const std::string& status, std::int64_t after, int limit) {
  std::string sql =
      std::string(kTipSelect) + "WHERE t.region_path >= ? AND t.region_path < ? AND t.id > ?";
  store::Params params{scope.lo, scope.hi, after};
  if (status != "all") {
    sql += " AND t.status = ?";
    params.emplace_back(status);
  }
  sql += " ORDER BY t.id LIMIT ?";
  params.emplace_back(std::int64_t{limit});
  std::vector<TipOff> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    out.push_back(ReadTip(row));
    return Status::Ok();
  }));
  return out;
}

}  // namespace cordon::home_services
