#include "demo/store.h"

#include <unordered_map>

#include "base/id_number.h"
#include "demo/outbreak.h"
#include "people/duplicate_queue.h"
#include "store/copy.h"
#include "store/field_keys.h"

namespace cordon::demo {
namespace {

constexpr std::size_t kBatch = 50'000;  // rows per transaction: bounded memory, few fsyncs

// One resident in this many was filed twice by another system, with a mistyped ID: the doubtful
// matches (疑似重复档案) a real city starts with. Small cities (the tests') have none.
constexpr std::size_t kFiledTwiceEvery = 5'000;
constexpr std::size_t kSmallestCityWithDuplicates = 10'000;
// A seeded outbreak (demo/outbreak.h) too; the tests' small cities start without cases.
constexpr std::size_t kSmallestCityWithOutbreak = 10'000;

// The same person's ID with one digit of the sequence code mistyped: still valid (the check
// character recomputed), of the same sex, and no one else's in the city.
Result<std::string> MistypedId(store::Session& s, const std::string& id) {
  for (char k = 1; k <= 9; ++k) {
    std::string first17 = id.substr(0, 17);
    first17[14] = static_cast<char>('0' + (first17[14] - '0' + k) % 10);
    std::string candidate = first17 + base::GbCheckCharacter(first17);
    CORDON_ASSIGN_OR_RETURN(
        std::int64_t taken,
        s.QueryInt("SELECT COUNT(*) FROM people WHERE id_number_index = ?",
                   {s.Fields().Index(store::SealedField::kIdNumber, candidate)}));
    if (taken == 0) {
      return candidate;
    }
  }
  return std::string();
}

}  // namespace

Result<bool> HasCity(store::Database& db) {
  std::int64_t n = 0;
  CORDON_RETURN_IF_ERROR(db.Read([&](store::Session& s) {
    CORDON_ASSIGN_OR_RETURN(n, s.QueryInt("SELECT COUNT(*) FROM regions", {}));
    return Status::Ok();
  }));
  return n > 0;
}

Status LoadCity(store::Database& db, const sim::City& city, std::int64_t now,
                const std::function<void(const std::string&)>& progress) {
  CORDON_ASSIGN_OR_RETURN(bool has, HasCity(db));
  if (has) {
    return AlreadyExists("the database already holds a city");
  }

  std::unordered_map<std::string, std::string> path_of;
  path_of.reserve(city.regions.size());
  CORDON_RETURN_IF_ERROR(db.Write([&](store::Session& s) {
    for (const auto& r : city.regions) {
      std::string path = r.parent_code.empty() ? "/" : path_of.at(r.parent_code);
      path += r.code + "/";
      path_of[r.code] = path;
      CORDON_RETURN_IF_ERROR(
          s.Exec("INSERT INTO regions (code, parent_code, level, name, path, population, "
                 "households, age_0_2, age_3_11, age_12_17, age_18_59, age_60_plus) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 {r.code, r.parent_code.empty() ? store::Value{} : store::Value{r.parent_code},
                  static_cast<std::int64_t>(r.level), r.name, path, r.population, r.households,
                  r.age_bands[0], r.age_bands[1], r.age_bands[2], r.age_bands[3], r.age_bands[4]})
              .status());
      for (const auto& staff : r.staff) {
        CORDON_RETURN_IF_ERROR(
            s.Exec("INSERT INTO region_staff (region_code, name, role, phone) VALUES (?, ?, ?, ?)",
                   {r.code, staff.name, staff.role, staff.phone})
                .status());
      }
    }
    return Status::Ok();
  }));
  progress("regions: " + std::to_string(city.regions.size()));

  for (std::size_t start = 0; start < city.households.size(); start += kBatch) {
    CORDON_RETURN_IF_ERROR(db.Write([&](store::Session& s) {
      for (std::size_t i = start; i < std::min(start + kBatch, city.households.size()); ++i) {
        const auto& h = city.households[i];
        CORDON_RETURN_IF_ERROR(
            s.Exec("INSERT INTO households (id, region_code, address) VALUES (?, ?, ?)",
                   {h.id, h.grid_code, h.address})
                .status());
      }
      return Status::Ok();
    }));
  }
  // The generator numbers households itself; new ones made later must follow them.
  CORDON_RETURN_IF_ERROR(db.Write([&](store::Session& s) {
    return store::ContinueIdentity(s, db.Dialect(), "households", "id");
  }));
  progress("households: " + std::to_string(city.households.size()));

  for (std::size_t start = 0; start < city.people.size(); start += kBatch) {
    CORDON_RETURN_IF_ERROR(db.Write([&](store::Session& s) {
      for (std::size_t i = start; i < std::min(start + kBatch, city.people.size()); ++i) {
        const auto& p = city.people[i];
        const store::SealedIdentifier id = store::SealIdNumber(s, p.id_number);
        const store::SealedIdentifier phone = store::SealPhone(s, p.phone);
        CORDON_RETURN_IF_ERROR(
            s.Exec("INSERT INTO people (id_type, id_number_sealed, id_number_index, "
                   "id_number_masked, name, sex, birth_date, phone_sealed, phone_index, "
                   "phone_masked, address, household_id, region_code, region_path, version, "
                   "created_at, updated_at) "
                   "VALUES ('resident_id', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                   {id.sealed, id.index, id.masked, p.name, std::string(1, p.sex), p.birth_date,
                    phone.sealed, phone.index, phone.masked, p.address, p.household, p.grid_code,
                    path_of.at(p.grid_code), now, now})
                .status());
      }
      return Status::Ok();
    }));
    progress("people: " + std::to_string(std::min(start + kBatch, city.people.size())) + " / " +
             std::to_string(city.people.size()));
  }

  if (city.people.size() >= kSmallestCityWithDuplicates) {
    std::size_t filed_twice = 0;
    CORDON_RETURN_IF_ERROR(db.Write([&](store::Session& s) {
      for (std::size_t i = kFiledTwiceEvery / 2; i < city.people.size(); i += kFiledTwiceEvery) {
        const auto& p = city.people[i];
        if (p.phone.empty()) {
          continue;
        }
        CORDON_ASSIGN_OR_RETURN(std::string id, MistypedId(s, p.id_number));
        if (id.empty()) {
          continue;
        }
        // Filed by a data push: the same name, phone and address, no household.
        const store::SealedIdentifier sealed = store::SealIdNumber(s, id);
        const store::SealedIdentifier phone = store::SealPhone(s, p.phone);
        CORDON_RETURN_IF_ERROR(
            s.Exec(
                 "INSERT INTO people (id_type, id_number_sealed, id_number_index, "
                 "id_number_masked, name, sex, birth_date, phone_sealed, phone_index, "
                 "phone_masked, address, region_code, region_path, version, created_at, "
                 "updated_at) VALUES ('resident_id', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                 {sealed.sealed, sealed.index, sealed.masked, p.name, std::string(1, p.sex),
                  p.birth_date, phone.sealed, phone.index, phone.masked, p.address, p.grid_code,
                  path_of.at(p.grid_code), now, now})
                .status());
        CORDON_ASSIGN_OR_RETURN(
            std::int64_t copy,
            s.QueryInt("SELECT id FROM people WHERE id_number_index = ?", {sealed.index}));
        CORDON_ASSIGN_OR_RETURN(int queued,
                                people::QueueSameNamePhone(s, copy, "data_push", "demo", now));
        filed_twice += static_cast<std::size_t>(queued);
      }
      return Status::Ok();
    }));
    progress("files filed twice (疑似重复): " + std::to_string(filed_twice));
  }

  CORDON_RETURN_IF_ERROR(db.Write([&](store::Session& s) {
    // Venue numbers (the check-in engine's) follow the city's order: venue i is number i + 1.
    std::int64_t number = 0;
    for (const auto& v : city.venues) {
      CORDON_RETURN_IF_ERROR(
          s.Exec("INSERT INTO venues (id, code, name, type, lat, lon, region_code, region_path) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 {++number, v.code, v.name, v.type, v.lat, v.lon, v.grid_code,
                  path_of.at(v.grid_code)})
              .status());
    }
    return Status::Ok();
  }));
  progress("venues: " + std::to_string(city.venues.size()));
  if (city.people.size() >= kSmallestCityWithOutbreak) {
    CORDON_RETURN_IF_ERROR(LoadOutbreak(db, city, now, progress));
  }
  return Status::Ok();
}

}  // namespace cordon::demo
