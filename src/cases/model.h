// Cases (病例), investigation records (流调报告), exposures (传播链), clusters (聚集性疫情), the
// epidemic curve and the timeliness clock (时效): domain.md section 7, docs/design/cases-api.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cordon::cases {

enum class Leg { kOk, kLate, kPending };

// The three legs of the clock, each measured from the positive result.
struct Clock {
  Leg reported = Leg::kPending;
  Leg listed = Leg::kPending;
  Leg controlled = Leg::kPending;
};

// Hours from positive_at, from the current profile.
struct ClockTargets {
  int reported_hours = 2;
  int listed_hours = 12;
  int controlled_hours = 24;
};

struct Case {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::string name, id_number, sex, birth_date;  // the person's; the number as stored masked
  std::string region_code, region_name, region_path;
  std::string classification;  // confirmed | asymptomatic | suspected
  std::int64_t positive_at = 0;
  std::int64_t sampling_at = 0;  // 0: not known
  std::string onset_date;        // "" when none (asymptomatic)
  std::int64_t reported_at = 0;  // 0: not reported yet
  std::string hospital;
  std::string outcome;  // under_treatment | recovered | died | excluded
  std::int64_t cluster_id = 0;
  std::string cluster_name;
  std::int64_t lookback_from = 0;
  std::int64_t contacts_listed_at = 0;      // 0: not listed
  std::int64_t contacts_controlled_at = 0;  // 0: not every close contact is under control
  std::int64_t close_contacts = 0, secondary_contacts = 0;
  Clock clock;  // filled by the service, as of its now
  std::int64_t version = 0;
  std::int64_t created_at = 0, updated_at = 0;
  std::string created_by;
};

struct CaseInput {
  std::int64_t person_id = 0;
  std::string classification;
  std::int64_t positive_at = 0;
  std::optional<std::int64_t> sampling_at, reported_at, cluster_id;
  std::optional<std::string> onset_date, hospital;
};

// A field of a PATCH: absent (nullopt), cleared (a JSON null: the inner nullopt) or set.
template <typename T>
using Patch = std::optional<std::optional<T>>;

struct CasePatch {
  std::optional<std::string> classification, hospital, outcome;
  Patch<std::string> onset_date;
  Patch<std::int64_t> sampling_at, reported_at, cluster_id;
  std::int64_t version = 0;
};

// Newest positive result first; the cursor is the last row's (positive_at, id).
struct CaseQuery {
  std::string classification;  // empty: all
  std::string region;          // empty: the caller's whole jurisdiction
  std::int64_t cluster_id = 0;
  bool late_only = false;
  std::int64_t after_positive_at = 0, after_id = 0;  // 0, 0: from the newest
  int limit = 50;
};

struct Entry {
  std::int64_t id = 0;
  std::int64_t case_id = 0;
  std::int64_t at = 0;
  std::int64_t until = 0;  // 0: a moment, not a stay
  std::string kind;        // place | person | activity | travel
  std::string venue_code, venue_name;
  std::int64_t person_id = 0;
  std::string person_name;  // masked by the routes
  std::string place;
  std::string text;
  std::string author;
  std::int64_t updated_at = 0;
  std::int64_t version = 0;
};

struct EntryInput {
  std::int64_t at = 0;
  std::optional<std::int64_t> until;
  std::string kind;
  std::optional<std::string> venue_code, place;
  std::optional<std::int64_t> person_id;
  std::string text;
  std::int64_t version = 0;  // for an update
};

struct Exposure {
  std::int64_t id = 0;
  std::int64_t source_person_id = 0, target_person_id = 0;
  // Both people's names and region paths: the caller masks them, or hides them outside the
  // jurisdiction.
  std::string source_name, target_name, source_path, target_path;
  std::string kind;  // household | named | co_presence | unknown
  std::int64_t at = 0;
  std::string venue_code, venue_name;
  std::string note;
  std::int64_t created_at = 0;
  std::string created_by;
};

struct ExposureInput {
  std::int64_t source_person_id = 0, target_person_id = 0;
  std::string kind;
  std::optional<std::int64_t> at;
  std::optional<std::string> venue_code, note;
};

struct Cluster {
  std::int64_t id = 0;
  std::string name;
  std::string region_code, region_name, region_path;
  std::string first_onset;  // the earliest onset date of its cases in view; "" when none
  std::int64_t cases = 0;   // its cases inside the caller's jurisdiction
  std::int64_t created_at = 0;
};

// A node of a cluster's chain graph: a case of the cluster, or a person on an exposure touching
// one. A person outside the caller's jurisdiction is shown without identifying fields.
struct GraphNode {
  std::int64_t person_id = 0;
  std::string name;  // masked by the routes
  bool in_scope = true;
  std::int64_t case_id = 0;  // 0: not a case of this cluster
  std::string classification, onset_date;
  std::int64_t positive_at = 0;
  std::optional<int> generation;  // only for the cluster's cases
  std::string region_name;
  std::string measure, measure_state;  // the current measure, if any
};

struct Graph {
  std::vector<GraphNode> nodes;
  std::vector<Exposure> links;
};

struct CurveDay {
  std::string date;
  std::int64_t confirmed = 0, asymptomatic = 0, suspected = 0;
};

struct Curve {
  std::string by;  // onset | report
  std::vector<CurveDay> days;
  std::int64_t no_onset = 0;
};

// A contact found for a case, to be listed (CaseService::RecordContacts).
struct ListedContact {
  std::int64_t person_id = 0;
  int degree = 1;    // 1: close contact (密接); 2: secondary contact (次密接)
  std::string kind;  // co_presence | household | exposure
};

// Each distinct contact falls in exactly one of the three, as rows of an import report do.
struct ContactsRecorded {
  int leads_created = 0;   // a new lead that opened a screening task
  int merged = 0;          // joined the person's open task, or the same lead was on record
  int already_listed = 0;  // listed for this case before, at the same or a closer degree
};

}  // namespace cordon::cases
