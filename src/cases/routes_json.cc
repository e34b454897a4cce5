#include "cases/routes_json.h"

#include "base/masking.h"
#include "cases/rules.h"
#include "http/json_input.h"

namespace cordon::cases {

using nlohmann::json;

json TimeJson(std::int64_t unix_seconds) {
  return unix_seconds == 0 ? json(nullptr) : json(unix_seconds);
}

json CaseJson(const Case& c, const CaseService& service) {
  json age = nullptr;
  if (auto birth = base::ParseDate(c.birth_date); birth.has_value()) {
    age = base::AgeOn(*birth, service.Today());
  }
  return {{"id", c.id},
          {"person_id", c.person_id},
          {"name", base::MaskName(c.name)},
          {"id_number", base::MaskIdNumber(c.id_number)},
          {"sex", c.sex},
          {"age", age},
          {"region", c.region_code},
          {"region_name", c.region_name},
          {"classification", c.classification},
          {"positive_at", c.positive_at},
          {"sampling_at", TimeJson(c.sampling_at)},
          {"onset_date", c.onset_date.empty() ? json(nullptr) : json(c.onset_date)},
          {"reported_at", TimeJson(c.reported_at)},
          {"hospital", c.hospital},
          {"outcome", c.outcome},
          {"cluster_id", c.cluster_id == 0 ? json(nullptr) : json(c.cluster_id)},
          {"cluster_name", c.cluster_name.empty() ? json(nullptr) : json(c.cluster_name)},
          {"lookback_from", c.lookback_from},
          {"contacts_listed_at", TimeJson(c.contacts_listed_at)},
          {"contacts_controlled_at", TimeJson(c.contacts_controlled_at)},
          {"close_contacts", c.close_contacts},
          {"secondary_contacts", c.secondary_contacts},
          {"clock",
           {{"reported", LegName(c.clock.reported)},
            {"listed", LegName(c.clock.listed)},
            {"controlled", LegName(c.clock.controlled)}}},
          {"version", c.version}};
}

json EntryJson(const Entry& e) {
  return {{"id", e.id},
          {"at", e.at},
          {"until", TimeJson(e.until)},
          {"kind", e.kind},
          {"venue_code", e.venue_code.empty() ? json(nullptr) : json(e.venue_code)},
          {"venue_name", e.venue_name.empty() ? json(nullptr) : json(e.venue_name)},
          {"person_id", e.person_id == 0 ? json(nullptr) : json(e.person_id)},
          {"person_name", e.person_id == 0 ? json(nullptr) : json(base::MaskName(e.person_name))},
          {"place", e.place},
          {"text", e.text},
          {"author", e.author},
          {"updated_at", e.updated_at},
          {"version", e.version}};
}

json ExposureJson(const Exposure& e, const auth::PathRange& scope) {
  const auto name = [&](const std::string& person, const std::string& path) {
    const bool in_scope = !path.empty() && path >= scope.lo && path < scope.hi;
    return in_scope ? base::MaskName(person) : std::string("已脱敏");
  };
  return {{"id", e.id},
          {"source_person_id", e.source_person_id},
          {"target_person_id", e.target_person_id},
          {"source_name", name(e.source_name, e.source_path)},
          {"target_name", name(e.target_name, e.target_path)},
          {"kind", e.kind},
          {"at", TimeJson(e.at)},
          {"venue_code", e.venue_code.empty() ? json(nullptr) : json(e.venue_code)},
          {"venue_name", e.venue_name.empty() ? json(nullptr) : json(e.venue_name)},
          {"note", e.note},
          {"created_at", e.created_at},
          {"created_by", e.created_by}};
}

http::Response Answer(int status, const json& body) {
  http::Response res = http::JsonResponse(status, http::JsonText(body));
  return http::Personal(res);
}

}  // namespace cordon::cases
