#include "people/service.h"

#include "auth/rules.h"
#include "base/text.h"
#include "people/duplicate_queue.h"
#include "people/rules.h"
#include "people/store.h"

namespace cordon::people {
namespace {

const Status& PersonNotFound() {
  static const Status status(StatusCode::kNotFound,
                             "人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  return status;
}

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

}  // namespace

std::int64_t PeopleService::Now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
}

Status PeopleService::Denied(const auth::Principal& who, std::int64_t id) {
  bool exists = false;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(exists, Exists(s, id));
    return Status::Ok();
  }));
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {exists ? "authz_denied" : "people.get", "person", std::to_string(id),
                          exists ? "denied" : "not_found", "", ""}));
  return PersonNotFound();
}

Result<Person> PeopleService::Visible(const auth::Principal& who, std::int64_t id) {
  std::optional<Person> person;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(person, FindInScope(s, id, auth::SubtreeRange(who.region_path)));
    return Status::Ok();
  }));
  if (!person) {
    return Denied(who, id);
  }
  return *person;
}

Result<Person> PeopleService::Get(const auth::Principal& who, std::int64_t id) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kPeopleRead));
  CORDON_ASSIGN_OR_RETURN(Person person, Visible(who, id));
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"people.get", "person", std::to_string(id), "ok", "", ""}));
  return person;
}

Result<std::vector<Person>> PeopleService::Search(const auth::Principal& who, std::string_view q,
                                                  std::string_view region, const Page& page) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kPeopleRead));
  CORDON_ASSIGN_OR_RETURN(ParsedQuery query, ParseQuery(q, Today()));
  if (!region.empty() && !auth::IsRegionCode(region)) {
    return FieldInvalid("region", "区划代码应为 6-30 位数字 (a region code is 6 to 30 digits)");
  }
  auth::PathRange scope = auth::SubtreeRange(who.region_path);
  std::vector<Person> found;
  bool region_visible = true;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) {
    if (!region.empty()) {
      CORDON_ASSIGN_OR_RETURN(auto placement, PlacementOf(s, std::string(region)));
      if (!placement || !auth::InSubtree(placement->path, who.region_path)) {
        region_visible = false;
        return Status::Ok();
      }
      scope = auth::SubtreeRange(placement->path);
    }
    CORDON_ASSIGN_OR_RETURN(found, people::Search(s, query.kind, query.value, scope, page));
    return Status::Ok();
  }));
  if (!region_visible) {
    CORDON_RETURN_IF_ERROR(
        audit_.Record(who, {"authz_denied", "region", std::string(region), "denied", "", ""}));
    return NotFound("区划不存在或不在管辖范围内 (no such region in your jurisdiction)");
  }
  // The audit row names the people shown (ids only) and how they were found, never the query.
  std::string ids;
  for (const auto& p : found) {
    if (!ids.empty()) {
      ids += ',';
    }
    ids += std::to_string(p.id);
  }
  static constexpr const char* kKinds[] = {"list", "id_number", "phone", "address", "name"};
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {query.kind == QueryKind::kAll ? "people.list" : "people.search", "person",
                          ids, "ok", "", kKinds[static_cast<int>(query.kind)]}));
  return found;
}

Result<Person> PeopleService::Create(const auth::Principal& who, const PersonInput& input) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kPeopleWrite));
  CORDON_ASSIGN_OR_RETURN(Person person, ApplyInput(input, nullptr, Today()));
  const std::int64_t now = Now();
  Status status = db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(auto placement, PlacementOf(s, person.region_code));
    if (!placement || !auth::InSubtree(placement->path, who.region_path)) {
      return FieldInvalid("region",
                          "区划不存在或不在管辖范围内 (no such region in your jurisdiction)");
    }
    person.region_path = placement->path;
    person.region_name = placement->name;
    if (person.household_id != 0) {
      CORDON_ASSIGN_OR_RETURN(bool in_scope, HouseholdInScope(s, person.household_id,
                                                              auth::SubtreeRange(who.region_path)));
      if (!in_scope) {
        return FieldInvalid("household_id",
                            "户不存在或不在管辖范围内 (no such household in your jurisdiction)");
      }
    }
    CORDON_ASSIGN_OR_RETURN(std::int64_t other,
                            FindByDocument(s, person.id_type, person.id_number));
    if (other != 0) {
      return AlreadyExists("该证件号码已有档案 (a person file with this document exists)");
    }
    CORDON_ASSIGN_OR_RETURN(person.id, Insert(s, person, now));
    person.created_at = person.updated_at = now;
    // A second file for someone already on record (another document, the same name and phone)
    // is kept, and queued for a person to merge or keep apart.
    CORDON_RETURN_IF_ERROR(
        QueueSameNamePhone(s, person.id, "people", who.user.username, now).status());
    return audit_.Append(s, who,
                         {"people.create", "person", std::to_string(person.id), "ok", "",
                          "id_type,id_number,name,sex,birth_date,phone,address,region"});
  });
  if (!status.ok()) {
    return status;
  }
  return person;
}

Result<Person> PeopleService::Update(const auth::Principal& who, std::int64_t id,
                                     const PersonInput& input) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kPeopleWrite));
  if (!input.version) {
    return FieldInvalid("version", "必填：修改前读取的版本号 (required: the version you read)");
  }
  Person updated;
  bool visible = true;
  Status status = db_.Write([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(auto current, FindInScope(s, id, auth::SubtreeRange(who.region_path)));
    if (!current) {
      visible = false;
      return Status::Ok();
    }
    if (current->version != *input.version) {
      return FailedPrecondition("档案已被他人修改，请刷新后重试 (changed by someone else: reload)");
    }
    CORDON_ASSIGN_OR_RETURN(updated, ApplyInput(input, &*current, Today()));
    if (updated.region_code != current->region_code) {
      CORDON_ASSIGN_OR_RETURN(auto placement, PlacementOf(s, updated.region_code));
      if (!placement || !auth::InSubtree(placement->path, who.region_path)) {
        return FieldInvalid("region",
                            "区划不存在或不在管辖范围内 (no such region in your jurisdiction)");
      }
      updated.region_path = placement->path;
      updated.region_name = placement->name;
    }
    if (updated.household_id != current->household_id && updated.household_id != 0) {
      CORDON_ASSIGN_OR_RETURN(bool in_scope, HouseholdInScope(s, updated.household_id,
                                                              auth::SubtreeRange(who.region_path)));
      if (!in_scope) {
        return FieldInvalid("household_id",
                            "户不存在或不在管辖范围内 (no such household in your jurisdiction)");
      }
    }
    if (updated.id_number != current->id_number || updated.id_type != current->id_type) {
      CORDON_ASSIGN_OR_RETURN(std::int64_t other,
                              FindByDocument(s, updated.id_type, updated.id_number));
      if (other != 0 && other != id) {
        return AlreadyExists("该证件号码已有档案 (a person file with this document exists)");
      }
    }
    const std::int64_t now = Now();
    CORDON_ASSIGN_OR_RETURN(bool written, people::Update(s, updated, now));
    if (!written) {
      return FailedPrecondition("档案已被他人修改，请刷新后重试 (changed by someone else: reload)");
    }
    updated.version += 1;
    updated.updated_at = now;
    std::string fields;
    auto note = [&](bool changed, const char* name) {
      if (!changed) {
        return;
      }
      if (!fields.empty()) {
        fields += ',';
      }
      fields += name;
    };
    note(updated.id_type != current->id_type, "id_type");
    note(updated.id_number != current->id_number, "id_number");
    note(updated.name != current->name, "name");
    note(updated.sex != current->sex, "sex");
    note(updated.birth_date != current->birth_date, "birth_date");
    note(updated.phone != current->phone, "phone");
    note(updated.address != current->address, "address");
    note(updated.region_code != current->region_code, "region");
    note(updated.household_id != current->household_id, "household_id");
    return audit_.Append(s, who, {"people.update", "person", std::to_string(id), "ok", "", fields});
  });
  if (!status.ok()) {
    return status;
  }
  if (!visible) {
    return Denied(who, id);
  }
  return updated;
}

Result<std::map<std::string, std::string>> PeopleService::Reveal(
    const auth::Principal& who, std::int64_t id, const std::vector<std::string>& fields,
    std::string_view reason) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kPeopleReveal));
  std::vector<FieldError> errors;
  if (fields.empty()) {
    errors.push_back({"fields", "请选择要查看的字段 (name at least one field)"});
  }
  for (const auto& f : fields) {
    if (f != "id_number" && f != "phone" && f != "address" && f != "name") {
      errors.push_back({"fields", "不能查看的字段 (not a revealable field): " + f.substr(0, 32)});
    }
  }
  std::size_t reason_length = base::CodePoints(reason);
  if (reason_length < 4 || reason_length > 200) {
    errors.push_back(
        {"reason", "请填写查看理由，4-200 个字符 (a reason of 4 to 200 characters is required)"});
  }
  if (!errors.empty()) {
    return InvalidArgument("查看申请有误 (invalid reveal request)", std::move(errors));
  }
  CORDON_ASSIGN_OR_RETURN(Person person, Visible(who, id));
  std::map<std::string, std::string> out;
  std::string names;
  for (const auto& f : fields) {
    if (f == "id_number") {
      out[f] = person.id_number;
    }
    if (f == "phone") {
      out[f] = person.phone;
    }
    if (f == "address") {
      out[f] = person.address;
    }
    if (f == "name") {
      out[f] = person.name;
    }
  }
  for (const auto& [k, v] : out) {
    if (!names.empty()) {
      names += ',';
    }
    names += k;
  }
  // Durable before the answer leaves: a reveal that is not on record did not happen.
  CORDON_RETURN_IF_ERROR(audit_.Record(
      who, {"people.reveal", "person", std::to_string(id), "ok", std::string(reason), names}));
  return out;
}

}  // namespace cordon::people
