// Validation throughput for identifier cells, as in a bulk import.
//   BM_ParseResidentId: 10,000 generated valid 18-digit IDs per iteration (items/s = IDs/s).
//   BM_ParseMobile: 10,000 generated mobile numbers with separators and a +86 prefix.
// Each benchmark checks its own answer first: every generated input must be accepted.
#include <benchmark/benchmark.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "base/id_number.h"
#include "base/phone.h"

namespace {

using namespace std::chrono_literals;

constexpr std::size_t kCount = 10'000;
constexpr std::chrono::year_month_day kToday{2024y, std::chrono::June, 1d};

std::vector<std::string> MakeIds(std::size_t n) {
  const std::vector<std::string> counties = {"110105", "310104", "440106", "510107",
                                             "330106", "420102", "320102", "610113"};
  std::mt19937 rng(42);
  const int first_day = std::chrono::sys_days(1930y / 1 / 1).time_since_epoch().count();
  const int last_day = std::chrono::sys_days(2020y / 12 / 31).time_since_epoch().count();
  std::uniform_int_distribution<int> day(first_day, last_day);
  std::uniform_int_distribution<int> sequence(1, 999);
  std::uniform_int_distribution<std::size_t> county(0, counties.size() - 1);
  std::vector<std::string> ids;
  ids.reserve(n);
  char buf[32];
  for (std::size_t i = 0; i < n; ++i) {
    const std::chrono::year_month_day d{std::chrono::sys_days(std::chrono::days(day(rng)))};
    std::snprintf(buf, sizeof buf, "%s%04d%02u%02u%03d", counties[county(rng)].c_str(),
                  static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()), sequence(rng));
    std::string id = buf;
    id.push_back(cordon::base::GbCheckCharacter(id));
    ids.push_back(std::move(id));
  }
  return ids;
}

void BM_ParseResidentId(benchmark::State& state) {
  const std::vector<std::string> ids = MakeIds(kCount);
  for (const std::string& id : ids) {
    if (!cordon::base::ParseResidentId(id, kToday).has_value()) {
      state.SkipWithError("a generated ID was rejected");
      return;
    }
  }
  for (auto _ : state) {
    for (const std::string& id : ids) {
      auto result = cordon::base::ParseResidentId(id, kToday);
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * ids.size()));
}
BENCHMARK(BM_ParseResidentId);

void BM_ParseMobile(benchmark::State& state) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> digit(0, 9);
  std::vector<std::string> phones;
  for (std::size_t i = 0; i < kCount; ++i) {
    std::string p = "+86 13";
    for (int k = 0; k < 9; ++k) {
      if (k == 2 || k == 6) {
        p.push_back('-');
      }
      p.push_back(static_cast<char>('0' + digit(rng)));
    }
    phones.push_back(std::move(p));
  }
  for (const std::string& p : phones) {
    if (!cordon::base::ParseMobile(p).has_value()) {
      state.SkipWithError("a generated phone was rejected");
      return;
    }
  }
  for (auto _ : state) {
    for (const std::string& p : phones) {
      auto result = cordon::base::ParseMobile(p);
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * phones.size()));
}
BENCHMARK(BM_ParseMobile);

}  // namespace
