// The cost of sealing identifiers at rest (security.md B3), per value, as a bulk import, a list
// page and the tracing engine's directory load pay it:
//   BM_SealIdNumber: 10,000 ID numbers sealed and indexed per iteration (items/s = IDs/s), what
//     writing a person file adds (SealIdNumber: sealed, blind index, masked).
//   BM_OpenIdNumber: 10,000 sealed ID numbers opened (the directory load, a reveal, an export).
//   BM_IndexIdNumber: 10,000 blind indexes (an exact search, a lead matched by number).
// Each checks its answer first: every sealed value opens to its number.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "base/masking.h"
#include "store/field_cipher.h"

namespace {

using cordon::store::FieldCipher;
using cordon::store::SealedField;

constexpr std::size_t kCount = 10'000;

std::vector<std::string> Numbers() {
  std::vector<std::string> out;
  out.reserve(kCount);
  char buf[32];
  for (std::size_t i = 0; i < kCount; ++i) {
    std::snprintf(buf, sizeof buf, "4401061980%04zu%03zuX", i % 10000, i % 1000);
    out.emplace_back(buf, 18);
  }
  return out;
}

void BM_SealIdNumber(benchmark::State& state) {
  const auto cipher = FieldCipher::Ephemeral();
  const auto numbers = Numbers();
  for (auto _ : state) {
    for (const std::string& n : numbers) {
      std::string sealed = cipher->Seal(SealedField::kIdNumber, n);
      std::string index = cipher->Index(SealedField::kIdNumber, n);
      std::string masked = cordon::base::MaskIdNumber(n);
      benchmark::DoNotOptimize(sealed);
      benchmark::DoNotOptimize(index);
      benchmark::DoNotOptimize(masked);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kCount));
}
BENCHMARK(BM_SealIdNumber)->Unit(benchmark::kMillisecond);

void BM_OpenIdNumber(benchmark::State& state) {
  const auto cipher = FieldCipher::Ephemeral();
  const auto numbers = Numbers();
  std::vector<std::string> sealed;
  sealed.reserve(numbers.size());
  for (const std::string& n : numbers) {
    sealed.push_back(cipher->Seal(SealedField::kIdNumber, n));
  }
  for (std::size_t i = 0; i < kCount; ++i) {
    auto opened = cipher->Open(SealedField::kIdNumber, sealed[i]);
    if (!opened.has_value() || *opened != numbers[i]) {
      state.SkipWithError("a sealed number did not open to itself");
      return;
    }
  }
  for (auto _ : state) {
    for (const std::string& s : sealed) {
      auto opened = cipher->Open(SealedField::kIdNumber, s);
      benchmark::DoNotOptimize(opened);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kCount));
}
BENCHMARK(BM_OpenIdNumber)->Unit(benchmark::kMillisecond);

void BM_IndexIdNumber(benchmark::State& state) {
  const auto cipher = FieldCipher::Ephemeral();
  const auto numbers = Numbers();
  for (auto _ : state) {
    for (const std::string& n : numbers) {
      std::string index = cipher->Index(SealedField::kIdNumber, n);
      benchmark::DoNotOptimize(index);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kCount));
}
BENCHMARK(BM_IndexIdNumber)->Unit(benchmark::kMillisecond);

}  // namespace
