#include "trace/store.h"

#include "store/field_keys.h"

namespace cordon::trace {
namespace {

constexpr std::string_view kPersonColumns =
    "p.id, p.id_number_masked, p.name, COALESCE(p.region_code, ''), COALESCE(r.name, ''), "
    "COALESCE(p.region_path, ''), COALESCE(p.household_id, 0) FROM people p "
    "LEFT JOIN regions r ON r.code = p.region_code ";

PersonBrief ReadPerson(const store::Row& row) {
  PersonBrief p;
  p.id = row.Int(0);
  p.id_number = row.Text(1);
  p.name = row.Text(2);
  p.region_code = row.Text(3);
  p.region_name = row.Text(4);
  p.region_path = row.Text(5);
  p.household_id = row.Int(6);
  return p;
}

}  // namespace

Result<std::vector<VenueInfo>> LoadVenues(store::Session& s) {
  std::vector<VenueInfo> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT id, code, name, type, needs_review FROM venues WHERE id IS NOT NULL "
              "ORDER BY id",
              {}, [&](const store::Row& row) {
                out.push_back({static_cast<std::uint32_t>(row.Int(0)), row.Text(1), row.Text(2),
                               row.Text(3), row.Int(4) != 0});
                return Status::Ok();
              }));
  return out;
}

Result<std::map<std::string, VenueRule>> LoadVenueRules(store::Session& s) {
  std::map<std::string, VenueRule> out;
  CORDON_RETURN_IF_ERROR(
      s.Query("SELECT venue_type, window_seconds, companion_only FROM venue_rules "
              "WHERE profile_version = (SELECT MAX(profile_version) FROM venue_rules) "
              "ORDER BY venue_type",
              {}, [&](const store::Row& row) {
                out[row.Text(0)] = {static_cast<std::uint32_t>(row.Int(1)), row.Int(2) != 0};
                return Status::Ok();
              }));
  return out;
}

Result<std::optional<VenueInfo>> FindVenue(store::Session& s, const std::string& code) {
  std::optional<VenueInfo> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT id, code, name, type, needs_review FROM venues WHERE code = ? AND id IS NOT NULL",
      {code}, [&](const store::Row& row) {
        out = VenueInfo{static_cast<std::uint32_t>(row.Int(0)), row.Text(1), row.Text(2),
                        row.Text(3), row.Int(4) != 0};
        return Status::Ok();
      }));
  return out;
}

Result<VenueInfo> RegisterVenue(store::Session& s, const std::string& code) {
  CORDON_ASSIGN_OR_RETURN(std::int64_t last,
                          s.QueryInt("SELECT COALESCE(MAX(id), 0) FROM venues", {}));
  VenueInfo v{static_cast<std::uint32_t>(last + 1), code, "待核实场所 " + code, "unknown", true};
  CORDON_RETURN_IF_ERROR(
      s.Exec("INSERT INTO venues (id, code, name, type, needs_review) VALUES (?, ?, ?, ?, 1)",
             {static_cast<std::int64_t>(v.id), v.code, v.name, v.type})
          .status());
  return v;
}

Result<std::vector<VenueInfo>> SelectVenues(store::Session& s, bool needs_review_only,
                                            const std::string& like, std::int64_t after,
                                            int limit) {
  std::string sql =
      "SELECT id, code, name, type, needs_review FROM venues WHERE id IS NOT NULL AND id > ?";
  store::Params params{after};
  if (needs_review_only) {
    sql += " AND needs_review = 1";
  }
  if (!like.empty()) {
    sql += " AND (LOWER(code) LIKE ? ESCAPE '\\' OR LOWER(name) LIKE ? ESCAPE '\\')";
    params.emplace_back(like);
    params.emplace_back(like);
  }
  sql += " ORDER BY id LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit));
  std::vector<VenueInfo> out;
  CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
    out.push_back({static_cast<std::uint32_t>(row.Int(0)), row.Text(1), row.Text(2), row.Text(3),
                   row.Int(4) != 0});
    return Status::Ok();
  }));
  return out;
}

Result<std::int64_t> CountVenuesToReview(store::Session& s) {
  return s.QueryInt("SELECT COUNT(*) FROM venues WHERE needs_review = 1 AND id IS NOT NULL", {});
}

Status SaveVenue(store::Session& s, const VenueInfo& v) {
  return s
      .Exec("UPDATE venues SET name = ?, type = ?, needs_review = ? WHERE id = ?",
            {v.name, v.type, std::int64_t{v.needs_review ? 1 : 0}, static_cast<std::int64_t>(v.id)})
      .status();
}

Status LoadPersonNumbers(store::Session& s, std::map<std::string, std::uint32_t>* out) {
  // The directory is in memory only: each number is opened here and never written back.
  const store::FieldCipher& fields = s.Fields();
  return s.Query("SELECT id_number_sealed, id FROM people WHERE id_type = 'resident_id'", {},
                 [&](const store::Row& row) {
                   CORDON_ASSIGN_OR_RETURN(std::string number,
                                           fields.Open(store::SealedField::kIdNumber, row.Text(0)));
                   (*out)[std::move(number)] = static_cast<std::uint32_t>(row.Int(1));
                   return Status::Ok();
                 });
}

Result<std::optional<std::uint32_t>> FindPersonNumber(store::Session& s,
                                                      const std::string& id_number) {
  std::optional<std::uint32_t> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT id FROM people WHERE id_type = 'resident_id' AND id_number_index = ?",
      {s.Fields().Index(store::SealedField::kIdNumber, id_number)}, [&](const store::Row& row) {
        out = static_cast<std::uint32_t>(row.Int(0));
        return Status::Ok();
      }));
  return out;
}

Result<std::uint32_t> CreateUnverifiedPerson(store::Session& s, const base::ResidentId& id,
                                             std::int64_t now) {
  const store::SealedIdentifier sealed = store::SealIdNumber(s, id.number);
  CORDON_RETURN_IF_ERROR(
      s.Exec("INSERT INTO people (id_type, id_number_sealed, id_number_index, id_number_masked, "
             "name, sex, birth_date, unverified, created_at, updated_at) "
             "VALUES ('resident_id', ?, ?, ?, '', ?, ?, 1, ?, ?)",
             {sealed.sealed, sealed.index, sealed.masked, std::string(1, id.sex), id.birth_date,
              now, now})
          .status());
  CORDON_ASSIGN_OR_RETURN(auto found, FindPersonNumber(s, id.number));
  if (!found) {
    return Internal("the new person file was not found after its insert");
  }
  return *found;
}

Result<std::vector<PersonBrief>> PeopleByIds(store::Session& s,
                                             std::span<const std::uint32_t> ids) {
  std::vector<PersonBrief> out;
  out.reserve(ids.size());
  constexpr std::size_t kBatch = 500;
  for (std::size_t at = 0; at < ids.size(); at += kBatch) {
    const std::size_t n = std::min(kBatch, ids.size() - at);
    std::string sql = "SELECT " + std::string(kPersonColumns) + "WHERE p.id IN (";
    store::Params params;
    for (std::size_t i = 0; i < n; ++i) {
      sql += i == 0 ? "?" : ", ?";
      params.emplace_back(static_cast<std::int64_t>(ids[at + i]));
    }
    sql += ") ORDER BY p.id";
    CORDON_RETURN_IF_ERROR(s.Query(sql, params, [&](const store::Row& row) {
      out.push_back(ReadPerson(row));
      return Status::Ok();
    }));
  }
  return out;
}

Result<std::optional<PersonBrief>> PersonById(store::Session& s, std::int64_t id) {
  std::optional<PersonBrief> out;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT " + std::string(kPersonColumns) + "WHERE p.id = ?", {id},
                                 [&](const store::Row& row) {
                                   out = ReadPerson(row);
                                   return Status::Ok();
                                 }));
  return out;
}

Result<std::optional<PersonBrief>> PersonByIdNumber(store::Session& s, const std::string& number) {
  std::optional<PersonBrief> out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT " + std::string(kPersonColumns) +
          "WHERE p.id_number_index = ? ORDER BY p.id_type = 'resident_id' DESC, p.id "
          "LIMIT 1",
      {s.Fields().Index(store::SealedField::kIdNumber, number)}, [&](const store::Row& row) {
        out = ReadPerson(row);
        return Status::Ok();
      }));
  return out;
}

Result<std::vector<std::uint32_t>> HouseholdMembers(store::Session& s, std::int64_t household_id) {
  std::vector<std::uint32_t> out;
  CORDON_RETURN_IF_ERROR(s.Query("SELECT id FROM people WHERE household_id = ? ORDER BY id",
                                 {household_id}, [&](const store::Row& row) {
                                   out.push_back(static_cast<std::uint32_t>(row.Int(0)));
                                   return Status::Ok();
                                 }));
  return out;
}

}  // namespace cordon::trace
