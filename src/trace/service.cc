#include "trace/service.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

#include "auth/rules.h"
#include "base/csv.h"
#include "base/id_number.h"

namespace cordon::trace {
namespace {

using checkins::Checkin;

Status Require(const auth::Principal& who, auth::Permission permission) {
  if (!auth::Can(who.user.role, permission)) {
    return PermissionDenied("当前角色无此权限 (your role may not do this)");
  }
  return Status::Ok();
}

bool IsVenueCode(std::string_view code) {
  return !code.empty() && code.size() <= 64 && std::ranges::all_of(code, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' ||
           c == '_';
  });
}

std::int64_t UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

const char* KindName(ContactKind kind) {
  switch (kind) {
    case ContactKind::kCoPresence:
      return "co_presence";
    case ContactKind::kHousehold:
      return "household";
    case ContactKind::kExposure:
      return "exposure";
  }
  return "co_presence";
}

TraceService::TraceService(store::Database& db, auth::AuditLog& audit, const base::Clock& clock,
                           base::UtcOffset offset)
    : db_(db), audit_(audit), clock_(clock), offset_(offset) {}

TraceService::~TraceService() {
  {
    std::lock_guard lock(follow_mu_);
    stop_ = true;
  }
  follow_cv_.notify_all();
  if (follower_.joinable()) {
    follower_.join();
  }
}

Status TraceService::Open(checkins::StoreOptions options) {
  options.utc_offset_seconds = static_cast<std::int32_t>(offset_.minutes.count() * 60);
  if (!options.now) {
    options.now = [this] { return UnixSeconds(clock_.Now()); };
  }
  const bool read_only = options.read_only;
  const std::string dir = options.dir;
  CORDON_ASSIGN_OR_RETURN(engine_, checkins::CheckinStore::Open(std::move(options)));
  CORDON_RETURN_IF_ERROR(ReloadVenues());
  shared_log_ = db_.Dialect() == "postgresql";
  if (shared_log_ && !read_only) {
    cursor_path_ = dir + "/shared-log-cursor";
    if (std::ifstream in(cursor_path_); in) {
      in >> cursor_;
    }
    // Rows fetched before a crash may be in the engine though the cursor was not saved: the
    // first pass skips what the engine already holds.
    CORDON_RETURN_IF_ERROR(FollowOnce(/*deduplicate=*/true));
    follower_ = std::thread([this] { Follow(); });
  }
  return Status::Ok();
}

Status TraceService::ReloadVenues() {
  std::vector<VenueInfo> venues;
  std::map<std::string, VenueRule> rules;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(venues, LoadVenues(s));
    CORDON_ASSIGN_OR_RETURN(rules, LoadVenueRules(s));
    return Status::Ok();
  }));
  std::unique_lock lock(names_mu_);
  type_rules_ = std::move(rules);
  rules_ = VenueRules(RuleOfType("unknown"));
  venues_.assign(1, VenueInfo{});
  for (auto& v : venues) {
    if (v.id >= venues_.size()) {
      venues_.resize(v.id + 1);
    }
    venue_numbers_[v.code] = v.id;
    rules_.Set(v.id, RuleOfType(v.type));
    venues_[v.id] = std::move(v);
  }
  return Status::Ok();
}

VenueRule TraceService::RuleOfType(const std::string& type) const {
  if (auto it = type_rules_.find(type); it != type_rules_.end()) {
    return it->second;
  }
  if (auto it = type_rules_.find("unknown"); it != type_rules_.end()) {
    return it->second;
  }
  return {};
}

Result<IngestReport> TraceService::IngestNdjson(const auth::Principal& who, std::string_view body) {
  std::vector<CheckinInput> rows;
  IngestReport bad;
  std::size_t line = 0;
  std::size_t at = 0;
  while (at < body.size()) {
    std::size_t end = body.find('\n', at);
    if (end == std::string_view::npos) {
      end = body.size();
    }
    std::string_view text = body.substr(at, end - at);
    at = end + 1;
    ++line;
    if (!text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
    }
    if (text.find_first_not_of(" \t") == std::string_view::npos) {
      continue;
    }
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      bad.rejected.push_back({line, "不是 JSON 对象 (not a JSON object)"});
      continue;
    }
    CheckinInput in;
    in.line = line;
    auto text_of = [&](const char* field, std::string* out) {
      auto it = parsed.find(field);
      if (it == parsed.end() || it->is_null()) {
        return false;
      }
      if (it->is_string()) {
        *out = it->get<std::string>();
      } else if (it->is_number_integer()) {
        *out = std::to_string(it->get<std::int64_t>());
      } else {
        return false;
      }
      return true;
    };
    if (!text_of("id_number", &in.id_number)) {
      bad.rejected.push_back({line, "id_number: 缺少身份证号 (missing)"});
      continue;
    }
    if (!text_of("venue_code", &in.venue_code)) {
      bad.rejected.push_back({line, "venue_code: 缺少场所码 (missing)"});
      continue;
    }
    if (!text_of("time", &in.time)) {
      bad.rejected.push_back({line, "time: 缺少时间 (missing, Unix seconds or ISO 8601)"});
      continue;
    }
    rows.push_back(std::move(in));
  }
  CORDON_ASSIGN_OR_RETURN(IngestReport report, Ingest(who, std::move(rows)));
  report.rejected.insert(report.rejected.end(), bad.rejected.begin(), bad.rejected.end());
  std::ranges::sort(report.rejected, {}, &RowError::line);
  return report;
}

Result<IngestReport> TraceService::IngestCsv(const auth::Principal& who, std::string_view bytes) {
  // ParseCsv holds a million rows at a time: a day's file is read in pieces of whole lines,
  // each with the header in front.
  constexpr std::size_t kPieceRows = 500'000;
  std::size_t header_end = bytes.find('\n');
  if (header_end == std::string_view::npos) {
    header_end = bytes.size();
  }
  const std::string_view header = bytes.substr(0, header_end);
  IngestReport total;
  std::size_t at = std::min(bytes.size(), header_end + 1);
  std::size_t first_line = 2;
  do {
    std::size_t end = at;
    std::size_t lines = 0;
    while (end < bytes.size() && lines < kPieceRows) {
      std::size_t nl = bytes.find('\n', end);
      end = nl == std::string_view::npos ? bytes.size() : nl + 1;
      ++lines;
    }
    std::string piece(header);
    piece += '\n';
    piece.append(bytes.substr(at, end - at));
    auto doc = base::ParseCsv(piece, kPieceRows + 1);
    if (!doc.has_value()) {
      return doc.error();
    }
    auto column = [&](std::initializer_list<std::string_view> names) -> int {
      for (std::size_t i = 0; i < doc->header.size(); ++i) {
        if (std::ranges::find(names, doc->header[i]) != names.end()) {
          return static_cast<int>(i);
        }
      }
      return -1;
    };
    const int id_col = column({"person_id_number", "id_number", "身份证号"});
    const int venue_col = column({"venue_code", "场所码"});
    const int time_col = column({"time", "时间"});
    if (id_col < 0 || venue_col < 0 || time_col < 0) {
      return InvalidArgument(
          "表头应为 person_id_number,venue_code,time (the header must name "
          "person_id_number, venue_code and time)",
          {{"line 1", "columns: " + std::string(header)}});
    }
    std::vector<CheckinInput> rows;
    rows.reserve(doc->rows.size());
    for (const auto& r : doc->rows) {
      const std::size_t line = first_line - 2 + r.line;
      const auto need = static_cast<std::size_t>(std::max({id_col, venue_col, time_col}));
      if (r.fields.size() <= need) {
        total.rejected.push_back({line, "列数不足 (too few columns)"});
        continue;
      }
      rows.push_back({line, r.fields[id_col], r.fields[venue_col], r.fields[time_col]});
    }
    CORDON_ASSIGN_OR_RETURN(IngestReport part, Ingest(who, std::move(rows)));
    total.accepted += part.accepted;
    total.duplicates += part.duplicates;
    total.new_venues += part.new_venues;
    total.new_people += part.new_people;
    total.rejected.insert(total.rejected.end(), part.rejected.begin(), part.rejected.end());
    first_line += lines;
    at = end;
  } while (at < bytes.size());
  std::ranges::sort(total.rejected, {}, &RowError::line);
  return total;
}

Result<IngestReport> TraceService::Ingest(const auth::Principal& who,
                                          std::vector<CheckinInput> rows) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kCheckinsWrite));
  IngestReport report;
  const auto now = clock_.Now();
  const std::int64_t now_s = UnixSeconds(now);
  const auto today = base::LocalDate(now, offset_);
  const std::int64_t earliest = engine_->calendar().DayStart(engine_->FirstRetainedDay());
  struct Valid {
    std::size_t line;
    std::string id_number;
    std::string venue_code;
    std::uint32_t time;
    base::ResidentId id;
  };
  std::vector<Valid> valid;
  valid.reserve(rows.size());
  for (CheckinInput& in : rows) {
    auto id = base::ParseResidentId(in.id_number, today);
    if (!id.has_value()) {
      report.rejected.push_back({in.line, "id_number: " + id.error().message()});
      continue;
    }
    if (!IsVenueCode(in.venue_code)) {
      report.rejected.push_back(
          {in.line, "venue_code: 场所码应为 1-64 位字母、数字、- 或 _ (letters, digits, - or _)"});
      continue;
    }
    auto t = base::ParseTime(in.time, offset_);
    if (!t.has_value()) {
      report.rejected.push_back({in.line, "time: " + t.error().message()});
      continue;
    }
    const std::int64_t seconds = UnixSeconds(*t);
    if (seconds > now_s + 300) {
      report.rejected.push_back({in.line, "time: 时间晚于当前 (in the future)"});
      continue;
    }
    if (seconds < earliest) {
      report.rejected.push_back(
          {in.line, "time: 早于保存期限（" +
                        std::to_string(engine_->Today() - engine_->FirstRetainedDay() + 1) +
                        " 天）(older than the retention period)"});
      continue;
    }
    std::string number = id->number;
    valid.push_back({in.line, std::move(number), std::move(in.venue_code),
                     static_cast<std::uint32_t>(seconds), std::move(*id)});
  }

  // Numbers for people and venues; new ones registered in one transaction.
  std::unique_lock ingest(ingest_mu_);
  if (!people_loaded_) {
    std::map<std::string, std::uint32_t> numbers;
    CORDON_RETURN_IF_ERROR(
        db_.Read([&](store::Session& s) { return LoadPersonNumbers(s, &numbers); }));
    std::unique_lock lock(names_mu_);
    for (auto& [k, v] : numbers) {
      person_numbers_.emplace(k, v);
    }
    people_loaded_ = true;
  }
  // A new ID number -> (a row that has it, its person number once registered).
  std::map<std::string, std::pair<std::size_t, std::uint32_t>> new_people;
  std::set<std::string> new_venues;
  {
    std::shared_lock lock(names_mu_);
    for (std::size_t i = 0; i < valid.size(); ++i) {
      const Valid& v = valid[i];
      if (!person_numbers_.contains(v.id_number)) {
        new_people.try_emplace(v.id_number, i, 0);
      }
      if (!venue_numbers_.contains(v.venue_code)) {
        new_venues.insert(v.venue_code);
      }
    }
  }
  std::vector<VenueInfo> registered;
  if (!new_people.empty() || !new_venues.empty()) {
    CORDON_RETURN_IF_ERROR(db_.Write([&](store::Session& s) -> Status {
      registered.clear();
      report.new_venues = 0;
      report.new_people = 0;
      for (auto& [number, entry] : new_people) {
        auto& [example, person] = entry;
        CORDON_ASSIGN_OR_RETURN(auto found, FindPersonNumber(s, number));
        if (found) {
          person = *found;
          continue;
        }
        CORDON_ASSIGN_OR_RETURN(person, CreateUnverifiedPerson(s, valid[example].id, now_s));
        ++report.new_people;
        CORDON_RETURN_IF_ERROR(audit_.Append(
            s, who, {"people.create_unverified", "person", std::to_string(person), "ok", "", ""}));
      }
      for (const std::string& code : new_venues) {
        CORDON_ASSIGN_OR_RETURN(auto known, FindVenue(s, code));
        if (known) {
          registered.push_back(std::move(*known));
          continue;
        }
        CORDON_ASSIGN_OR_RETURN(VenueInfo v, RegisterVenue(s, code));
        registered.push_back(std::move(v));
        ++report.new_venues;
        CORDON_RETURN_IF_ERROR(
            audit_.Append(s, who, {"venues.register", "venue", code, "ok", "", ""}));
      }
      return Status::Ok();
    }));
    std::unique_lock lock(names_mu_);
    for (auto& [number, entry] : new_people) {
      person_numbers_[number] = entry.second;
    }
    for (VenueInfo& v : registered) {
      if (v.id >= venues_.size()) {
        venues_.resize(v.id + 1);
      }
      venue_numbers_[v.code] = v.id;
      rules_.Set(v.id, RuleOfType(v.type));
      venues_[v.id] = std::move(v);
    }
  }

  // Registration done: appends from several requests may now share one fdatasync.
  ingest.unlock();
  std::vector<Checkin> batch;
  batch.reserve(valid.size());
  {
    std::shared_lock lock(names_mu_);
    for (const Valid& v : valid) {
      batch.push_back({venue_numbers_.find(v.venue_code)->second, v.time,
                       person_numbers_.find(v.id_number)->second});
    }
  }
  // Idempotent: rows already held (an import run twice, a retried request) are not stored again.
  auto held = engine_->snapshot();
  std::set<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> seen;
  std::erase_if(batch, [&](const Checkin& c) {
    bool duplicate = !seen.insert({c.venue, c.time, c.person}).second;
    held->AtVenue(c.venue, c.time, c.time,
                  [&](const Checkin& h) { duplicate = duplicate || h.person == c.person; });
    report.duplicates += duplicate ? 1 : 0;
    return duplicate;
  });
  CORDON_RETURN_IF_ERROR(shared_log_ ? AppendShared(batch) : engine_->Append(batch));
  report.accepted = static_cast<std::int64_t>(batch.size());
  CORDON_RETURN_IF_ERROR(audit_.Record(
      who, {"checkins.ingest", "checkin", std::to_string(report.accepted), "ok", "", ""}));
  return report;
}

Status TraceService::AppendRows(std::span<const Checkin> rows) {
  return shared_log_ ? AppendShared(rows) : engine_->Append(rows);
}

Status TraceService::Visible(const auth::Principal& who, const PersonBrief& person) {
  if (person.region_path.empty() || !auth::InSubtree(person.region_path, who.region_path)) {
    CORDON_RETURN_IF_ERROR(audit_.Record(
        who, {"authz_denied", "person", std::to_string(person.id), "denied", "", ""}));
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  return Status::Ok();
}

Result<TraceAnswer> TraceService::Contacts(const auth::Principal& who, std::string_view id_number,
                                           std::int64_t from, std::int64_t to, int depth,
                                           const SecondaryPage& page) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTrace));
  auto id = base::ParseResidentId(id_number, base::LocalDate(clock_.Now(), offset_));
  const std::string number = id.has_value() ? id->number : std::string(id_number);
  std::optional<PersonBrief> person;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(person, PersonByIdNumber(s, number));
    return Status::Ok();
  }));
  if (!person) {
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  return Trace(who, *person, from, to, depth, {}, page);
}

Result<TraceAnswer> TraceService::ContactsOf(const auth::Principal& who, std::int64_t person_id,
                                             std::int64_t from, std::int64_t to, int depth,
                                             const std::vector<NamedContact>& named,
                                             const SecondaryPage& page) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTrace));
  std::optional<PersonBrief> person;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(person, PersonById(s, person_id));
    return Status::Ok();
  }));
  if (!person) {
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  return Trace(who, *person, from, to, depth, named, page);
}

Result<TraceAnswer> TraceService::Trace(const auth::Principal& who, const PersonBrief& index,
                                        std::int64_t from, std::int64_t to, int depth,
                                        const std::vector<NamedContact>& named,
                                        const SecondaryPage& page) {
  if (depth != 1 && depth != 2) {
    return FieldInvalid("depth", "应为 1（密接）或 2（含次密接）(1 or 2)");
  }
  if (from > to) {
    return FieldInvalid("from", "开始时间晚于结束时间 (from is after to)");
  }
  CORDON_RETURN_IF_ERROR(Visible(who, index));
  ContactQuery q;
  q.person = static_cast<std::uint32_t>(index.id);
  q.from = static_cast<std::uint32_t>(std::clamp<std::int64_t>(from, 0, UINT32_MAX));
  q.to = static_cast<std::uint32_t>(std::clamp<std::int64_t>(to, 0, UINT32_MAX));
  q.depth = depth;
  q.named = named;
  if (index.household_id != 0) {
    std::vector<std::uint32_t> members;
    CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
      CORDON_ASSIGN_OR_RETURN(members, HouseholdMembers(s, index.household_id));
      return Status::Ok();
    }));
    for (std::uint32_t m : members) {
      q.named.push_back({m, ContactKind::kHousehold, q.from});
    }
  }
  std::vector<std::pair<std::uint32_t, Evidence>> meetings;
  const MeetingSink collect = [&](std::uint32_t person, const Evidence& e) {
    if (person > page.after) {
      meetings.emplace_back(person, e);
    }
  };
  q.secondary_after =
      static_cast<std::uint32_t>(std::clamp<std::int64_t>(page.after, 0, UINT32_MAX));
  q.secondary_described = page.limit;
  if (page.every_meeting) {
    q.secondary_meetings = &collect;
  }
  ContactResult found;
  {
    std::shared_lock lock(names_mu_);
    found = FindContacts(*engine_->snapshot(), rules_, q);
  }
  // The page named: the first `limit` secondary contacts above `after`.
  const std::span<const SecondaryContact> listed(found.secondary);
  const auto available =
      static_cast<std::size_t>(found.secondary_people.end() -
                               std::ranges::upper_bound(found.secondary_people, q.secondary_after));

  std::vector<std::uint32_t> ids;
  for (const auto* list : {&found.close, &found.companions}) {
    for (const Contact& c : *list) {
      ids.push_back(c.person);
    }
  }
  for (const SecondaryContact& c : listed) {
    ids.push_back(c.person);
  }
  std::vector<PersonBrief> people;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(people, PeopleByIds(s, ids));
    return Status::Ok();
  }));
  std::unordered_map<std::int64_t, const PersonBrief*> by_id;
  by_id.reserve(people.size());
  for (const auto& p : people) {
    by_id[p.id] = &p;
  }
  TraceAnswer answer;
  answer.index = index;
  answer.from = q.from;
  answer.to = q.to;
  answer.secondary_total = found.secondary_people.size();
  if (listed.size() < available) {
    answer.secondary_next = listed.empty() ? page.after : listed.back().person;
  }
  std::shared_lock lock(names_mu_);
  auto evidence_row = [&](const Evidence& e) {
    EvidenceRow row;
    if (e.venue != 0 && e.venue < venues_.size()) {
      row.venue_code = venues_[e.venue].code;
      row.venue_name = venues_[e.venue].name;
    }
    row.index_time = e.index_time;
    row.contact_time = e.contact_time;
    row.via_person_id = e.via;
    return row;
  };
  auto traced = [&](std::uint32_t person, int degree, ContactKind kind, std::uint32_t case_id) {
    TracedContact t;
    if (auto it = by_id.find(person); it != by_id.end()) {
      t.person = *it->second;
    } else {
      t.person.id = person;
    }
    t.degree = degree;
    t.kind = kind;
    t.index_person_id = case_id;
    return t;
  };
  auto convert = [&](const std::vector<Contact>& in, std::vector<TracedContact>* out) {
    out->reserve(in.size());
    for (const Contact& c : in) {
      TracedContact t = traced(c.person, c.degree, c.kind, c.index_person);
      for (const Evidence& e : c.evidence) {
        t.evidence.push_back(evidence_row(e));
      }
      t.evidence_total = t.evidence.size();
      out->push_back(std::move(t));
    }
  };
  convert(found.close, &answer.close);
  convert(found.companions, &answer.companions);
  std::ranges::sort(meetings, [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.contact_time, a.second.venue, a.second.index_time,
                    a.second.via) < std::tie(b.first, b.second.contact_time, b.second.venue,
                                             b.second.index_time, b.second.via);
  });
  auto meeting = meetings.begin();
  answer.secondary.reserve(listed.size());
  for (const SecondaryContact& c : listed) {
    TracedContact t = traced(c.person, 2, ContactKind::kCoPresence, c.index_person);
    if (page.every_meeting) {
      for (; meeting != meetings.end() && meeting->first <= c.person; ++meeting) {
        if (meeting->first == c.person) {
          t.evidence.push_back(evidence_row(meeting->second));
        }
      }
    } else {
      t.evidence.push_back(evidence_row(c.first));
    }
    t.evidence_total = c.meetings;
    answer.secondary.push_back(std::move(t));
  }
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"trace.contacts", "person", std::to_string(index.id), "ok", "",
                          "close=" + std::to_string(answer.close.size()) +
                              ",secondary=" + std::to_string(answer.secondary_total) +
                              ",companions=" + std::to_string(answer.companions.size())}));
  return answer;
}

Result<std::vector<Visit>> TraceService::Trajectory(const auth::Principal& who,
                                                    std::int64_t person_id, std::int64_t from,
                                                    std::int64_t to) {
  CORDON_RETURN_IF_ERROR(Require(who, auth::Permission::kTrace));
  std::optional<PersonBrief> person;
  CORDON_RETURN_IF_ERROR(db_.Read([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(person, PersonById(s, person_id));
    return Status::Ok();
  }));
  if (!person) {
    return NotFound("人员不存在或不在管辖范围内 (no such person in your jurisdiction)");
  }
  CORDON_RETURN_IF_ERROR(Visible(who, *person));
  auto rows = engine_->snapshot()->Trajectory(
      static_cast<std::uint32_t>(person_id),
      static_cast<std::uint32_t>(std::clamp<std::int64_t>(from, 0, UINT32_MAX)),
      static_cast<std::uint32_t>(std::clamp<std::int64_t>(to, 0, UINT32_MAX)));
  std::vector<Visit> out;
  {
    std::shared_lock lock(names_mu_);
    for (const Checkin& c : rows) {
      const VenueInfo& v = c.venue < venues_.size() ? venues_[c.venue] : venues_[0];
      out.push_back({v.code, v.name, v.type, c.time});
    }
  }
  CORDON_RETURN_IF_ERROR(
      audit_.Record(who, {"trace.trajectory", "person", std::to_string(person_id), "ok", "", ""}));
  return out;
}

}  // namespace cordon::trace
