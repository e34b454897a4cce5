#include "demo/checkins.h"

#include <algorithm>
#include <map>
#include <random>

#include "trace/store.h"

namespace cordon::demo {
namespace {

using checkins::Checkin;

constexpr std::int64_t kHour = 3600;
// Morning, midday and evening: when people scan venue codes.
constexpr std::int64_t kSlots[3][2] = {{7 * kHour, 9 * kHour + 1800},
                                       {11 * kHour + 1800, 13 * kHour + 1800},
                                       {17 * kHour + 1800, 21 * kHour}};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t Below(std::uint64_t n) { return n == 0 ? 0 : engine_() % n; }
  double Unit() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace

CheckinPlan PlanCheckins(const std::vector<DemoPerson>& people,
                         const std::vector<DemoVenue>& venues, const std::vector<DemoCase>& cases,
                         const CheckinPlanOptions& options) {
  CheckinPlan plan;
  if (people.empty() || venues.empty()) {
    return plan;
  }
  Rng rng(options.seed * 0x9E3779B97F4A7C15ULL + 5);
  const checkins::DayCalendar calendar(options.utc_offset_seconds);
  const checkins::Day today = calendar.DayOf(options.now);
  const checkins::Day first_day = today - options.days + 1;
  const std::int64_t earliest = calendar.DayStart(first_day);
  std::map<std::uint32_t, std::vector<std::uint32_t>> by_grid;
  std::vector<std::uint32_t> meeting_places;  // where co-presence makes close contacts
  for (std::uint32_t i = 0; i < venues.size(); ++i) {
    by_grid[venues[i].grid].push_back(i);
    if (!venues[i].companion_only) {
      meeting_places.push_back(i);
    }
  }
  plan.rows.reserve(people.size() * static_cast<std::size_t>(options.days) *
                    static_cast<std::size_t>(options.per_person_per_day));
  for (checkins::Day day = first_day; day <= today; ++day) {
    const std::int64_t start = calendar.DayStart(day);
    for (const DemoPerson& p : people) {
      auto local = by_grid.find(p.grid);
      for (int k = 0; k < options.per_person_per_day; ++k) {
        const auto* slot = kSlots[k % 3];
        const std::int64_t t =
            start + slot[0] + static_cast<std::int64_t>(rng.Below(slot[1] - slot[0]));
        if (t > options.now) {
          continue;
        }
        std::uint32_t venue = 0;
        if (local != by_grid.end() && rng.Below(4) != 0) {
          venue = local->second[rng.Below(local->second.size())];
        } else {
          // Across the city, popular places first: the square of a uniform number skews low.
          const double u = rng.Unit();
          venue = static_cast<std::uint32_t>(static_cast<double>(venues.size()) * u * u);
        }
        plan.rows.push_back({venues[venue].id, static_cast<std::uint32_t>(t), p.id});
      }
    }
  }
  if (meeting_places.empty()) {
    return plan;
  }
  for (const DemoCase& c : cases) {
    const std::int64_t lookback = std::max(c.positive_at - std::int64_t{4} * 86'400, earliest);
    const std::int64_t last = std::min(c.positive_at, options.now);
    if (last <= lookback) {
      continue;
    }
    for (int meeting = 0; meeting < 2; ++meeting) {
      const DemoVenue& v = venues[meeting_places[rng.Below(meeting_places.size())]];
      // A daytime visit in the look-back period.
      const std::int64_t day_start = calendar.DayStart(
          calendar.DayOf(lookback + static_cast<std::int64_t>(rng.Below(last - lookback))));
      std::int64_t t = day_start + 9 * kHour + static_cast<std::int64_t>(rng.Below(11 * kHour));
      t = std::clamp(t, lookback, last);
      plan.rows.push_back({v.id, static_cast<std::uint32_t>(t), c.person});
      const std::int64_t w = v.window_seconds;
      const std::int64_t offsets[5] = {w, -w, static_cast<std::int64_t>(rng.Below(2 * w + 1)) - w,
                                       w + 1 + static_cast<std::int64_t>(rng.Below(300)),
                                       -(w + 1 + static_cast<std::int64_t>(rng.Below(300)))};
      for (int i = 0; i < 5; ++i) {
        const std::int64_t when = t + offsets[i];
        if (when < earliest || when > options.now) {
          continue;
        }
        std::uint32_t contact = people[rng.Below(people.size())].id;
        if (contact == c.person) {
          continue;
        }
        plan.rows.push_back({v.id, static_cast<std::uint32_t>(when), contact});
        plan.planted.push_back({c.person, contact, v.id, static_cast<std::uint32_t>(t),
                                static_cast<std::uint32_t>(when), i < 3});
      }
    }
  }
  return plan;
}

Status LoadCheckins(store::Database& db, trace::TraceService& trace,
                    const CheckinPlanOptions& options,
                    const std::function<void(const std::string&)>& progress) {
  std::vector<DemoPerson> people;
  std::vector<DemoVenue> venues;
  std::vector<DemoCase> cases;
  CORDON_RETURN_IF_ERROR(db.Read([&](store::Session& s) -> Status {
    std::map<std::string, std::uint32_t> grids;
    auto grid_of = [&](const std::string& code) {
      return grids.try_emplace(code, static_cast<std::uint32_t>(grids.size())).first->second;
    };
    CORDON_RETURN_IF_ERROR(
        s.Query("SELECT id, region_code FROM people WHERE region_code IS NOT NULL ORDER BY id", {},
                [&](const store::Row& row) {
                  people.push_back({static_cast<std::uint32_t>(row.Int(0)), grid_of(row.Text(1))});
                  return Status::Ok();
                }));
    CORDON_ASSIGN_OR_RETURN(auto rules, trace::LoadVenueRules(s));
    CORDON_RETURN_IF_ERROR(s.Query(
        "SELECT id, COALESCE(region_code, ''), type FROM venues WHERE id IS NOT NULL ORDER BY id",
        {}, [&](const store::Row& row) {
          DemoVenue v{static_cast<std::uint32_t>(row.Int(0)), grid_of(row.Text(1)), 1800, false};
          if (auto it = rules.find(row.Text(2)); it != rules.end()) {
            v.window_seconds = it->second.window_seconds;
            v.companion_only = it->second.companion_only;
          }
          venues.push_back(v);
          return Status::Ok();
        }));
    return s.Query("SELECT person_id, positive_at FROM cases ORDER BY id", {},
                   [&](const store::Row& row) {
                     cases.push_back({static_cast<std::uint32_t>(row.Int(0)), row.Int(1)});
                     return Status::Ok();
                   });
  }));
  CheckinPlan plan = PlanCheckins(people, venues, cases, options);
  constexpr std::size_t kBatch = 1'000'000;
  for (std::size_t at = 0; at < plan.rows.size(); at += kBatch) {
    const std::size_t n = std::min(kBatch, plan.rows.size() - at);
    CORDON_RETURN_IF_ERROR(
        trace.AppendRows(std::span<const checkins::Checkin>(plan.rows.data() + at, n)));
  }
  CORDON_RETURN_IF_ERROR(trace.engine().CloseDays());
  progress("check-ins (扫码记录): " + std::to_string(plan.rows.size()) + " over " +
           std::to_string(options.days) + " days; " + std::to_string(plan.planted.size()) +
           " planted meetings around " + std::to_string(cases.size()) + " cases");
  return Status::Ok();
}

}  // namespace cordon::demo
