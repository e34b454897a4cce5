// Argon2id verification time: security.md D1 wants it between 50 and 500 ms, slow enough to
// make offline guessing expensive and fast enough for a login.
#include <benchmark/benchmark.h>

#include "auth/password.h"

namespace {

void BM_VerifyPassword(benchmark::State& state) {
  auto hash = cordon::auth::HashPassword("correct horse battery staple");
  if (!hash.has_value()) {
    state.SkipWithError("hashing failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(cordon::auth::VerifyPassword(*hash, "correct horse battery staple"));
  }
}
BENCHMARK(BM_VerifyPassword)->Unit(benchmark::kMillisecond)->Iterations(5);

void BM_NewSessionToken(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(cordon::auth::NewToken());
  }
}
BENCHMARK(BM_NewSessionToken);

}  // namespace
