// GenerateCity throughput in residents per second.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "base/check.h"
#include "sim/city.h"

namespace cordon::sim {
namespace {

void BM_GenerateCity(benchmark::State& state) {
  const CityOptions options{.population = state.range(0), .seed = 1};
  for (auto _ : state) {
    Result<City> city = GenerateCity(options);
    CORDON_CHECK(city.has_value() &&
                 city->people.size() == static_cast<std::size_t>(options.population));
    benchmark::DoNotOptimize(city);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_GenerateCity)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cordon::sim
