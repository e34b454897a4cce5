#include "home_quarantine/store.h"

#include <map>
#include <set>

namespace cordon::home_quarantine {
namespace {

constexpr std::string_view kHomeMeasure =
    "m.state IN ('planned', 'active', 'extended') AND m.measure IN ('home_quarantine', "
    "'home_monitoring')";
constexpr std::string_view kStaffed =
    "(SELECT COUNT(*) FROM household_staff x WHERE x.household_id = h.id)";

Household ReadHousehold(const store::Row& row) {
  Household h;
  h.id = row.Int(0);
  h.address = row.Text(1);
  h.region_code = row.Text(2);
  h.region_name = row.Text(3);
  h.region_path = row.Text(4);
  h.under_measures = row.Int(5);
  h.earliest_start = row.IsNull(6) ? "" : row.Text(6);
  h.latest_end = row.IsNull(7) ? "" : row.Text(7);
  h.staffed = static_cast<int>(row.Int(8));
  return h;
}

}  // namespace

Result<std::vector<Household>> ListHouseholds(store::Session& s, const auth::PathRange& scope,
                                              std::int64_t after, int limit, bool incomplete_only) {
  std::string sql =
      "SELECT h.id, h.address, h.region_code, r.name, r.path, COUNT(DISTINCT m.person_id), "
      "MIN(m.start_date), MAX(m.end_date), " +
      std::string(kStaffed) +
      " FROM measures m JOIN people p ON p.id = m.person_id JOIN households h ON h.id = "
      "p.household_id JOIN regions r ON r.code = h.region_code WHERE m.region_path >= ? AND "
      "m.region_path < ? AND " +
      std::string(kHomeMeasure) +
      " AND h.id > ? GROUP BY h.id, h.address, h.region_code, r.name, r.path";
  if (incomplete_only) {
    sql += " HAVING " + std::string(kStaffed) + " < 4";
  }
  sql += " ORDER BY h.id LIMIT ?";
  std::vector<Household> out;
  CORDON_RETURN_IF_ERROR(
      s.Query(sql, {scope.lo, scope.hi, after, std::int64_t{limit}}, [&](const store::Row& row) {
        out.push_back(ReadHousehold(row));
        return Status::Ok();
      }));
  return out;
}

Status FillDetails(store::Session& s, std::vector<Household>& households) {
  if (households.empty()) {
    return Status::Ok();
  }
  std::string in;
  store::Params ids;
  std::map<std::int64_t, Household*> by_id;
  for (auto& h : households) {
    in += in.empty() ? "?" : ", ?";
    ids.emplace_back(h.id);
    by_id[h.id] = &h;
  }
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT p.household_id, m.id FROM measures m JOIN people p ON p.id = m.person_id WHERE "
      "p.household_id IN (" +
          in + ") AND " + std::string(kHomeMeasure) + " ORDER BY m.id",
      ids, [&](const store::Row& row) {
        by_id.at(row.Int(0))->measure_ids.push_back(row.Int(1));
        return Status::Ok();
      }));
  std::map<std::int64_t, std::set<std::string>> named;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT household_id, duty FROM household_staff WHERE household_id IN (" + in + ")",
              ids, [&](const store::Row& row) {
                named[row.Int(0)].insert(row.Text(1));
                return Status::Ok();
              }));
  for (auto& h : households) {
    for (std::string_view duty : kDuties) {
      if (!named[h.id].contains(std::string(duty))) {
        h.missing.emplace_back(duty);
      }
    }
  }
  return Status::Ok();
}

Result<HouseholdCounts> CountHouseholds(store::Session& s, const auth::PathRange& scope) {
  HouseholdCounts c;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN staffed < 4 THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(people), 0) FROM (SELECT h.id, COUNT(DISTINCT m.person_id) AS people, " +
          std::string(kStaffed) +
          " AS staffed FROM measures m JOIN people p ON p.id = m.person_id JOIN households h ON "
          "h.id = p.household_id WHERE m.region_path >= ? AND m.region_path < ? AND " +
          std::string(kHomeMeasure) + " GROUP BY h.id) t",
      {scope.lo, scope.hi}, [&](const store::Row& row) {
        c.households = row.Int(0);
        c.incomplete = row.Int(1);
        c.people = row.Int(2);
        return Status::Ok();
      }));
  return c;
}

Result<std::optional<Household>> HouseholdInScope(store::Session& s, std::int64_t id,
                                                  const auth::PathRange& scope) {
  std::optional<Household> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT h.id, h.address, h.region_code, r.name, r.path, "
      "(SELECT COUNT(DISTINCT m.person_id) FROM people p JOIN measures m ON m.person_id = p.id "
      "WHERE p.household_id = h.id AND " +
          std::string(kHomeMeasure) +
          "), (SELECT MIN(m.start_date) FROM people p JOIN measures m ON m.person_id = p.id WHERE "
          "p.household_id = h.id AND " +
          std::string(kHomeMeasure) +
          "), (SELECT MAX(m.end_date) FROM people p JOIN measures m ON m.person_id = p.id WHERE "
          "p.household_id = h.id AND " +
          std::string(kHomeMeasure) + "), " + std::string(kStaffed) +
          " FROM households h JOIN regions r ON r.code = h.region_code WHERE h.id = ? AND "
          "r.path >= ? AND r.path < ?",
      {id, scope.lo, scope.hi}, [&](const store::Row& row) {
        out = ReadHousehold(row);
        return Status::Ok();
      }));
  return out;
}

Result<std::map<std::string, Staff>> AssignedStaff(store::Session& s, std::int64_t household_id) {
  std::map<std::string, Staff> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT x.duty, st.id, st.name, st.role, st.phone, st.region_code, r.name FROM "
      "household_staff x JOIN region_staff st ON st.id = x.staff_id JOIN regions r ON r.code = "
      "st.region_code WHERE x.household_id = ?",
      {household_id}, [&](const store::Row& row) {
        out[row.Text(0)] =
            Staff{row.Int(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5), row.Text(6)};
        return Status::Ok();
      }));
  return out;
}

Result<std::vector<Staff>> StaffOf(store::Session& s, const std::vector<std::string>& regions) {
  std::vector<Staff> out;
  for (const auto& code : regions) {
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT st.id, st.name, st.role, st.phone, st.region_code, r.name FROM "
                "region_staff st JOIN regions r ON r.code = st.region_code WHERE "
                "st.region_code = ? ORDER BY st.id",
                {code}, [&](const store::Row& row) {
                  out.push_back(Staff{row.Int(0), row.Text(1), row.Text(2), row.Text(3),
                                      row.Text(4), row.Text(5)});
                  return Status::Ok();
                }));
  }
  return out;
}

Status SetDuty(store::Session& s, std::int64_t household_id, const std::string& duty,
               std::int64_t staff_id, const std::string& by, std::int64_t now) {
  return s
      .Exec(
          "INSERT INTO household_staff (household_id, duty, staff_id, assigned_at, assigned_by) "
          "VALUES (?, ?, ?, ?, ?) ON CONFLICT (household_id, duty) DO UPDATE SET staff_id = "
          "excluded.staff_id, assigned_at = excluded.assigned_at, assigned_by = "
          "excluded.assigned_by",
          {household_id, duty, staff_id, now, by})
      .status();
}

Status ClearDuty(store::Session& s, std::int64_t household_id, const std::string& duty) {
  return s
      .Exec("DELETE FROM household_staff WHERE household_id = ? AND duty = ?", {household_id, duty})
      .status();
}

}  // namespace cordon::home_quarantine
