#include "followups/store.h"

#include <map>

namespace cordon::followups {
namespace {

constexpr std::string_view kDueColumns =
    "m.id, m.measure, m.state, m.start_date, m.followups_per_day, m.person_id, p.name, "
    "p.id_number_masked, p.phone_masked, m.region_code, r.name, m.region_path";
constexpr std::string_view kDueFrom =
    " FROM measures m JOIN people p ON p.id = m.person_id JOIN regions r ON r.code = "
    "m.region_code WHERE m.state IN ('active', 'extended') AND m.followups_per_day > 0";

DueItem ReadDue(const store::Row& row) {
  DueItem d;
  d.measure_id = row.Int(0);
  d.measure = row.Text(1);
  d.state = row.Text(2);
  d.start_date = row.Text(3);
  d.followups_per_day = static_cast<int>(row.Int(4));
  d.person_id = row.Int(5);
  d.name = row.Text(6);
  d.id_number = row.Text(7);
  d.phone = row.Text(8);
  d.region_code = row.Text(9);
  d.region_name = row.Text(10);
  d.region_path = row.Text(11);
  return d;
}

constexpr std::string_view kAlertColumns =
    "a.id, a.measure_id, a.person_id, p.name, p.id_number_masked, a.region_code, r.name, "
    "a.region_path, "
    "a.kind, a.detail, a.state, a.closed_by, a.outcome, a.raised_at, a.closed_at";
constexpr std::string_view kAlertFrom =
    " FROM alerts a JOIN people p ON p.id = a.person_id JOIN regions r ON r.code = a.region_code";

Alert ReadAlert(const store::Row& row) {
  Alert a;
  a.id = row.Int(0);
  a.measure_id = row.Int(1);
  a.person_id = row.Int(2);
  a.name = row.Text(3);
  a.id_number = row.Text(4);
  a.region_code = row.Text(5);
  a.region_name = row.Text(6);
  a.region_path = row.Text(7);
  a.kind = row.Text(8);
  a.detail = row.Text(9);
  a.state = row.Text(10);
  a.closed_by = row.IsNull(11) ? "" : row.Text(11);
  a.outcome = row.IsNull(12) ? "" : row.Text(12);
  a.raised_at = row.Int(13);
  a.closed_at = row.IsNull(14) ? 0 : row.Int(14);
  return a;
}

}  // namespace

Status FillToday(store::Session& s, std::vector<DueItem>& items, const std::string& date) {
  if (items.empty()) {
    return Status::Ok();
  }
  std::string sql =
      "SELECT measure_id, slot, outcome, temperature, symptoms, note, source, recorded_at, "
      "recorded_by FROM followups WHERE date = ? AND measure_id IN (";
  store::Params params{date};
  std::map<std::int64_t, DueItem*> by_id;
  for (auto& item : items) {
    sql += by_id.empty() ? "?" : ", ?";
    params.emplace_back(item.measure_id);
    by_id[item.measure_id] = &item;
  }
  sql += ") ORDER BY measure_id, slot";
  return s.Query(sql, params, [&](const store::Row& row) {
    Followup f;
    f.measure_id = row.Int(0);
    f.date = date;
    f.slot = static_cast<int>(row.Int(1));
    f.outcome = row.Text(2);
    if (!row.IsNull(3)) {
      f.temperature = row.Real(3);
    }
    f.symptoms = row.Text(4);
    f.note = row.Text(5);
    f.source = row.Text(6);
    f.recorded_at = row.Int(7);
    f.recorded_by = row.Text(8);
    by_id.at(f.measure_id)->today.push_back(std::move(f));
    return Status::Ok();
  });
}

Result<std::string> FollowupTimes(store::Session& s) {
  std::string times = "08:00,16:00";
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT followup_times FROM profiles ORDER BY version DESC LIMIT 1", {},
              [&](const store::Row& row) {
                times = row.Text(0);
                return Status::Ok();
              }));
  return times;
}

Result<std::vector<DueItem>> DueOn(store::Session& s, const auth::PathRange& scope,
                                   const std::string& date) {
  std::vector<DueItem> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT " + std::string(kDueColumns) + std::string(kDueFrom) +
                  " AND m.region_path >= ? AND m.region_path < ? AND m.start_date <= ? "
                  "ORDER BY m.region_path, m.id LIMIT 2000",
              {scope.lo, scope.hi, date}, [&](const store::Row& row) {
                out.push_back(ReadDue(row));
                return Status::Ok();
              }));
  CORDON_RETURN_IF_ERROR(FillToday(s, out, date));
  return out;
}

Result<std::optional<DueItem>> DueItemInScope(store::Session& s, std::int64_t measure_id,
                                              const auth::PathRange& scope) {
  std::optional<DueItem> out;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT " + std::string(kDueColumns) + std::string(kDueFrom) +
                                     " AND m.id = ? AND m.region_path >= ? AND m.region_path < ?",
                                 {measure_id, scope.lo, scope.hi}, [&](const store::Row& row) {
                                   out = ReadDue(row);
                                   return Status::Ok();
                                 }));
  return out;
}

Status InsertLink(store::Session& s, std::int64_t measure_id, const std::string& token_hash,
                  const std::string& by, std::int64_t now) {
  CORDON_RETURN_IF_ERROR(s.Exec("UPDATE followup_links SET revoked_at = ? WHERE measure_id = ? "
                                "AND revoked_at IS NULL",
                                {now, measure_id})
                             .status());
  return s
      .Exec(
          "INSERT INTO followup_links (measure_id, token_hash, created_at, created_by) "
          "VALUES (?, ?, ?, ?)",
          {measure_id, token_hash, now, by})
      .status();
}

Result<std::optional<LinkTarget>> LinkByHash(store::Session& s, const std::string& token_hash) {
  std::optional<LinkTarget> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT m.id, m.region_path FROM followup_links l JOIN measures m ON m.id = "
              "l.measure_id WHERE l.token_hash = ? AND l.revoked_at IS NULL",
              {token_hash}, [&](const store::Row& row) {
                out = LinkTarget{row.Int(0), row.Text(1)};
                return Status::Ok();
              }));
  return out;
}

Result<bool> InsertFollowup(store::Session& s, const Followup& f, const std::string& region_path) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t n,
      s.Exec("INSERT INTO followups (measure_id, date, slot, region_path, outcome, temperature, "
             "symptoms, note, source, recorded_at, recorded_by) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
             "ON CONFLICT (measure_id, date, slot) DO NOTHING",
             {f.measure_id, f.date, static_cast<std::int64_t>(f.slot), region_path, f.outcome,
              f.temperature ? store::Value{*f.temperature} : store::Value{}, f.symptoms, f.note,
              f.source, f.recorded_at, f.recorded_by}));
  return n == 1;
}

Result<std::int64_t> InsertAlert(store::Session& s, const DueItem& item, const std::string& kind,
                                 const std::string& cause, const std::string& detail,
                                 std::int64_t now) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(s.Query(
      "INSERT INTO alerts (measure_id, person_id, region_code, region_path, kind, cause, detail, "
      "raised_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open') "
      "ON CONFLICT (cause) DO NOTHING RETURNING id",
      {item.measure_id, item.person_id, item.region_code, item.region_path, kind, cause, detail,
       now},
      [&](const store::Row& row) {
        id = row.Int(0);
        return Status::Ok();
      }));
  return id;
}

Status CloseByCause(store::Session& s, const std::string& cause, const std::string& by,
                    const std::string& outcome, std::int64_t now) {
  return s
      .Exec(
          "UPDATE alerts SET state = 'closed', closed_at = ?, closed_by = ?, outcome = ? "
          "WHERE cause = ? AND state = 'open'",
          {now, by, outcome, cause})
      .status();
}

Result<std::int64_t> RaiseMissed(store::Session& s, const std::string& date, int slot,
                                 const std::string& detail, std::int64_t now) {
  const std::string suffix = ":" + date + ":" + std::to_string(slot) + ":missed";
  return s.Exec(
      "INSERT INTO alerts (measure_id, person_id, region_code, region_path, kind, cause, detail, "
      "raised_at, state) "
      "SELECT m.id, m.person_id, m.region_code, m.region_path, 'missed', "
      "CAST(m.id AS TEXT) || ?, ?, ?, 'open' FROM measures m "
      "WHERE m.state IN ('active', 'extended') AND m.followups_per_day >= ? AND "
      "m.start_date <= ? AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.measure_id = m.id AND "
      "f.date = ? AND f.slot = ?) ON CONFLICT (cause) DO NOTHING",
      {suffix, detail, now, static_cast<std::int64_t>(slot), date, date,
       static_cast<std::int64_t>(slot)});
}

Result<std::vector<Alert>> ListAlerts(store::Session& s, const auth::PathRange& scope,
                                      const AlertQuery& q) {
  std::string sql = "SELECT " + std::string(kAlertColumns) + std::string(kAlertFrom) +
                    " WHERE a.region_path >= ? AND a.region_path < ? AND "
                    "(a.region_path, a.id) > (?, ?)";
  const store::ScopeCursor from = store::StartWithin(q.after, scope.lo);
  store::Params params{scope.lo, scope.hi, from.region_path, from.id};
  if (q.state != "all") {
    sql += " AND a.state = ?";
    params.emplace_back(q.state);
  }
  sql += " ORDER BY a.region_path, a.id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  std::vector<Alert> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    out.push_back(ReadAlert(row));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>> OpenAlertsByKind(
    store::Session& s, const auth::PathRange& scope) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT kind, COUNT(*) FROM alerts WHERE state = 'open' AND region_path >= ? AND "
              "region_path < ? GROUP BY kind ORDER BY kind",
              {scope.lo, scope.hi}, [&](const store::Row& row) {
                out.emplace_back(row.Text(0), row.Int(1));
                return Status::Ok();
              }));
  return out;
}

Result<std::optional<Alert>> AlertInScope(store::Session& s, std::int64_t id,
                                          const auth::PathRange& scope) {
  std::optional<Alert> out;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT " + std::string(kAlertColumns) + std::string(kAlertFrom) +
                                     " WHERE a.id = ? AND a.region_path >= ? AND a.region_path < ?",
                                 {id, scope.lo, scope.hi}, [&](const store::Row& row) {
                                   out = ReadAlert(row);
                                   return Status::Ok();
                                 }));
  return out;
}

Result<bool> CloseAlert(store::Session& s, std::int64_t id, const std::string& by,
                        const std::string& outcome, std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t n,
      s.Exec("UPDATE alerts SET state = 'closed', closed_at = ?, closed_by = ?, outcome = ? "
             "WHERE id = ? AND state = 'open'",
             {now, by, outcome, id}));
  return n == 1;
}

}  // namespace cordon::followups
