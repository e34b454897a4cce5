#include "regions/store.h"

namespace cordon::regions {
namespace {

constexpr std::string_view kSelect =
    "SELECT r.code, COALESCE(r.parent_code, ''), r.level, r.name, r.path, r.population, "
    "r.households, r.age_0_2, r.age_3_11, r.age_12_17, r.age_18_59, r.age_60_plus, "
    "(SELECT COUNT(*) FROM regions c WHERE c.parent_code = r.code) FROM regions r ";

Region ReadRegion(const store::Row& row) {
  Region r;
  r.code = row.Text(0);
  r.parent_code = row.Text(1);
  r.level = static_cast<Level>(row.Int(2));
  r.name = row.Text(3);
  r.path = row.Text(4);
  r.population = row.Int(5);
  r.households = row.Int(6);
  for (int i = 0; i < 5; ++i) {
    r.age_bands[static_cast<std::size_t>(i)] = row.Int(7 + i);
  }
  r.child_count = row.Int(12);
  return r;
}

}  // namespace

const char* LevelName(Level level) {
  switch (level) {
    case Level::kCity:
      return "city";
    case Level::kDistrict:
      return "district";
    case Level::kStreet:
      return "street";
    case Level::kCommunity:
      return "community";
    case Level::kGrid:
      return "grid";
  }
  return "unknown";
}

Result<std::optional<Region>> FindInScope(store::Session& s, std::string_view code,
                                          const auth::PathRange& scope) {
  std::optional<Region> out;
  CORDON_RETURN_IF_ERROR(
      s.Query(std::string(kSelect) + "WHERE r.code = ? AND r.path >= ? AND r.path < ?",
              {std::string(code), scope.lo, scope.hi}, [&](const store::Row& row) {
                out = ReadRegion(row);
                return Status::Ok();
              }));
  return out;
}

Result<bool> Exists(store::Session& s, std::string_view code) {
  CORDON_ASSIGN_OR_RETURN(std::int64_t n, s.QueryInt("SELECT COUNT(*) FROM regions WHERE code = ?",
                                                     {std::string(code)}));
  return n > 0;
}

Result<std::vector<Region>> Children(store::Session& s, std::string_view code) {
  std::vector<Region> out;
  CORDON_RETURN_IF_ERROR(s.Query(std::string(kSelect) + "WHERE r.parent_code = ? ORDER BY r.code",
                                 {std::string(code)}, [&](const store::Row& row) {
                                   out.push_back(ReadRegion(row));
                                   return Status::Ok();
                                 }));
  return out;
}

Result<std::vector<Responsible>> Staff(store::Session& s, std::string_view code) {
  std::vector<Responsible> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT name, role, phone FROM region_staff WHERE region_code = ? ORDER BY id",
              {std::string(code)}, [&](const store::Row& row) {
                out.push_back({row.Text(0), row.Text(1), row.Text(2)});
                return Status::Ok();
              }));
  return out;
}

Status Insert(store::Session& s, const Region& r) {
  return s
      .Exec(
          "INSERT INTO regions (code, parent_code, level, name, path, population, households, "
          "age_0_2, age_3_11, age_12_17, age_18_59, age_60_plus) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {r.code, r.parent_code.empty() ? store::Value{} : store::Value{r.parent_code},
           static_cast<std::int64_t>(r.level), r.name, r.path, r.population, r.households,
           r.age_bands[0], r.age_bands[1], r.age_bands[2], r.age_bands[3], r.age_bands[4]})
      .status();
}

Status InsertStaff(store::Session& s, std::string_view code, const Responsible& p) {
  return s
      .Exec("INSERT INTO region_staff (region_code, name, role, phone) VALUES (?, ?, ?, ?)",
            {std::string(code), p.name, p.role, p.phone})
      .status();
}

}  // namespace cordon::regions
