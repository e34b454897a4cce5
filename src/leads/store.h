// SQL of leads and tasks. Every read of tasks takes the caller's subtree as a range.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "auth/rules.h"
#include "leads/model.h"
#include "store/database.h"

namespace cordon::leads {

struct StoredImport {
  std::int64_t id = 0;
  std::string report_json;
  std::string region_path;  // the importer's jurisdiction
};
Result<std::optional<StoredImport>> FindImport(store::Session& s, const std::string& file_hash);
Result<std::optional<StoredImport>> ImportById(store::Session& s, std::int64_t id);
Result<std::int64_t> InsertImport(store::Session& s, const std::string& file_hash,
                                  const ImportReport& report, const std::string& actor,
                                  const std::string& region_path, std::int64_t now);
Status SaveImportReport(store::Session& s, std::int64_t id, const ImportReport& report,
                        const std::string& report_json);

// A person on file, as matching needs them.
struct PersonRef {
  std::int64_t id = 0;
  std::string name;
  std::string region_code;  // empty: not placed
  std::string region_path;
};
Result<std::optional<PersonRef>> PersonByDocument(store::Session& s, const std::string& id_type,
                                                  const std::string& id_number);
Result<std::vector<PersonRef>> PeopleByPhone(store::Session& s, const std::string& phone);
// The grid of the households in the building of `building` (an address prefix), or nullopt.
Result<std::optional<std::string>> GridOfBuilding(store::Session& s, const std::string& building);
struct RegionRef {
  std::string code, path, name;
};
Result<std::optional<RegionRef>> Region(store::Session& s, const std::string& code);
Result<std::int64_t> InsertPerson(store::Session& s, const LeadRow& row, const RegionRef& region,
                                  std::int64_t now);

struct OpenTask {
  std::int64_t id = 0;
  std::string category;
};
Result<std::optional<OpenTask>> OpenTaskOf(store::Session& s, std::int64_t person_id);
Result<std::int64_t> InsertTask(store::Session& s, std::int64_t person_id,
                                const std::string& category, const RegionRef& region, bool unrouted,
                                std::int64_t now, std::int64_t due_at);
Status RaiseCategory(store::Session& s, std::int64_t task_id, const std::string& category);
// The id of the lead with this key, or 0.
Result<std::int64_t> LeadByKey(store::Session& s, const std::string& row_key);
Result<std::int64_t> InsertLead(store::Session& s, const std::string& row_key,
                                const std::string& source, std::int64_t import_id,
                                const LeadRow& row, std::int64_t person_id, std::int64_t task_id,
                                const std::string& notes_json, std::int64_t now);

Result<std::vector<Task>> ListTasks(store::Session& s, const auth::PathRange& scope,
                                    const TaskQuery& q);
// Open tasks under `scope` grouped by the first `part_length` bytes of their region path (the
// child region that holds them): part → counts, by category too.
Result<std::map<std::string, TaskCounts>> TallyTasks(store::Session& s,
                                                     const auth::PathRange& scope,
                                                     std::size_t part_length, std::int64_t now);
Result<TaskCounts> CountTasks(store::Session& s, const auth::PathRange& scope, std::int64_t now);
Result<std::optional<Task>> TaskInScope(store::Session& s, std::int64_t id,
                                        const auth::PathRange& scope);
Result<bool> MarkChecked(store::Session& s, std::int64_t id, const std::string& by,
                         const std::string& method, const std::string& note, std::int64_t now);

}  // namespace cordon::leads
