#include "people/store.h"

#include "store/field_keys.h"

namespace cordon::people {
namespace {

constexpr std::string_view kSelect =
    "SELECT p.id, p.id_type, p.id_number_sealed, p.name, p.sex, p.birth_date, p.phone_sealed, "
    "p.address, "
    "COALESCE(p.household_id, 0), COALESCE(p.region_code, ''), COALESCE(p.region_path, ''), "
    "p.version, p.created_at, p.updated_at, COALESCE(r.name, '') "
    "FROM people p LEFT JOIN regions r ON r.code = p.region_code ";

// The jurisdiction predicate: a range on people.region_path (index people_scope).
constexpr std::string_view kScope = "p.region_path >= ? AND p.region_path < ?";

// The file owns its identifiers whole: they are opened here, and masked where they are shown.
Result<Person> ReadPerson(const store::Session& s, const store::Row& row) {
  Person p;
  p.id = row.Int(0);
  p.id_type = row.Text(1);
  CORDON_ASSIGN_OR_RETURN(p.id_number, s.Fields().Open(store::SealedField::kIdNumber, row.Text(2)));
  p.name = row.Text(3);
  p.sex = row.Text(4);
  p.birth_date = row.Text(5);
  CORDON_ASSIGN_OR_RETURN(p.phone, s.Fields().Open(store::SealedField::kPhone, row.Text(6)));
  p.address = row.Text(7);
  p.household_id = row.Int(8);
  p.region_code = row.Text(9);
  p.region_path = row.Text(10);
  p.version = row.Int(11);
  p.created_at = row.Int(12);
  p.updated_at = row.Int(13);
  p.region_name = row.Text(14);
  return p;
}

// The upper bound for a prefix range on text, in byte order: the prefix followed by U+10FFFF,
// the highest code point, so that it is valid UTF-8 (PostgreSQL refuses anything else; adding
// one to the last byte made names ending in 广 or 睿 a 500 there).
std::string PrefixEnd(const std::string& prefix) { return prefix + "\xF4\x8F\xBF\xBF"; }

std::string EscapeLike(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

}  // namespace

Result<std::optional<Person>> FindInScope(store::Session& s, std::int64_t id,
                                          const auth::PathRange& scope) {
  std::optional<Person> out;
  CORDON_RETURN_IF_ERROR(s.Query(std::string(kSelect) + "WHERE p.id = ? AND " + std::string(kScope),
                                 {id, scope.lo, scope.hi}, [&](const store::Row& row) {
                                   CORDON_ASSIGN_OR_RETURN(out, ReadPerson(s, row));
                                   return Status::Ok();
                                 }));
  return out;
}

Result<bool> Exists(store::Session& s, std::int64_t id) {
  CORDON_ASSIGN_OR_RETURN(std::int64_t n,
                          s.QueryInt("SELECT COUNT(*) FROM people WHERE id = ?", {id}));
  return n > 0;
}

Result<std::vector<Person>> Search(store::Session& s, QueryKind kind, const std::string& value,
                                   const auth::PathRange& scope, const Page& page) {
  std::string sql =
      std::string(kSelect) + "WHERE " + std::string(kScope) + " AND (p.region_path, p.id) > (?, ?)";
  const store::ScopeCursor from = store::StartWithin(page.after, scope.lo);
  store::Params params{scope.lo, scope.hi, from.region_path, from.id};
  switch (kind) {
    case QueryKind::kAll:
      break;
    case QueryKind::kIdNumber:
      // Exact search by the blind index: the database holds no ID number to compare.
      sql += " AND p.id_number_index = ?";
      params.emplace_back(s.Fields().Index(store::SealedField::kIdNumber, value));
      break;
    case QueryKind::kPhone:
      sql += " AND p.phone_index = ?";
      params.emplace_back(s.Fields().Index(store::SealedField::kPhone, value));
      break;
    case QueryKind::kName:
      // A name is matched by prefix, so 张 finds 张三 and 张三丰 (index people_name).
      sql += " AND p.name >= ? AND p.name < ?";
      params.emplace_back(value);
      params.emplace_back(PrefixEnd(value));
      break;
    case QueryKind::kAddress:
      sql += " AND p.address LIKE ? ESCAPE '\\'";
      params.emplace_back("%" + EscapeLike(value) + "%");
      break;
  }
  sql += " ORDER BY p.region_path, p.id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(page.limit));
  std::vector<Person> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    CORDON_ASSIGN_OR_RETURN(Person p, ReadPerson(s, row));
    out.push_back(std::move(p));
    return Status::Ok();
  }));
  return out;
}

Result<std::int64_t> Insert(store::Session& s, const Person& p, std::int64_t now) {
  const store::SealedIdentifier id = store::SealIdNumber(s, p.id_number);
  const store::SealedIdentifier phone = store::SealPhone(s, p.phone);
  CORDON_RETURN_IF_ERROR(
      s.Exec("INSERT INTO people (id_type, id_number_sealed, id_number_index, id_number_masked, "
             "name, sex, birth_date, phone_sealed, phone_index, phone_masked, address, "
             "household_id, region_code, region_path, version, created_at, updated_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
             {p.id_type, id.sealed, id.index, id.masked, p.name, p.sex, p.birth_date, phone.sealed,
              phone.index, phone.masked, p.address,
              p.household_id == 0 ? store::Value{} : store::Value{p.household_id},
              p.region_code.empty() ? store::Value{} : store::Value{p.region_code},
              p.region_path.empty() ? store::Value{} : store::Value{p.region_path}, now, now})
          .status());
  return s.QueryInt("SELECT id FROM people WHERE id_type = ? AND id_number_index = ?",
                    {p.id_type, id.index});
}

Result<bool> Update(store::Session& s, const Person& p, std::int64_t now) {
  const store::SealedIdentifier id = store::SealIdNumber(s, p.id_number);
  const store::SealedIdentifier phone = store::SealPhone(s, p.phone);
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t changed,
      s.Exec("UPDATE people SET id_type = ?, id_number_sealed = ?, id_number_index = ?, "
             "id_number_masked = ?, name = ?, sex = ?, birth_date = ?, phone_sealed = ?, "
             "phone_index = ?, phone_masked = ?, address = ?, household_id = ?, region_code = ?, "
             "region_path = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
             {p.id_type, id.sealed, id.index, id.masked, p.name, p.sex, p.birth_date, phone.sealed,
              phone.index, phone.masked, p.address,
              p.household_id == 0 ? store::Value{} : store::Value{p.household_id},
              p.region_code.empty() ? store::Value{} : store::Value{p.region_code},
              p.region_path.empty() ? store::Value{} : store::Value{p.region_path}, now, p.id,
              p.version}));
  return changed == 1;
}

Result<bool> HouseholdInScope(store::Session& s, std::int64_t household_id,
                              const auth::PathRange& scope) {
  CORDON_ASSIGN_OR_RETURN(
      std::int64_t n,
      s.QueryInt("SELECT COUNT(*) FROM households h JOIN regions r ON r.code = h.region_code "
                 "WHERE h.id = ? AND r.path >= ? AND r.path < ?",
                 {household_id, scope.lo, scope.hi}));
  return n > 0;
}

Result<std::int64_t> FindByDocument(store::Session& s, const std::string& id_type,
                                    const std::string& id_number) {
  std::int64_t id = 0;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id FROM people WHERE id_type = ? AND id_number_index = ?",
              {id_type, s.Fields().Index(store::SealedField::kIdNumber, id_number)},
              [&](const store::Row& row) {
                id = row.Int(0);
                return Status::Ok();
              }));
  return id;
}

Result<std::optional<Placement>> PlacementOf(store::Session& s, const std::string& region_code) {
  std::optional<Placement> out;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT path, name FROM regions WHERE code = ?", {region_code},
                                 [&](const store::Row& row) {
                                   out = Placement{row.Text(0), row.Text(1)};
                                   return Status::Ok();
                                 }));
  return out;
}

}  // namespace cordon::people
