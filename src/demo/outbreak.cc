#include "demo/outbreak.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "base/local_time.h"
#include "cases/rules.h"
#include "cases/store.h"
#include "leads/service.h"
#include "leads/store.h"
#include "measures/rules.h"
#include "measures/store.h"

namespace cordon::demo {
namespace {

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 86400;
constexpr const char* kBy = "demo";
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

// splitmix64: the outbreak needs a few dozen draws, the same on every machine.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform enough in [lo, hi] for a demo.
  std::int64_t Between(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(Next() % static_cast<std::uint64_t>(hi - lo + 1));
  }

 private:
  std::uint64_t state_;
};

// The city is a function of the demo's seed, so a hash of it seeds the outbreak.
std::uint64_t SeedOf(const sim::City& city) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const std::string* text : {&city.people.front().id_number, &city.people.back().id_number}) {
    for (unsigned char c : *text) {
      h = (h ^ c) * 0x100000001b3ULL;
    }
  }
  return h ^ city.people.size();
}

struct Pick {
  std::size_t person = 0;  // index in city.people
  int generation = 0;
  std::size_t source = kNone;  // index in the picks
  bool household = false;
};

// Chooses the cases: an adult index case in a community of enough households, up to two of
// their household, a few people of other households met at a venue, and the next generation
// the same way, `target` cases in all.
std::vector<Pick> Choose(const sim::City& city, Random& rng, std::size_t target) {
  const std::size_t n = city.people.size();
  std::map<std::string, std::size_t> households_in;
  for (const auto& h : city.households) {
    ++households_in[h.grid_code.substr(0, 12)];
  }
  std::size_t index = kNone;
  for (std::size_t k = 0, start = rng.Next() % n; k < n && index == kNone; ++k) {
    const sim::Person& p = city.people[(start + k) % n];
    if (!p.phone.empty() && p.grid_code.size() >= 12 &&
        households_in[p.grid_code.substr(0, 12)] >= 20) {
      index = (start + k) % n;
    }
  }
  if (index == kNone) {
    return {};
  }
  const std::string community = city.people[index].grid_code.substr(0, 12);
  std::map<std::int64_t, std::vector<std::size_t>> household;
  std::vector<std::size_t> others;  // adults of the community, in city order
  for (std::size_t i = 0; i < n; ++i) {
    const sim::Person& p = city.people[i];
    if (p.grid_code.compare(0, 12, community) == 0) {
      household[p.household].push_back(i);
      if (!p.phone.empty()) {
        others.push_back(i);
      }
    }
  }
  std::vector<Pick> picks{{index, 0, kNone, false}};
  std::set<std::size_t> taken{index};
  const auto add = [&](std::size_t person, std::size_t source, bool at_home) {
    if (picks.size() < target && taken.insert(person).second) {
      picks.push_back({person, picks[source].generation + 1, source, at_home});
    }
  };
  const auto stranger = [&](std::size_t source) {
    for (int tries = 0; tries < 50; ++tries) {
      const std::size_t p = others[rng.Next() % others.size()];
      if (city.people[p].household != city.people[picks[source].person].household &&
          !taken.contains(p)) {
        add(p, source, false);
        return;
      }
    }
  };
  for (std::size_t i : household[city.people[index].household]) {
    if (picks.size() < 3) {
      add(i, 0, true);
    }
  }
  while (picks.size() < 5) {
    stranger(0);
  }
  const std::size_t first_generation = picks.size();
  for (std::size_t round = 0; picks.size() < target && round < 4; ++round) {
    for (std::size_t source = 1; source < first_generation && picks.size() < target; ++source) {
      if (round == 0) {
        for (std::size_t i : household[city.people[picks[source].person].household]) {
          add(i, source, true);
          break;
        }
      } else {
        stranger(source);
      }
    }
  }
  return picks;
}

std::string LocalDate(std::int64_t t) {
  return base::FormatDate(base::LocalDate(
      std::chrono::system_clock::time_point(std::chrono::seconds(t)), base::UtcOffset{}));
}

struct Placed {
  std::int64_t id = 0;
  std::string region_code, region_path;
};

Result<Placed> PersonOf(store::Session& s, const std::string& id_number) {
  Placed out;
  CORDON_RETURN_IF_ERROR(s.Query(
      "SELECT id, region_code, region_path FROM people WHERE id_type = 'resident_id' "
      "AND id_number_index = ?",
      {s.Fields().Index(store::SealedField::kIdNumber, id_number)}, [&](const store::Row& row) {
        out = {row.Int(0), row.Text(1), row.Text(2)};
        return Status::Ok();
      }));
  if (out.id == 0) {
    return Internal("demo person " + id_number + " is not on file");
  }
  return out;
}

// A measure of the category's first plan step, running since `at`.
Status StartMeasure(store::Session& s, const Placed& person, const std::string& category,
                    std::int64_t at, const std::string& reason) {
  CORDON_ASSIGN_OR_RETURN(auto step, measures::Step(s, 1, category, 1));
  if (!step) {
    return Internal("no plan for " + category);
  }
  measures::Measure m;
  m.person_id = person.id;
  m.category = category;
  m.profile_version = 1;
  m.step = 1;
  m.measure = step->measure;
  m.state = "active";
  m.start_date = LocalDate(at);
  const auto start = base::ParseDate(m.start_date);
  if (step->days > 0) {
    m.end_date = base::FormatDate(measures::DateOfDay(*start, step->days));
  }
  m.days = step->days;
  m.test_days_spec = step->test_days;
  m.followups_per_day = step->followups_per_day;
  m.region_code = person.region_code;
  m.region_path = person.region_path;
  CORDON_ASSIGN_OR_RETURN(m.id, measures::InsertMeasure(s, m, at));
  CORDON_ASSIGN_OR_RETURN(auto days, measures::RequiredTestDays(m));
  std::vector<std::pair<int, std::string>> dated;
  dated.reserve(days.size());
  for (int d : days) {
    dated.emplace_back(d, base::FormatDate(measures::DateOfDay(*start, d)));
  }
  CORDON_RETURN_IF_ERROR(measures::AddTestDays(s, m, dated));
  return measures::AddEvent(s, m.id, {at, kBy, "create", "", "active", reason});
}

constexpr std::array<const char*, 4> kPlaceTexts = {
    "就餐约 1 小时，未全程佩戴口罩", "购物，扫场所码进入", "与同事会面", "停留期间人员较密集"};
constexpr std::array<const char*, 3> kActivityTexts = {"居家，未外出", "在单位正常上班",
                                                       "出现咽痛、乏力，自行服药"};

}  // namespace

Status LoadOutbreak(store::Database& db, const sim::City& city, std::int64_t now,
                    const std::function<void(const std::string&)>& progress) {
  if (city.people.empty()) {
    return FailedPrecondition("the city has no people");
  }
  Random rng(SeedOf(city));
  const std::size_t target = static_cast<std::size_t>(rng.Between(10, 14));
  const std::vector<Pick> picks = Choose(city, rng, target);
  if (picks.size() < 5) {
    return FailedPrecondition("no community of the city has enough households for an outbreak");
  }
  const sim::Person& index = city.people[picks[0].person];
  std::vector<const sim::Venue*> venues;
  for (const auto& v : city.venues) {
    if (v.grid_code.compare(0, 9, index.grid_code, 0, 9) == 0 && v.type != "transit") {
      venues.push_back(&v);
    }
  }
  for (std::size_t i = 0; venues.size() < 3 && i < city.venues.size(); ++i) {
    venues.push_back(&city.venues[i]);
  }
  std::string community_name = "某社区";
  for (const auto& r : city.regions) {
    if (r.code == index.grid_code.substr(0, 12)) {
      community_name = r.name;
    }
  }

  std::size_t contacts = 0;
  Status written = db.Write([&](store::Session& s) -> Status {
    CORDON_ASSIGN_OR_RETURN(std::int64_t cases_on_file,
                            s.QueryInt("SELECT COUNT(*) FROM cases", {}));
    if (cases_on_file > 0) {
      return AlreadyExists("the database holds cases already");
    }
    const std::string district = index.grid_code.substr(0, 6);
    CORDON_ASSIGN_OR_RETURN(std::string district_path, cases::RegionPath(s, district));
    CORDON_ASSIGN_OR_RETURN(std::int64_t cluster,
                            cases::InsertCluster(s, community_name + "聚集性疫情", district,
                                                 district_path, kBy, now - 8 * kDay));
    std::vector<Placed> placed;
    std::vector<cases::Case> made;
    std::vector<std::vector<std::pair<const sim::Venue*, std::int64_t>>> visits(picks.size());
    std::set<std::int64_t> under_measure;
    for (std::size_t i = 0; i < picks.size(); ++i) {
      const Pick& pick = picks[i];
      const sim::Person& person = city.people[pick.person];
      CORDON_ASSIGN_OR_RETURN(Placed who, PersonOf(s, person.id_number));
      placed.push_back(who);
      // The index case nine days ago, each generation three to five days later; the last two
      // cases came in today, so their legs are still running or just late.
      std::int64_t ago = pick.generation == 0   ? 9 * kDay + 5 * kHour
                         : pick.generation == 1 ? rng.Between(6 * kDay, 7 * kDay)
                                                : rng.Between(1 * kDay, 4 * kDay);
      if (i + 2 >= picks.size()) {
        ago = i + 1 == picks.size() ? 3 * kHour : 10 * kHour;
      }
      cases::Case c;
      c.person_id = who.id;
      c.region_code = who.region_code;
      c.region_path = who.region_path;
      c.positive_at = now - ago;
      c.sampling_at = c.positive_at - rng.Between(8, 16) * kHour;
      c.classification = i + 1 == picks.size() ? "suspected"
                         : i % 4 == 3          ? "asymptomatic"
                                               : "confirmed";
      if (c.classification != "asymptomatic") {
        c.onset_date = LocalDate(c.sampling_at - rng.Between(0, 1) * kDay);
      }
      // Reports within 2 h are on time: about one in three is late.
      constexpr std::array<std::int64_t, 6> kReportMinutes = {30, 50, 80, 100, 150, 260};
      c.reported_at =
          i + 1 == picks.size() ? 0 : c.positive_at + kReportMinutes[rng.Next() % 6] * kMinute;
      c.hospital = "市第一人民医院";
      c.outcome = "under_treatment";
      c.cluster_id = cluster;
      c.created_by = kBy;
      c.created_at = c.reported_at != 0 ? c.reported_at : c.positive_at;
      std::optional<std::chrono::year_month_day> onset;
      if (!c.onset_date.empty()) {
        onset = *base::ParseDate(c.onset_date);
      }
      c.lookback_from = cases::LookbackFrom(onset, c.sampling_at, c.positive_at, {});
      CORDON_ASSIGN_OR_RETURN(c.id, cases::InsertCase(s, c, c.created_at));
      CORDON_RETURN_IF_ERROR(StartMeasure(s, who, c.classification,
                                          std::min(now, c.positive_at + 3 * kHour),
                                          "病例 #" + std::to_string(c.id)));
      under_measure.insert(who.id);

      // Where they were: two venues in the days before the result.
      for (int k = 0; k < 2; ++k) {
        const sim::Venue* v = venues[rng.Next() % venues.size()];
        const std::int64_t at =
            c.positive_at - rng.Between(1, 3) * kDay - rng.Between(0, 10) * kHour;
        visits[i].emplace_back(v, at);
      }
      if (pick.source != kNone) {
        const cases::Case& src = made[pick.source];
        cases::ExposureInput e;
        e.source_person_id = src.person_id;
        e.target_person_id = c.person_id;
        e.kind = pick.household ? "household" : "co_presence";
        if (pick.household) {
          e.at = src.positive_at - kDay;
          e.note = "同住家庭成员";
        } else {
          const auto& [venue, at] = visits[pick.source].front();
          e.at = at;
          e.venue_code = venue->code;
          e.note = "同一时段在同一场所";
          visits[i].emplace_back(venue, at + 5 * kMinute);
        }
        CORDON_RETURN_IF_ERROR(cases::InsertExposure(s, e, kBy, c.created_at).status());
      }
      std::sort(visits[i].begin(), visits[i].end(),
                [](const auto& a, const auto& b) { return a.second < b.second; });
      for (const auto& [venue, at] : visits[i]) {
        cases::EntryInput entry;
        entry.at = at;
        entry.until = at + rng.Between(30, 120) * kMinute;
        entry.kind = "place";
        entry.venue_code = venue->code;
        entry.text = kPlaceTexts[rng.Next() % kPlaceTexts.size()];
        CORDON_RETURN_IF_ERROR(
            cases::InsertEntry(s, c.id, entry, "流调员（演示）", c.created_at).status());
      }
      cases::EntryInput activity;
      activity.at = c.positive_at - kDay - 5 * kHour;
      activity.kind = pick.household ? "person" : "activity";
      if (pick.household) {
        activity.person_id = made[pick.source].person_id;
        activity.text = "与病例同住，共同生活";
      } else {
        activity.text = kActivityTexts[rng.Next() % kActivityTexts.size()];
      }
      CORDON_RETURN_IF_ERROR(
          cases::InsertEntry(s, c.id, activity, "流调员（演示）", c.created_at).status());
      made.push_back(c);
    }

    // Household members who are not cases are listed as close contacts once the listing is
    // done: within 12 h for most, later for some; quarantine follows 2 to 26 h after.
    std::set<std::int64_t> case_people;
    for (const Placed& p : placed) {
      case_people.insert(p.id);
    }
    std::map<std::int64_t, std::vector<std::size_t>> members;
    for (const Pick& pick : picks) {
      members[city.people[pick.person].household];
    }
    for (std::size_t m = 0; m < city.people.size(); ++m) {
      if (auto it = members.find(city.people[m].household); it != members.end()) {
        it->second.push_back(m);
      }
    }
    for (std::size_t i = 0; i < made.size(); ++i) {
      const cases::Case& c = made[i];
      constexpr std::array<std::int64_t, 6> kListHours = {4, 6, 8, 10, 15, 20};
      const std::int64_t listed = c.positive_at + kListHours[rng.Next() % 6] * kHour;
      if (listed > now) {
        continue;
      }
      const sim::Person& person = city.people[picks[i].person];
      for (std::size_t m : members[person.household]) {
        const sim::Person& member = city.people[m];
        if (member.id_number == person.id_number) {
          continue;
        }
        CORDON_ASSIGN_OR_RETURN(Placed contact, PersonOf(s, member.id_number));
        if (case_people.contains(contact.id)) {
          continue;
        }
        CORDON_ASSIGN_OR_RETURN(
            auto lead, leads::AddPersonLead(s, "investigation",
                                            {contact.id, "close_contact",
                                             "病例 #" + std::to_string(c.id), c.positive_at},
                                            listed, listed + kDay));
        CORDON_RETURN_IF_ERROR(
            cases::SaveContact(s, c.id, {contact.id, 1, "household"}, lead.lead_id, listed));
        ++contacts;
        constexpr std::array<std::int64_t, 5> kControlHours = {2, 5, 9, 14, 26};
        const std::int64_t controlled = listed + kControlHours[rng.Next() % 5] * kHour;
        if (controlled > now) {
          continue;
        }
        CORDON_RETURN_IF_ERROR(leads::MarkChecked(s, lead.task_id, kBy, "visit",
                                                  "已上门核实 (demo)", controlled - kHour)
                                   .status());
        if (under_measure.insert(contact.id).second) {
          CORDON_RETURN_IF_ERROR(StartMeasure(s, contact, "close_contact", controlled,
                                              "病例 #" + std::to_string(c.id) + " 的密接"));
        }
      }
      CORDON_RETURN_IF_ERROR(cases::MarkListed(s, c.id, listed));
    }
    return Status::Ok();
  });
  CORDON_RETURN_IF_ERROR(written);
  progress("outbreak: " + std::to_string(picks.size()) + " cases, " + std::to_string(contacts) +
           " close contacts listed");
  return Status::Ok();
}

Result<std::vector<OutbreakCase>> OutbreakCases(store::Database& db) {
  std::vector<OutbreakCase> out;
  CORDON_RETURN_IF_ERROR(db.Read([&](store::Session& s) -> Status {
    std::map<std::int64_t, std::size_t> by_person;
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT c.id, c.person_id, p.id_number_sealed, c.region_code, c.positive_at, "
                "c.lookback_from "
                "FROM cases c JOIN people p ON p.id = c.person_id JOIN clusters cl ON "
                "cl.id = c.cluster_id WHERE cl.created_by = 'demo' ORDER BY c.positive_at, c.id",
                {}, [&](const store::Row& row) {
                  OutbreakCase c;
                  c.case_id = row.Int(0);
                  c.person_id = row.Int(1);
                  CORDON_ASSIGN_OR_RETURN(
                      c.id_number, s.Fields().Open(store::SealedField::kIdNumber, row.Text(2)));
                  c.region_code = row.Text(3);
                  c.positive_at = row.Int(4);
                  c.lookback_from = row.Int(5);
                  by_person[c.person_id] = out.size();
                  out.push_back(std::move(c));
                  return Status::Ok();
                }));
    std::vector<cases::Link> links;
    std::vector<std::int64_t> members;
    for (const OutbreakCase& c : out) {
      members.push_back(c.person_id);
      CORDON_ASSIGN_OR_RETURN(auto exposures, cases::ExposuresOf(s, c.person_id));
      for (const cases::Exposure& e : exposures) {
        if (e.target_person_id == c.person_id) {
          links.emplace_back(e.source_person_id, e.target_person_id);
          out[by_person[c.person_id]].source_person_id = e.source_person_id;
          out[by_person[c.person_id]].source_venue_code = e.venue_code;
          out[by_person[c.person_id]].exposed_at = e.at;
        }
      }
      CORDON_ASSIGN_OR_RETURN(auto entries, cases::ListEntries(s, c.case_id));
      for (const cases::Entry& e : entries) {
        if (!e.venue_code.empty()) {
          out[by_person[c.person_id]].visits.push_back({e.venue_code, e.at, e.until});
        }
      }
    }
    for (const auto& [person, generation] : cases::Generations(members, links)) {
      out[by_person[person]].generation = generation;
    }
    return Status::Ok();
  }));
  std::stable_sort(out.begin(), out.end(), [](const OutbreakCase& a, const OutbreakCase& b) {
    return a.generation < b.generation;
  });
  return out;
}

}  // namespace cordon::demo
