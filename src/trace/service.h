// Tracing (流调溯源): check-ins in, trajectories and contacts out, with people and venues named,
// jurisdiction checked and every search audited. The engine (src/checkins/) stores the check-ins;
// contacts.h applies the contact rule; this layer speaks in ID numbers and venue codes.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "auth/audit_log.h"
#include "base/local_time.h"
#include "checkins/checkin_store.h"
#include "store/database.h"
#include "trace/contacts.h"
#include "trace/store.h"
#include "trace/venues.h"

namespace cordon::trace {

struct CheckinInput {
  std::size_t line = 0;  // in the file or request body, from 1 (the CSV header is line 1)
  std::string id_number;
  std::string venue_code;
  std::string time;  // Unix seconds or ISO 8601
};

struct RowError {
  std::size_t line = 0;
  std::string reason;
};

struct IngestReport {
  std::int64_t accepted = 0;
  std::int64_t duplicates = 0;  // already held: an import run twice changes nothing
  std::int64_t new_venues = 0;  // registered as 'unknown', flagged for review
  std::int64_t new_people = 0;  // minimal unverified files, no grid
  std::vector<RowError> rejected;
};

struct EvidenceRow {
  std::string venue_code;
  std::string venue_name;
  std::uint32_t index_time = 0;
  std::uint32_t contact_time = 0;
  std::int64_t via_person_id = 0;
};

struct TracedContact {
  PersonBrief person;
  int degree = 1;
  ContactKind kind = ContactKind::kCoPresence;
  std::int64_t index_person_id = 0;
  std::vector<EvidenceRow> evidence;
  std::size_t evidence_total = 0;  // a secondary contact lists only its earliest meeting
};

// Which secondary contacts an answer names. All are counted; a set can be most of a city, so
// the API names them a page at a time, by person id.
struct SecondaryPage {
  std::int64_t after = 0;  // person ids above this one
  std::size_t limit = std::numeric_limits<std::size_t>::max();
  bool every_meeting = false;  // each with all its meetings (an export), not just the earliest
};

struct TraceAnswer {
  PersonBrief index;
  std::uint32_t from = 0;
  std::uint32_t to = 0;
  std::vector<TracedContact> close;
  std::vector<TracedContact> secondary;  // the page asked for
  std::vector<TracedContact> companions;
  std::size_t secondary_total = 0;
  std::optional<std::int64_t> secondary_next;  // `after` for the next page; none after the last
};

struct Visit {
  std::string venue_code;
  std::string venue_name;
  std::string venue_type;
  std::uint32_t time = 0;
};

const char* KindName(ContactKind kind);

class TraceService {
 public:
  TraceService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
               base::UtcOffset offset);
  ~TraceService();

  // Opens the engine in `options.dir` (replaying its log) and loads venues and rules.
  Status Open(checkins::StoreOptions options);

  // Validates each row (ID number per GB 11643, venue code, time within retention and not in
  // the future), registers unknown venues and people, and appends the rest durably. Rows
  // already held are counted as duplicates, not stored twice.
  Result<IngestReport> Ingest(const auth::Principal& who, std::vector<CheckinInput> rows);
  // The same from request or file bytes: NDJSON lines {"id_number","venue_code","time"}, or
  // CSV with the header person_id_number,venue_code,time (UTF-8 or GBK).
  Result<IngestReport> IngestNdjson(const auth::Principal& who, std::string_view body);
  Result<IngestReport> IngestCsv(const auth::Principal& who, std::string_view bytes);

  // Contacts of the person with this ID number over [from, to]; the person must be inside the
  // caller's jurisdiction (else kNotFound, audited). Contacts anywhere are listed, masked.
  Result<TraceAnswer> Contacts(const auth::Principal& who, std::string_view id_number,
                               std::int64_t from, std::int64_t to, int depth,
                               const SecondaryPage& page = {});
  // `named`: people the investigation names (exposures), degree 1 besides co-presence.
  Result<TraceAnswer> ContactsOf(const auth::Principal& who, std::int64_t person_id,
                                 std::int64_t from, std::int64_t to, int depth,
                                 const std::vector<NamedContact>& named = {},
                                 const SecondaryPage& page = {});
  Result<std::vector<Visit>> Trajectory(const auth::Principal& who, std::int64_t person_id,
                                        std::int64_t from, std::int64_t to);

  // Venue review (venues.cc). ListVenues and VenueTypes need the trace permission; UpdateVenue
  // needs checkins_write (else kPermissionDenied). UpdateVenue: kInvalidArgument naming the field
  // (name empty or over 100 characters, a type the contact rule does not know, nothing to
  // change), kNotFound for an unknown code; audited, and the next search uses the new type.
  Result<VenuePage> ListVenues(const auth::Principal& who, const VenueQuery& query);
  Result<VenueListed> UpdateVenue(const auth::Principal& who, std::string_view code,
                                  const VenueChange& change);
  Result<std::vector<VenueType>> VenueTypes(const auth::Principal& who) const;

  // Rows already numbered and validated (the demo city's): into the engine, or on PostgreSQL
  // into the shared log that every node's engine follows.
  Status AppendRows(std::span<const checkins::Checkin> rows);
  checkins::CheckinStore& engine() { return *engine_; }
  base::UtcOffset offset() const { return offset_; }

 private:
  Result<TraceAnswer> Trace(const auth::Principal& who, const PersonBrief& index, std::int64_t from,
                            std::int64_t to, int depth, const std::vector<NamedContact>& named,
                            const SecondaryPage& page);
  Status Visible(const auth::Principal& who, const PersonBrief& person);
  VenueRule RuleOfType(const std::string& type) const;
  Status ReloadVenues();
  // Several nodes (PostgreSQL): rows go to the shared checkin_log, and each node's engine
  // follows it by id; the cursor is kept beside the engine's files.
  Status AppendShared(std::span<const checkins::Checkin> rows);
  Status FollowOnce(bool deduplicate);
  // Reloads the venues and rules when another node has edited a venue (venue_edits).
  Status FollowVenueEdits();
  void Follow();

  store::Database& db_;
  auth::AuditLog& audit_;
  const base::Clock& clock_;
  base::UtcOffset offset_;
  std::unique_ptr<checkins::CheckinStore> engine_;

  mutable std::shared_mutex names_mu_;
  std::vector<VenueInfo> venues_;  // by number; venues_[0] unused
  std::map<std::string, std::uint32_t, std::less<>> venue_numbers_;
  std::map<std::string, VenueRule> type_rules_;
  VenueRules rules_;
  std::map<std::string, std::uint32_t, std::less<>> person_numbers_;
  bool people_loaded_ = false;
  std::mutex ingest_mu_;  // one registration of new venues and people at a time

  bool shared_log_ = false;
  std::string cursor_path_;
  std::mutex follow_mu_;  // the cursor, and waking the follower
  std::condition_variable follow_cv_;
  std::int64_t cursor_ = 0;  // the last checkin_log id in the engine
  bool follow_now_ = false;
  bool stop_ = false;
  std::int64_t last_purge_ = 0;
  std::int64_t venue_edits_seen_ = 0;  // the follower's thread only
  std::thread follower_;
};

}  // namespace cordon::trace
