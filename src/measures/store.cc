#include "measures/store.h"

#include <map>

namespace cordon::measures {
namespace {

constexpr std::string_view kColumns =
    "m.id, m.person_id, p.name, p.id_number_masked, m.category, m.profile_version, m.step, "
    "m.measure, "
    "m.state, m.place, m.start_date, m.end_date, m.days, m.extended_days, m.test_days, "
    "m.followups_per_day, m.region_code, r.name, m.region_path, m.previous_id, m.created_at, "
    "m.updated_at, COALESCE(p.household_id, 0)";
constexpr std::string_view kFrom =
    " FROM measures m JOIN people p ON p.id = m.person_id JOIN regions r ON r.code = "
    "m.region_code";

Measure Read(const store::Row& row) {
  Measure m;
  m.id = row.Int(0);
  m.person_id = row.Int(1);
  m.person_name = row.Text(2);
  m.person_id_number = row.Text(3);
  m.category = row.Text(4);
  m.profile_version = static_cast<int>(row.Int(5));
  m.step = static_cast<int>(row.Int(6));
  m.measure = row.Text(7);
  m.state = row.Text(8);
  m.place = row.Text(9);
  m.start_date = row.Text(10);
  m.end_date = row.IsNull(11) ? "" : row.Text(11);
  m.days = static_cast<int>(row.Int(12));
  m.extended_days = static_cast<int>(row.Int(13));
  m.test_days_spec = row.Text(14);
  m.followups_per_day = static_cast<int>(row.Int(15));
  m.region_code = row.Text(16);
  m.region_name = row.Text(17);
  m.region_path = row.Text(18);
  m.previous_id = row.IsNull(19) ? 0 : row.Int(19);
  m.created_at = row.Int(20);
  m.updated_at = row.Int(21);
  m.household_id = row.Int(22);
  return m;
}

PlanStep ReadStep(const store::Row& row) {
  return {row.Text(0), static_cast<int>(row.Int(1)), row.Text(2), static_cast<int>(row.Int(3)),
          row.Text(4), static_cast<int>(row.Int(5))};
}

Result<std::optional<Measure>> One(store::Session& s, const std::string& where,
                                   const store::Params& params) {
  std::optional<Measure> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT " + std::string(kColumns) + std::string(kFrom) + " WHERE " + where, params,
              [&](const store::Row& row) {
                out = Read(row);
                return Status::Ok();
              }));
  return out;
}

TestDay ReadTestDay(const store::Row& row, int first) {
  return {static_cast<int>(row.Int(first)), row.Text(first + 1),
          row.IsNull(first + 2) ? "" : row.Text(first + 2),
          row.IsNull(first + 3) ? 0 : row.Int(first + 3),
          row.IsNull(first + 4) ? "" : row.Text(first + 4)};
}

// The test days of every measure in `list`, in one query.
Status FillTests(store::Session& s, std::vector<Measure>& list) {
  if (list.empty()) {
    return Status::Ok();
  }
  std::string sql =
      "SELECT measure_id, day, date, result, recorded_at, recorded_by FROM measure_test_days "
      "WHERE measure_id IN (";
  store::Params params;
  std::map<std::int64_t, Measure*> by_id;
  for (auto& m : list) {
    sql += params.empty() ? "?" : ", ?";
    params.emplace_back(m.id);
    by_id[m.id] = &m;
  }
  sql += ") ORDER BY measure_id, day";
  return s.Query(sql, params, [&](const store::Row& row) {
    by_id.at(row.Int(0))->tests.push_back(ReadTestDay(row, 1));
    return Status::Ok();
  });
}

}  // namespace

Result<Profile> CurrentProfile(store::Session& s) {
  Profile p;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT version, name FROM profiles ORDER BY version DESC LIMIT 1",
                                 {}, [&](const store::Row& row) {
                                   p.version = static_cast<int>(row.Int(0));
                                   p.name = row.Text(1);
                                   return Status::Ok();
                                 }));
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT category, step, measure, days, test_days, followups_per_day FROM plan_steps "
              "WHERE profile_version = ? ORDER BY category, step",
              {static_cast<std::int64_t>(p.version)}, [&](const store::Row& row) {
                p.steps.push_back(ReadStep(row));
                return Status::Ok();
              }));
  return p;
}

Result<std::optional<PlanStep>> Step(store::Session& s, int profile_version,
                                     const std::string& category, int step) {
  std::optional<PlanStep> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT category, step, measure, days, test_days, followups_per_day FROM plan_steps "
      "WHERE profile_version = ? AND category = ? AND step = ?",
      {static_cast<std::int64_t>(profile_version), category, static_cast<std::int64_t>(step)},
      [&](const store::Row& row) {
        out = ReadStep(row);
        return Status::Ok();
      }));
  return out;
}

Result<std::optional<PersonPlace>> PersonInScope(store::Session& s, std::int64_t person_id,
                                                 const auth::PathRange& scope) {
  std::optional<PersonPlace> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, region_code, region_path FROM people WHERE id = ? AND region_path >= ? "
              "AND region_path < ?",
              {person_id, scope.lo, scope.hi}, [&](const store::Row& row) {
                out = PersonPlace{row.Int(0), row.Text(1), row.Text(2)};
                return Status::Ok();
              }));
  return out;
}

Result<std::optional<Measure>> CurrentOf(store::Session& s, std::int64_t person_id) {
  return One(s, "m.person_id = ? AND m.state IN ('planned', 'active', 'extended')", {person_id});
}

Result<std::optional<Measure>> MeasureInScope(store::Session& s, std::int64_t id,
                                              const auth::PathRange& scope) {
  CORDON_ASSIGN_OR_RETURN(auto m, One(s, "m.id = ? AND m.region_path >= ? AND m.region_path < ?",
                                      {id, scope.lo, scope.hi}));
  if (!m) {
    return m;
  }
  std::vector<Measure> one{std::move(*m)};
  CORDON_RETURN_IF_ERROR(FillTests(s, one));
  m = std::move(one.front());
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT at, actor, action, from_state, to_state, reason FROM measure_events "
              "WHERE measure_id = ? ORDER BY id",
              {id}, [&](const store::Row& row) {
                m->history.push_back(
                    {row.Int(0), row.Text(1), row.Text(2), row.Text(3), row.Text(4), row.Text(5)});
                return Status::Ok();
              }));
  return m;
}

Result<std::int64_t> InsertMeasure(store::Session& s, const Measure& m, std::int64_t now) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(s.Query(
      "INSERT INTO measures (person_id, category, profile_version, step, measure, state, place, "
      "start_date, end_date, days, extended_days, test_days, followups_per_day, region_code, "
      "region_path, previous_id, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {m.person_id, m.category, static_cast<std::int64_t>(m.profile_version),
       static_cast<std::int64_t>(m.step), m.measure, m.state, m.place, m.start_date,
       m.end_date.empty() ? store::Value{} : store::Value{m.end_date},
       static_cast<std::int64_t>(m.days), static_cast<std::int64_t>(m.extended_days),
       m.test_days_spec, static_cast<std::int64_t>(m.followups_per_day), m.region_code,
       m.region_path, m.previous_id == 0 ? store::Value{} : store::Value{m.previous_id}, now, now},
      [&](const store::Row& row) {
        id = row.Int(0);
        return Status::Ok();
      }));
  return id;
}

Status UpdateMeasure(store::Session& s, const Measure& m, std::int64_t now) {
  return s
      .Exec(
          "UPDATE measures SET state = ?, place = ?, end_date = ?, extended_days = ?, "
          "updated_at = ? WHERE id = ?",
          {m.state, m.place, m.end_date.empty() ? store::Value{} : store::Value{m.end_date},
           static_cast<std::int64_t>(m.extended_days), now, m.id})
      .status();
}

Status AddTestDays(store::Session& s, const Measure& m,
                   const std::vector<std::pair<int, std::string>>& days) {
  for (const auto& [day, date] : days) {
    CORDON_RETURN_IF_ERROR(
        s.Exec("INSERT INTO measure_test_days (measure_id, day, date, region_path) "
               "VALUES (?, ?, ?, ?) ON CONFLICT (measure_id, day) DO NOTHING",
               {m.id, static_cast<std::int64_t>(day), date, m.region_path})
            .status());
  }
  return Status::Ok();
}

Status VoidOpenTestDays(store::Session& s, std::int64_t measure_id) {
  return s
      .Exec("UPDATE measure_test_days SET result = 'void' WHERE measure_id = ? AND result IS NULL",
            {measure_id})
      .status();
}

Status RecordResult(store::Session& s, std::int64_t measure_id, int day, const std::string& result,
                    const std::string& by, std::int64_t now) {
  return s
      .Exec(
          "UPDATE measure_test_days SET result = ?, recorded_at = ?, recorded_by = ? "
          "WHERE measure_id = ? AND day = ?",
          {result, now, by, measure_id, static_cast<std::int64_t>(day)})
      .status();
}

Status AddEvent(store::Session& s, std::int64_t measure_id, const Event& e) {
  return s
      .Exec(
          "INSERT INTO measure_events (measure_id, at, actor, action, from_state, to_state, "
          "reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {measure_id, e.at, e.actor, e.action, e.from_state, e.to_state, e.reason})
      .status();
}

Result<std::vector<Measure>> ListMeasures(store::Session& s, const auth::PathRange& scope,
                                          const MeasureQuery& q) {
  std::string sql = "SELECT " + std::string(kColumns) + std::string(kFrom) +
                    " WHERE m.region_path >= ? AND m.region_path < ? AND "
                    "(m.region_path, m.id) > (?, ?)";
  const store::ScopeCursor from = store::StartWithin(q.after, scope.lo);
  store::Params params{scope.lo, scope.hi, from.region_path, from.id};
  if (q.state == "current") {
    sql += " AND m.state IN ('planned', 'active', 'extended')";
  } else if (q.state == "released") {
    sql += " AND m.state = 'released'";
  }
  sql += " ORDER BY m.region_path, m.id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  std::vector<Measure> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    out.push_back(Read(row));
    return Status::Ok();
  }));
  CORDON_RETURN_IF_ERROR(FillTests(s, out));
  return out;
}

void MeasureTally::Add(const MeasureTally& other) {
  total += other.total;
  releases_due += other.releases_due;
  for (const auto& [k, n] : other.by_measure) {
    by_measure[k] += n;
  }
  for (const auto& [k, n] : other.by_category) {
    by_category[k] += n;
  }
}

Result<std::map<std::string, MeasureTally>> TallyMeasures(store::Session& s,
                                                          const auth::PathRange& scope,
                                                          std::size_t part_length,
                                                          const std::string& today) {
  std::map<std::string, MeasureTally> out;
  // One range scan of the subtree; the grouping key is the child's path.
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT substr(region_path, 1, ?) AS part, measure, category, COUNT(*), "
              "SUM(CASE WHEN state IN ('active', 'extended') AND end_date < ? THEN 1 ELSE 0 END) "
              "FROM measures WHERE region_path >= ? AND region_path < ? "
              "AND state IN ('planned', 'active', 'extended') GROUP BY part, measure, category",
              {static_cast<std::int64_t>(part_length), today, scope.lo, scope.hi},
              [&](const store::Row& row) {
                MeasureTally& t = out[row.Text(0)];
                const std::int64_t n = row.Int(3);
                t.total += n;
                t.by_measure[row.Text(1)] += n;
                t.by_category[row.Text(2)] += n;
                t.releases_due += row.Int(4);
                return Status::Ok();
              }));
  return out;
}

Result<MeasureCounts> CountMeasures(store::Session& s, const auth::PathRange& scope,
                                    const std::string& today) {
  MeasureCounts c;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT measure, COUNT(*) FROM measures WHERE region_path >= ? AND region_path < ? AND "
      "state IN ('planned', 'active', 'extended') GROUP BY measure ORDER BY measure",
      {scope.lo, scope.hi}, [&](const store::Row& row) {
        c.by_measure.emplace_back(row.Text(0), row.Int(1));
        return Status::Ok();
      }));
  CORDON_ASSIGN_OR_RETURN(
      c.releases_due,
      s.QueryInt("SELECT COUNT(*) FROM measures WHERE region_path >= ? AND region_path < ? AND "
                 "state IN ('active', 'extended') AND end_date < ?",
                 {scope.lo, scope.hi, today}));
  CORDON_ASSIGN_OR_RETURN(
      c.tests_due_today,
      s.QueryInt("SELECT COUNT(*) FROM measure_test_days WHERE date = ? AND result IS NULL AND "
                 "region_path >= ? AND region_path < ?",
                 {today, scope.lo, scope.hi}));
  return c;
}

}  // namespace cordon::measures
