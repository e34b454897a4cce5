#include "duplicates/moves.h"

#include <set>
#include <string>
#include <vector>

#include "store/field_keys.h"

namespace cordon::duplicates {
namespace {

using nlohmann::json;

Result<std::vector<std::int64_t>> Ids(store::Session& s, const std::string& table,
                                      std::int64_t person_id) {
  std::vector<std::int64_t> ids;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT id FROM " + table + " WHERE person_id = ? ORDER BY id",
                                 {person_id}, [&](const store::Row& row) {
                                   ids.push_back(row.Int(0));
                                   return Status::Ok();
                                 }));
  return ids;
}

store::Value TextOrNull(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null() || j[key].get<std::string>().empty()) {
    return store::Value{};
  }
  return store::Value{j[key].get<std::string>()};
}

// Frees the document number of `id` for the other file of the pair (unique index) until it is
// given its final one.
Status ParkDocument(store::Session& s, std::int64_t id) {
  return s
      .Exec("UPDATE people SET id_number_index = '#merging-' || CAST(id AS TEXT) WHERE id = ?",
            {id})
      .status();
}

// The identifier columns of an UPDATE, sealed (store/field_keys.h): "id_number_sealed = ?, ...".
constexpr std::string_view kIdentifierSets =
    "id_number_sealed = ?, id_number_index = ?, id_number_masked = ?, phone_sealed = ?, "
    "phone_index = ?, phone_masked = ?";

void AddIdentifiers(const store::Session& s, const json& fields, store::Params* params) {
  const store::SealedIdentifier id = store::SealIdNumber(s, fields["id_number"].get<std::string>());
  const store::SealedIdentifier phone = store::SealPhone(s, fields["phone"].get<std::string>());
  for (const std::string* v :
       {&id.sealed, &id.index, &id.masked, &phone.sealed, &phone.index, &phone.masked}) {
    params->emplace_back(*v);
  }
}

}  // namespace

json FieldsJson(const people::Person& p) {
  return {{"id_type", p.id_type},
          {"id_number", p.id_number},
          {"name", p.name},
          {"sex", p.sex},
          {"birth_date", p.birth_date},
          {"phone", p.phone},
          {"address", p.address},
          {"household_id", p.household_id},
          {"region_code", p.region_code},
          {"region_path", p.region_path}};
}

std::string SealedSnapshot(const store::Session& s, json fields) {
  fields["id_number"] =
      s.Fields().Seal(store::SealedField::kIdNumber, fields["id_number"].get<std::string>());
  fields["phone"] = s.Fields().Seal(store::SealedField::kPhone, fields["phone"].get<std::string>());
  return fields.dump();
}

Result<json> OpenSnapshot(const store::Session& s, const std::string& stored) {
  json fields = json::parse(stored, nullptr, false);
  if (fields.is_discarded() || !fields.is_object() || !fields["id_number"].is_string() ||
      !fields["phone"].is_string()) {
    return Internal("a merge record is damaged");
  }
  CORDON_ASSIGN_OR_RETURN(
      std::string id_number,
      s.Fields().Open(store::SealedField::kIdNumber, fields["id_number"].get<std::string>()));
  CORDON_ASSIGN_OR_RETURN(std::string phone, s.Fields().Open(store::SealedField::kPhone,
                                                             fields["phone"].get<std::string>()));
  fields["id_number"] = id_number;
  fields["phone"] = phone;
  return fields;
}

Result<json> LeadsOf(store::Session& s, std::int64_t person_id) {
  json leads = json::array();
  CORDON_RETURN_IF_ERROR(s.Query("SELECT id, task_id FROM leads WHERE person_id = ? ORDER BY id",
                                 {person_id}, [&](const store::Row& row) {
                                   leads.push_back({row.Int(0), row.Int(1)});
                                   return Status::Ok();
                                 }));
  return leads;
}

Result<json> MoveHoldings(store::Session& s, std::int64_t from, std::int64_t to,
                          json leads_before) {
  json moved = {{"leads", std::move(leads_before)}};
  for (const char* table : {"tasks", "measures", "alerts"}) {
    CORDON_ASSIGN_OR_RETURN(auto ids, Ids(s, table, from));
    moved[table] = ids;
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE " + std::string(table) + " SET person_id = ? WHERE person_id = ?",
               {to, from})
            .status());
  }
  CORDON_RETURN_IF_ERROR(
      s.Exec("UPDATE leads SET person_id = ? WHERE person_id = ?", {to, from}).status());
  // Files merged into `from` earlier now point at `to`: one step from any old ID to the person.
  std::vector<std::int64_t> pointers;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT id FROM people WHERE merged_into = ? ORDER BY id", {from},
                                 [&](const store::Row& row) {
                                   pointers.push_back(row.Int(0));
                                   return Status::Ok();
                                 }));
  moved["pointers"] = pointers;
  CORDON_RETURN_IF_ERROR(
      s.Exec("UPDATE people SET merged_into = ? WHERE merged_into = ?", {to, from}).status());
  return moved;
}

Result<bool> AttachedSince(store::Session& s, const json& moved) {
  std::set<std::int64_t> leads, tasks, measures, alerts;
  for (const auto& lead : moved.value("leads", json::array())) {
    leads.insert(lead[0].get<std::int64_t>());
  }
  for (const auto& id : moved.value("tasks", json::array())) {
    tasks.insert(id.get<std::int64_t>());
  }
  for (const auto& id : moved.value("measures", json::array())) {
    measures.insert(id.get<std::int64_t>());
  }
  for (const auto& id : moved.value("alerts", json::array())) {
    alerts.insert(id.get<std::int64_t>());
  }
  bool attached = false;
  auto check = [&](const std::string& sql, std::int64_t parent, const std::set<std::int64_t>& ok) {
    return s.Query(sql, {parent}, [&](const store::Row& row) {
      attached = attached || !ok.contains(row.Int(0));
      return Status::Ok();
    });
  };
  for (std::int64_t task : tasks) {
    CORDON_RETURN_IF_ERROR(check("SELECT id FROM leads WHERE task_id = ?", task, leads));
  }
  for (std::int64_t measure : measures) {
    CORDON_RETURN_IF_ERROR(check("SELECT id FROM alerts WHERE measure_id = ?", measure, alerts));
    CORDON_RETURN_IF_ERROR(
        check("SELECT id FROM measures WHERE previous_id = ?", measure, measures));
  }
  return attached;
}

Status MoveBack(store::Session& s, const json& moved, std::int64_t to) {
  for (const auto& id : moved.value("pointers", json::array())) {
    CORDON_RETURN_IF_ERROR(
        s.Exec("UPDATE people SET merged_into = ? WHERE id = ?", {to, id.get<std::int64_t>()})
            .status());
  }
  for (const auto& lead : moved.value("leads", json::array())) {
    CORDON_RETURN_IF_ERROR(s.Exec("UPDATE leads SET person_id = ?, task_id = ? WHERE id = ?",
                                  {to, lead[1].get<std::int64_t>(), lead[0].get<std::int64_t>()})
                               .status());
  }
  for (const char* table : {"tasks", "measures", "alerts"}) {
    for (const auto& id : moved.value(table, json::array())) {
      CORDON_RETURN_IF_ERROR(
          s.Exec("UPDATE " + std::string(table) + " SET person_id = ? WHERE id = ?",
                 {to, id.get<std::int64_t>()})
              .status());
    }
  }
  return Status::Ok();
}

Status JoinTask(store::Session& s, std::int64_t closing, std::int64_t kept_task,
                const std::string& by, std::int64_t kept_id, std::int64_t now) {
  CORDON_RETURN_IF_ERROR(
      s.Exec("UPDATE leads SET task_id = ? WHERE task_id = ?", {kept_task, closing}).status());
  return s
      .Exec(
          "UPDATE tasks SET status = 'checked', checked_at = ?, checked_by = ?, "
          "check_method = 'merged', check_note = ? WHERE id = ?",
          {now, by,
           "并入档案 " + std::to_string(kept_id) + " (merged into file " + std::to_string(kept_id) +
               ")",
           closing})
      .status();
}

Status ReopenMergedTask(store::Session& s, std::int64_t task_id) {
  return s
      .Exec(
          "UPDATE tasks SET status = 'open', checked_at = NULL, checked_by = NULL, "
          "check_method = NULL, check_note = NULL WHERE id = ? AND check_method = 'merged'",
          {task_id})
      .status();
}

Status SetTaskCategory(store::Session& s, std::int64_t task_id, const std::string& category) {
  return s.Exec("UPDATE tasks SET category = ? WHERE id = ?", {category, task_id}).status();
}

Result<bool> WriteMerged(store::Session& s, const people::Person& kept, const json& fields,
                         std::int64_t merged_id, const json& merged_identity, std::int64_t now) {
  const bool swap = fields["id_number"] != kept.id_number || fields["id_type"] != kept.id_type;
  if (swap) {
    CORDON_RETURN_IF_ERROR(ParkDocument(s, merged_id));
  }
  store::Params params{fields["id_type"].get<std::string>()};
  AddIdentifiers(s, fields, &params);
  params.insert(params.end(), {fields["name"].get<std::string>(), fields["sex"].get<std::string>(),
                               fields["birth_date"].get<std::string>(),
                               fields["address"].get<std::string>(), now, kept.id, kept.version});
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE people SET id_type = ?, " + std::string(kIdentifierSets) +
                 ", name = ?, sex = ?, birth_date = ?, address = ?, version = version + 1, "
                 "updated_at = ? WHERE id = ? AND version = ? AND merged_into IS NULL",
             params));
  if (changed != 1) {
    return false;
  }
  // The tombstone keeps the identity the kept file gave up, so that a list naming it later
  // still reaches the one person (leads follow merged_into).
  const store::SealedIdentifier identity =
      store::SealIdNumber(s, merged_identity["id_number"].get<std::string>());
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t gone,
      s.Exec("UPDATE people SET id_type = ?, id_number_sealed = ?, id_number_index = ?, "
             "id_number_masked = ?, merged_into = ?, region_code = NULL, region_path = NULL, "
             "household_id = NULL, version = version + 1, updated_at = ? "
             "WHERE id = ? AND merged_into IS NULL",
             {merged_identity["id_type"].get<std::string>(), identity.sealed, identity.index,
              identity.masked, kept.id, now, merged_id}));
  return gone == 1;
}

Status RestoreBoth(store::Session& s, std::int64_t kept_id, const json& kept_before,
                   std::int64_t merged_id, const json& merged_before, std::int64_t now) {
  CORDON_RETURN_IF_ERROR(ParkDocument(s, merged_id));
  store::Params kept_params{kept_before["id_type"].get<std::string>()};
  AddIdentifiers(s, kept_before, &kept_params);
  kept_params.insert(kept_params.end(),
                     {kept_before["name"].get<std::string>(), kept_before["sex"].get<std::string>(),
                      kept_before["birth_date"].get<std::string>(),
                      kept_before["address"].get<std::string>(), now, kept_id});
  CORDON_RETURN_IF_ERROR(s.Exec("UPDATE people SET id_type = ?, " + std::string(kIdentifierSets) +
                                    ", name = ?, sex = ?, birth_date = ?, address = ?, "
                                    "version = version + 1, updated_at = ? WHERE id = ?",
                                kept_params)
                             .status());
  const std::int64_t household = merged_before.value("household_id", std::int64_t{0});
  store::Params params{merged_before["id_type"].get<std::string>()};
  AddIdentifiers(s, merged_before, &params);
  params.insert(
      params.end(),
      {merged_before["name"].get<std::string>(), merged_before["sex"].get<std::string>(),
       merged_before["birth_date"].get<std::string>(), merged_before["address"].get<std::string>(),
       household == 0 ? store::Value{} : store::Value{household},
       TextOrNull(merged_before, "region_code"), TextOrNull(merged_before, "region_path"), now,
       merged_id});
  return s
      .Exec("UPDATE people SET id_type = ?, " + std::string(kIdentifierSets) +
                ", name = ?, sex = ?, birth_date = ?, address = ?, household_id = ?, "
                "region_code = ?, region_path = ?, merged_into = NULL, version = version + 1, "
                "updated_at = ? WHERE id = ?",
            params)
      .status();
}

}  // namespace cordon::duplicates
