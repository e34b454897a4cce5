// Residents: ages from a China-like pyramid, names, resident ID numbers and phones, household
// by household.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/check.h"
#include "base/id_number.h"
#include "sim/internal/generator.h"

namespace cordon::sim::internal {
namespace {

// Share of residents per age band, per mille: 0–2, 3–11, 12–17, 18–59, 60+.
constexpr std::array<std::int64_t, kAgeBandCount> kBandShare = {30, 100, 70, 620, 180};
// The sequence code's first two digits (000–999 without the sex digit) give 499 usable values
// per district, birth date and sex; they are visited in a scrambled order.
constexpr std::uint64_t kSequenceValues = 499;
constexpr std::uint64_t kSequenceStride = 193;  // coprime to 499

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t DaysFromCivil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Appends "YYYYMMDD" for days since 1970-01-01 (civil_from_days), with separator between parts.
void AppendCivil(std::int64_t days, std::string_view separator, std::string* out) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  AppendDecimal(y, 4, out);
  out->append(separator);
  AppendDecimal(m, 2, out);
  out->append(separator);
  AppendDecimal(d, 2, out);
}

template <std::size_t N>
std::array<std::uint64_t, N> Cumulative(const std::array<std::int64_t, N>& weights) {
  std::array<std::uint64_t, N> cumulative{};
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < N; ++i) {
    sum += static_cast<std::uint64_t>(weights[i] > 0 ? weights[i] : 0);
    cumulative[i] = sum;
  }
  return cumulative;
}

class PeopleBuilder {
 public:
  PeopleBuilder(const CityOptions& options, const CityPlan& plan, std::int64_t household_count)
      : rng_(options.seed, Stream::kPeople),
        phones_(options.seed),
        plan_(plan),
        reference_year_(options.reference_year),
        first_day_(DaysFromCivil(reference_year_ - kMaxAge - 1, 7, 2)),
        day_count_(DaysFromCivil(reference_year_, 7, 1) - first_day_ + 1),
        sequence_used_(plan.districts.size() * static_cast<std::size_t>(day_count_) * 2, 0),
        sequence_salt_(Mix64(options.seed ^ 0x5eb1ULL)) {
    // Household heads are adults, split between 18–59 and 60+ like all adults; the other
    // members make up the rest of the pyramid.
    const std::int64_t population = options.population;
    const std::int64_t adult_share = kBandShare[3] + kBandShare[4];
    head_bands_ = Cumulative<kAgeBandCount>({0, 0, 0, kBandShare[3], kBandShare[4]});
    std::array<std::int64_t, kAgeBandCount> others{};
    for (int b = 0; b < kAgeBandCount; ++b) {
      others[b] = kBandShare[b] * population;
    }
    others[3] -= kBandShare[3] * household_count * 1000 / adult_share;
    others[4] -= kBandShare[4] * household_count * 1000 / adult_share;
    other_bands_ = Cumulative(others);
    if (other_bands_.back() == 0) {
      other_bands_ = head_bands_;
    }
    // Within 60+, fewer people at each older age: weight 100 at 60 down to 22 at 99.
    std::array<std::int64_t, kMaxAge - 60> old_weights{};
    for (int a = 60; a < kMaxAge; ++a) {
      old_weights[a - 60] = 100 - 2 * (a - 60);
    }
    old_ages_ = Cumulative(old_weights);
  }

  void AddHousehold(const Household& household, const GridPlan& grid, int size, City* city) {
    RegionNode& grid_node = city->regions[grid.region];
    std::string_view family_name;
    char head_sex = 'M';
    bool head_adult = true;
    for (int member = 0; member < size; ++member) {
      const bool head = member == 0;
      const int band = static_cast<int>(
          PickCumulative(rng_, std::span<const std::uint64_t>(head ? head_bands_ : other_bands_)));
      const int age = DrawAge(band);
      const bool adult = band >= 3;
      char sex = rng_.PerMille(512) ? 'M' : 'F';
      if (member == 1 && adult && head_adult && rng_.PerMille(800)) {
        sex = head_sex == 'M' ? 'F' : 'M';  // a spouse
      }
      Person& person = city->people.emplace_back();  // in place: moving one costs 6 strings
      // Children mostly carry the head's surname; spouses and other adults often do not.
      const bool family = !head && rng_.PerMille(adult ? 400 : 850);
      const std::string_view surname = family ? family_name : DrawSurname(rng_);
      if (head) {
        family_name = surname;
        head_sex = sex;
        head_adult = adult;
      }
      person.name.assign(surname);
      AppendGivenName(rng_, sex, &person.name);
      person.sex = sex;
      // Aged `age` on 1 July of the reference year.
      const std::int64_t birth_day = rng_.Between(DaysFromCivil(reference_year_ - age - 1, 7, 2),
                                                  DaysFromCivil(reference_year_ - age, 7, 1));
      person.birth_date.reserve(10);
      AppendCivil(birth_day, "-", &person.birth_date);
      person.id_number = IdNumber(grid.district, birth_day, sex == 'M');
      if (age >= kPhoneAge) {
        person.phone = phones_.Number(next_phone_++);
      }
      person.address = household.address;
      person.household = household.id;
      person.grid_code = household.grid_code;
      ++grid_node.age_bands[static_cast<std::size_t>(band)];
    }
  }

 private:
  int DrawAge(int band) {
    if (band == kAgeBandCount - 1) {
      return 60 + static_cast<int>(PickCumulative(rng_, std::span<const std::uint64_t>(old_ages_)));
    }
    return static_cast<int>(rng_.Between(kAgeBandLow[band], kAgeBandLow[band + 1] - 1));
  }

  // District code, birth date, a sequence code unique for that pair and the sex, check char.
  // Most people were born in the district they live in.
  std::string IdNumber(std::size_t home_district, std::int64_t birth_day, bool male) {
    const std::size_t districts = plan_.districts.size();
    std::size_t district = rng_.PerMille(850) ? home_district : rng_.Uniform(districts);
    for (std::size_t tries = 0;; ++tries) {
      CORDON_CHECK(tries < districts);  // 499 per district, date and sex cannot run out
      const std::size_t key = (district * static_cast<std::size_t>(day_count_) +
                               static_cast<std::size_t>(birth_day - first_day_)) *
                                  2 +
                              (male ? 1 : 0);
      const std::uint64_t used = sequence_used_[key];
      if (used < kSequenceValues) {
        ++sequence_used_[key];
        const std::uint64_t slot =
            (Mix64(sequence_salt_ ^ key) + used * kSequenceStride) % kSequenceValues + 1;
        std::string id;
        id.reserve(18);
        id = plan_.districts[district].code;
        AppendCivil(birth_day, "", &id);
        AppendDecimal(static_cast<std::int64_t>(slot * 2 + (male ? 1 : 0)), 3, &id);
        id.push_back(base::GbCheckCharacter(id));
        return id;
      }
      district = (district + 1) % districts;
    }
  }

  Rng rng_;
  PhoneBook phones_;
  const CityPlan& plan_;
  std::int64_t reference_year_;
  std::int64_t first_day_;
  std::int64_t day_count_;
  std::vector<std::uint16_t> sequence_used_;
  std::uint64_t sequence_salt_;
  std::uint64_t next_phone_ = 0;
  std::array<std::uint64_t, kAgeBandCount> head_bands_{};
  std::array<std::uint64_t, kAgeBandCount> other_bands_{};
  std::array<std::uint64_t, kMaxAge - 60> old_ages_{};
};

}  // namespace

void BuildPeople(const CityOptions& options, const CityPlan& plan,
                 std::span<const std::uint8_t> household_sizes, City* city) {
  CORDON_CHECK(household_sizes.size() == city->households.size());
  city->people.reserve(static_cast<std::size_t>(options.population));
  PeopleBuilder builder(options, plan, static_cast<std::int64_t>(household_sizes.size()));
  std::size_t next = 0;
  for (const GridPlan& grid : plan.grids) {
    city->regions[grid.region].households = grid.households;
    for (std::int64_t k = 0; k < grid.households; ++k, ++next) {
      builder.AddHousehold(city->households[next], grid, household_sizes[next], city);
    }
  }
}

}  // namespace cordon::sim::internal
