#include "people/routes_json.h"

#include "base/masking.h"
#include "http/params.h"

namespace cordon::people {

using nlohmann::json;

json PersonJson(const Person& p, std::chrono::year_month_day today, base::UtcOffset offset,
                bool full_name) {
  json age = nullptr;
  if (auto birth = base::ParseDate(p.birth_date); birth.has_value()) {
    age = base::AgeOn(*birth, today);
  }
  return {{"id", p.id},
          {"id_type", p.id_type},
          {"id_number", base::MaskIdNumber(p.id_number)},
          {"name", full_name ? p.name : base::MaskName(p.name)},
          {"sex", p.sex},
          {"birth_date", p.birth_date},
          {"age", age},
          {"phone", base::MaskPhone(p.phone)},
          {"address", base::MaskAddress(p.address)},
          {"region", p.region_code},
          {"region_name", p.region_name},
          {"household_id", p.household_id == 0 ? json(nullptr) : json(p.household_id)},
          {"version", p.version},
          {"created_at", http::IsoTime(p.created_at, offset)},
          {"updated_at", http::IsoTime(p.updated_at, offset)},
          {"masked", true}};
}

}  // namespace cordon::people
