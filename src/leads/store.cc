#include "leads/store.h"

#include "store/field_keys.h"

namespace cordon::leads {
namespace {

Result<std::int64_t> Returning(store::Session& s, std::string_view sql,
                               const store::Params& params) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    id = row.Int(0);
    return Status::Ok();
  }));
  return id;
}

Result<std::optional<StoredImport>> OneImport(store::Session& s, std::string_view where,
                                              const store::Value& key) {
  std::optional<StoredImport> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, report, region_path FROM lead_imports WHERE " + std::string(where), {key},
              [&](const store::Row& row) {
                out = StoredImport{row.Int(0), row.Text(1), row.Text(2)};
                return Status::Ok();
              }));
  return out;
}

store::Value NullIfZero(std::int64_t v) { return v == 0 ? store::Value{} : store::Value{v}; }

constexpr std::string_view kTaskColumns =
    "t.id, t.person_id, t.status, t.category, t.region_code, r.name, t.unrouted, t.created_at, "
    "t.due_at, t.checked_at, t.checked_by, t.check_method, t.check_note, p.name, "
    "p.id_number_masked, "
    "p.phone_masked, (SELECT COUNT(*) FROM leads l WHERE l.task_id = t.id), t.region_path";

Task ReadTask(const store::Row& row) {
  Task t;
  t.id = row.Int(0);
  t.person_id = row.Int(1);
  t.status = row.Text(2);
  t.category = row.Text(3);
  t.region_code = row.Text(4);
  t.region_name = row.Text(5);
  t.unrouted = row.Int(6) != 0;
  t.created_at = row.Int(7);
  t.due_at = row.Int(8);
  t.checked_at = row.IsNull(9) ? 0 : row.Int(9);
  t.checked_by = row.IsNull(10) ? "" : row.Text(10);
  t.check_method = row.IsNull(11) ? "" : row.Text(11);
  t.check_note = row.IsNull(12) ? "" : row.Text(12);
  t.name = row.Text(13);
  t.id_number = row.Text(14);
  t.phone = row.Text(15);
  t.lead_count = static_cast<int>(row.Int(16));
  t.region_path = row.Text(17);
  return t;
}

Status FillSources(store::Session& s, std::vector<Task>& tasks) {
  for (Task& t : tasks) {
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT source FROM leads WHERE task_id = ? GROUP BY source ORDER BY MIN(id)",
                {t.id}, [&](const store::Row& row) {
                  t.sources.push_back(row.Text(0));
                  return Status::Ok();
                }));
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<StoredImport>> FindImport(store::Session& s, const std::string& file_hash) {
  return OneImport(s, "file_hash = ?", file_hash);
}

Result<std::optional<StoredImport>> ImportById(store::Session& s, std::int64_t id) {
  return OneImport(s, "id = ?", id);
}

Result<std::int64_t> InsertImport(store::Session& s, const std::string& file_hash,
                                  const ImportReport& report, const std::string& actor,
                                  const std::string& region_path, std::int64_t now) {
  return Returning(s,
                   "INSERT INTO lead_imports (file_hash, file_name, source, actor, region_path, "
                   "created_at, accepted, merged, rejected, report) "
                   "VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, '') RETURNING id",
                   {file_hash, report.file_name, report.source, actor, region_path, now});
}

Status SaveImportReport(store::Session& s, std::int64_t id, const ImportReport& report,
                        const std::string& report_json) {
  return s
      .Exec(
          "UPDATE lead_imports SET accepted = ?, merged = ?, rejected = ?, report = ? "
          "WHERE id = ?",
          {static_cast<std::int64_t>(report.accepted), static_cast<std::int64_t>(report.merged),
           static_cast<std::int64_t>(report.rejected), report_json, id})
      .status();
}

Result<std::optional<PersonRef>> PersonByDocument(store::Session& s, const std::string& id_type,
                                                  const std::string& id_number) {
  std::optional<PersonRef> out;
  CORDON_RETURN_IF_ERROR(
      // A merged file answers for the file it became: a later list naming the old ID
      // reaches the one person.
      s.Query("SELECT k.id, k.name, k.region_code, k.region_path FROM people p "
              "JOIN people k ON k.id = COALESCE(p.merged_into, p.id) "
              "WHERE p.id_number_index = ? AND p.id_type = ?",
              {s.Fields().Index(store::SealedField::kIdNumber, id_number), id_type},
              [&](const store::Row& row) {
                out = PersonRef{row.Int(0), row.Text(1), row.IsNull(2) ? "" : row.Text(2),
                                row.IsNull(3) ? "" : row.Text(3)};
                return Status::Ok();
              }));
  return out;
}

Result<std::vector<PersonRef>> PeopleByPhone(store::Session& s, const std::string& phone) {
  std::vector<PersonRef> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, name, region_code, region_path FROM people WHERE phone_index = ? "
              "AND merged_into IS NULL ORDER BY id LIMIT 50",
              {s.Fields().Index(store::SealedField::kPhone, phone)}, [&](const store::Row& row) {
                out.push_back({row.Int(0), row.Text(1), row.IsNull(2) ? "" : row.Text(2),
                               row.IsNull(3) ? "" : row.Text(3)});
                return Status::Ok();
              }));
  return out;
}

Result<std::optional<std::string>> GridOfBuilding(store::Session& s, const std::string& building) {
  std::optional<std::string> out;
  // A prefix as a range, so that the index on address serves it on every backend.
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT region_code FROM households WHERE address >= ? AND address < ? "
              "ORDER BY address, id LIMIT 1",
              {building, building + "\xF4\x8F\xBF\xBF"}, [&](const store::Row& row) {
                out = row.Text(0);
                return Status::Ok();
              }));
  return out;
}

Result<std::optional<RegionRef>> Region(store::Session& s, const std::string& code) {
  std::optional<RegionRef> out;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT code, path, name FROM regions WHERE code = ?", {code},
                                 [&](const store::Row& row) {
                                   out = RegionRef{row.Text(0), row.Text(1), row.Text(2)};
                                   return Status::Ok();
                                 }));
  return out;
}

Result<std::int64_t> InsertPerson(store::Session& s, const LeadRow& row, const RegionRef& region,
                                  std::int64_t now) {
  const store::SealedIdentifier id = store::SealIdNumber(s, row.id_number);
  const store::SealedIdentifier phone = store::SealPhone(s, row.phone);
  return Returning(
      s,
      "INSERT INTO people (id_type, id_number_sealed, id_number_index, id_number_masked, name, "
      "sex, birth_date, phone_sealed, phone_index, phone_masked, address, region_code, "
      "region_path, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {row.id_type, id.sealed, id.index, id.masked, row.name, row.sex, row.birth_date, phone.sealed,
       phone.index, phone.masked, row.address, region.code, region.path, now, now});
}

Result<std::optional<OpenTask>> OpenTaskOf(store::Session& s, std::int64_t person_id) {
  std::optional<OpenTask> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, category FROM tasks WHERE person_id = ? AND status = 'open'", {person_id},
              [&](const store::Row& row) {
                out = OpenTask{row.Int(0), row.Text(1)};
                return Status::Ok();
              }));
  return out;
}

Result<std::int64_t> InsertTask(store::Session& s, std::int64_t person_id,
                                const std::string& category, const RegionRef& region, bool unrouted,
                                std::int64_t now, std::int64_t due_at) {
  return Returning(s,
                   "INSERT INTO tasks (person_id, status, category, region_code, region_path, "
                   "unrouted, created_at, due_at) VALUES (?, 'open', ?, ?, ?, ?, ?, ?) "
                   "RETURNING id",
                   {person_id, category, region.code, region.path,
                    static_cast<std::int64_t>(unrouted ? 1 : 0), now, due_at});
}

Status RaiseCategory(store::Session& s, std::int64_t task_id, const std::string& category) {
  return s.Exec("UPDATE tasks SET category = ? WHERE id = ?", {category, task_id}).status();
}

Result<std::int64_t> LeadByKey(store::Session& s, const std::string& row_key) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id FROM leads WHERE row_key = ?", {row_key}, [&](const store::Row& row) {
        id = row.Int(0);
        return Status::Ok();
      }));
  return id;
}

Result<std::int64_t> InsertLead(store::Session& s, const std::string& row_key,
                                const std::string& source, std::int64_t import_id,
                                const LeadRow& row, std::int64_t person_id, std::int64_t task_id,
                                const std::string& notes_json, std::int64_t now) {
  return Returning(
      s,
      "INSERT INTO leads (row_key, source, import_id, line, person_id, task_id, category, origin, "
      "reported_at, notes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {row_key, source, NullIfZero(import_id), NullIfZero(static_cast<std::int64_t>(row.line)),
       person_id, task_id, row.category, row.origin, NullIfZero(row.reported_at), notes_json, now});
}

Result<std::vector<Task>> ListTasks(store::Session& s, const auth::PathRange& scope,
                                    const TaskQuery& q) {
  std::string sql = "SELECT " + std::string(kTaskColumns) +
                    " FROM tasks t JOIN people p ON p.id = t.person_id JOIN regions r ON r.code "
                    "= t.region_code WHERE t.region_path >= ? AND t.region_path < ? AND "
                    "(t.region_path, t.id) > (?, ?)";
  const store::ScopeCursor from = store::StartWithin(q.after, scope.lo);
  store::Params params{scope.lo, scope.hi, from.region_path, from.id};
  if (q.status != "all") {
    sql += " AND t.status = ?";
    params.emplace_back(q.status);
  }
  sql += " ORDER BY t.region_path, t.id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(q.limit));
  std::vector<Task> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    out.push_back(ReadTask(row));
    return Status::Ok();
  }));
  CORDON_RETURN_IF_ERROR(FillSources(s, out));
  return out;
}

void TaskCounts::Add(const TaskCounts& other) {
  open += other.open;
  overdue += other.overdue;
  unrouted += other.unrouted;
  for (const auto& [k, n] : other.by_category) {
    by_category[k] += n;
  }
}

Result<std::map<std::string, TaskCounts>> TallyTasks(store::Session& s,
                                                     const auth::PathRange& scope,
                                                     std::size_t part_length, std::int64_t now) {
  std::map<std::string, TaskCounts> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT substr(region_path, 1, ?) AS part, category, COUNT(*), "
      "SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), SUM(unrouted) FROM tasks "
      "WHERE region_path >= ? AND region_path < ? AND status = 'open' GROUP BY part, category",
      {static_cast<std::int64_t>(part_length), now, scope.lo, scope.hi},
      [&](const store::Row& row) {
        TaskCounts& c = out[row.Text(0)];
        c.open += row.Int(2);
        c.by_category[row.Text(1)] += row.Int(2);
        c.overdue += row.Int(3);
        c.unrouted += row.Int(4);
        return Status::Ok();
      }));
  return out;
}

Result<TaskCounts> CountTasks(store::Session& s, const auth::PathRange& scope, std::int64_t now) {
  TaskCounts c;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(unrouted), 0) FROM tasks WHERE region_path >= ? AND region_path < ? AND "
      "status = 'open'",
      {now, scope.lo, scope.hi}, [&](const store::Row& row) {
        c.open = row.Int(0);
        c.overdue = row.Int(1);
        c.unrouted = row.Int(2);
        return Status::Ok();
      }));
  return c;
}

Result<std::optional<Task>> TaskInScope(store::Session& s, std::int64_t id,
                                        const auth::PathRange& scope) {
  std::vector<Task> found;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT " + std::string(kTaskColumns) +
                  " FROM tasks t JOIN people p ON p.id = t.person_id JOIN regions r ON r.code = "
                  "t.region_code WHERE t.id = ? AND t.region_path >= ? AND t.region_path < ?",
              {id, scope.lo, scope.hi}, [&](const store::Row& row) {
                found.push_back(ReadTask(row));
                return Status::Ok();
              }));
  CORDON_RETURN_IF_ERROR(FillSources(s, found));
  if (found.empty()) {
    return std::optional<Task>{};
  }
  return std::optional<Task>{std::move(found.front())};
}

Result<bool> MarkChecked(store::Session& s, std::int64_t id, const std::string& by,
                         const std::string& method, const std::string& note, std::int64_t now) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE tasks SET status = 'checked', checked_at = ?, checked_by = ?, "
             "check_method = ?, check_note = ? WHERE id = ? AND status = 'open'",
             {now, by, method, note, id}));
  return changed == 1;
}

}  // namespace cordon::leads
