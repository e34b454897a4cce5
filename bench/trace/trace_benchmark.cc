// Contact tracing and the check-in engine (issue #5; ../shared/performance.md goals T1, T3-T5,
// T7, T8). The store is loaded once with a generated workload (bench/trace/workload.h): W-XS
// (280 k check-ins) by default so that the CI smoke run stays short; set
// CORDON_TRACE_SCALE=W-S|W-M|W-L for the real sizes, CORDON_TRACE_SEAL_ROWS for the day sealed
// by BM_SealDay. Latency percentiles and the peer comparison are bench/trace/run.sh's job.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/check.h"
#include "checkins/checkin_store.h"
#include "checkins/columns.h"
#include "trace/contacts.h"
#include "workload.h"

namespace cordon::bench_trace {
namespace {

// T3 as the API answers it: every secondary contact counted, the first page of them described.
constexpr std::size_t kSecondaryPage = 1'000;

namespace fs = std::filesystem;
using checkins::CheckinStore;
using checkins::StoreOptions;

std::string Env(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : fallback;
}

std::string MakeTempDir() {
  std::string tmpl = (fs::temp_directory_path() / "cordon-trace-bench-XXXXXX").string();
  CORDON_CHECK(::mkdtemp(tmpl.data()) != nullptr);
  return tmpl;
}

std::unique_ptr<CheckinStore> OpenStore(const std::string& dir, std::int64_t now, bool background) {
  StoreOptions options;
  options.dir = dir;
  options.background = background;
  options.now = [now] { return now; };
  auto store = CheckinStore::Open(std::move(options));
  CORDON_CHECK(store.has_value());
  return std::move(store).value();
}

// The loaded workload, shared by the query benchmarks.
struct Loaded {
  Loaded()
      : workload(*ScaleNamed(Env("CORDON_TRACE_SCALE", "W-XS")), 1),
        dir(MakeTempDir()),
        store(OpenStore(dir, workload.Now(), false)),
        sets(workload.Queries(2000, 5, 1000, 2000)) {
    std::vector<Checkin> rows;
    for (int d = 0; d < workload.scale().days; ++d) {
      workload.Day(d, rows);
      CORDON_CHECK(store->Append(rows).ok());
    }
    CORDON_CHECK(store->CloseDays().ok());
    snapshot = store->snapshot();
    const checkins::StoreStats stats = store->Stats();
    bytes_per_checkin = static_cast<double>(stats.bytes) / static_cast<double>(stats.rows);
  }
  ~Loaded() {
    snapshot.reset();
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Loaded(const Loaded&) = delete;
  Loaded& operator=(const Loaded&) = delete;

  Workload workload;
  std::string dir;
  std::unique_ptr<CheckinStore> store;
  std::shared_ptr<const checkins::Snapshot> snapshot;
  QuerySets sets;
  trace::VenueRules rules;  // every venue the default: ±1800 s, counted
  double bytes_per_checkin = 0;
};

Loaded& Data() {
  static Loaded loaded;
  return loaded;
}

void Label(benchmark::State& state, const Loaded& d) {
  state.SetLabel(d.workload.scale().name);
  state.counters["bytes_per_checkin"] = d.bytes_per_checkin;  // T8
}

// T1: the close contacts of one case over 14 days, with evidence.
void BM_CloseContacts(benchmark::State& state) {
  Loaded& d = Data();
  std::size_t i = 0;
  std::size_t contacts = 0;
  std::size_t evidence = 0;
  for (auto _ : state) {
    const IndexCase& c = d.sets.q1[i++ % d.sets.q1.size()];
    trace::ContactResult r =
        trace::FindContacts(*d.snapshot, d.rules, {c.person, c.from, c.to, 1, {}});
    contacts += r.close.size();
    for (const trace::Contact& k : r.close) {
      evidence += k.evidence.size();
    }
    benchmark::DoNotOptimize(r);
  }
  state.counters["contacts"] =
      benchmark::Counter(static_cast<double>(contacts), benchmark::Counter::kAvgIterations);
  state.counters["evidence"] =
      benchmark::Counter(static_cast<double>(evidence), benchmark::Counter::kAvgIterations);
  state.counters["contacts_per_s"] =
      benchmark::Counter(static_cast<double>(contacts), benchmark::Counter::kIsRate);
  Label(state, d);
}
BENCHMARK(BM_CloseContacts)->Unit(benchmark::kMicrosecond);

// T3: secondary contacts of one case (the first five index cases in turn).
void BM_SecondaryContacts(benchmark::State& state) {
  Loaded& d = Data();
  std::size_t i = 0;
  std::size_t secondary = 0;
  for (auto _ : state) {
    const IndexCase& c = d.sets.q2[i++ % d.sets.q2.size()];
    trace::ContactQuery q{c.person, c.from, c.to, 2, {}};
    q.secondary_described = kSecondaryPage;
    trace::ContactResult r = trace::FindContacts(*d.snapshot, d.rules, q);
    secondary += r.secondary_people.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["secondary"] =
      benchmark::Counter(static_cast<double>(secondary), benchmark::Counter::kAvgIterations);
  Label(state, d);
}
BENCHMARK(BM_SecondaryContacts)->Unit(benchmark::kMillisecond);

// T3 for one case (the argument: which of the first five), on one thread or two.
void BM_SecondaryOfCase(benchmark::State& state) {
  Loaded& d = Data();
  const IndexCase& c = d.sets.q2[static_cast<std::size_t>(state.range(0)) % d.sets.q2.size()];
  trace::ContactQuery q{c.person, c.from, c.to, 2, {}};
  q.secondary_described = kSecondaryPage;
  q.secondary_parallel_from = state.range(1) == 2 ? 1 : std::numeric_limits<std::size_t>::max();
  std::size_t secondary = 0;
  for (auto _ : state) {
    trace::ContactResult r = trace::FindContacts(*d.snapshot, d.rules, q);
    secondary = r.secondary_people.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["secondary"] = static_cast<double>(secondary);
  Label(state, d);
}
BENCHMARK(BM_SecondaryOfCase)
    ->ArgsProduct({{1, 3}, {1, 2}})
    ->ArgNames({"case", "threads"})
    ->Unit(benchmark::kMillisecond);

// T4/Q3: the close contacts of a cluster of 1,000 cases at once.
void BM_ClusterContacts(benchmark::State& state) {
  Loaded& d = Data();
  std::vector<trace::ContactQuery> cluster;
  for (const IndexCase& c : d.sets.q3) {
    cluster.push_back({c.person, c.from, c.to, 1, {}});
  }
  std::size_t contacts = 0;
  for (auto _ : state) {
    trace::ClusterResult r = trace::FindContactsOfCluster(*d.snapshot, d.rules, cluster);
    contacts = r.close.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["cases"] = static_cast<double>(cluster.size());
  state.counters["contacts"] = static_cast<double>(contacts);
  Label(state, d);
}
BENCHMARK(BM_ClusterContacts)->Unit(benchmark::kMillisecond);

// Q4: one person's 14-day trajectory.
void BM_Trajectory(benchmark::State& state) {
  Loaded& d = Data();
  std::size_t i = 0;
  std::size_t rows = 0;
  for (auto _ : state) {
    const IndexCase& c = d.sets.q4[i++ % d.sets.q4.size()];
    auto t = d.snapshot->Trajectory(c.person, c.from, c.to);
    rows += t.size();
    benchmark::DoNotOptimize(t);
  }
  state.counters["rows"] =
      benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kAvgIterations);
  Label(state, d);
}
BENCHMARK(BM_Trajectory)->Unit(benchmark::kMicrosecond);

// T5: durable append, acknowledged after the group commit's fdatasync. One store for all
// threads, so that concurrent single-row requests share syncs.
struct AppendTarget {
  AppendTarget() : workload(*ScaleNamed("W-S"), 3), dir(MakeTempDir()) {
    store = OpenStore(dir, workload.Now(), true);
    workload.Rows(workload.scale().days, 0, 1 << 16, rows);  // today
  }
  ~AppendTarget() {
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  AppendTarget(const AppendTarget&) = delete;
  AppendTarget& operator=(const AppendTarget&) = delete;
  Workload workload;
  std::string dir;
  std::unique_ptr<CheckinStore> store;
  std::vector<Checkin> rows;
};

AppendTarget& Target() {
  static AppendTarget target;
  return target;
}

void BM_DurableAppend(benchmark::State& state) {
  AppendTarget& t = Target();
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::size_t at = static_cast<std::size_t>(state.thread_index()) * 4096 % t.rows.size();
  for (auto _ : state) {
    if (at + batch > t.rows.size()) {
      at = 0;
    }
    CORDON_CHECK(t.store->Append(std::span(t.rows).subspan(at, batch)).ok());
    at += batch;
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_DurableAppend)->Arg(1000)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_DurableAppend)->Arg(1000)->Threads(4)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_DurableAppend)->Arg(1)->Threads(16)->Unit(benchmark::kMicrosecond)->UseRealTime();

std::int64_t SealRows() { return std::stoll(Env("CORDON_TRACE_SEAL_ROWS", "200000")); }

// T7: seal a day of N rows (CloseDays: merge, sort, person index, checksum, write, sync, map).
void BM_SealDay(benchmark::State& state) {
  Scale scale = *ScaleNamed("W-L");
  scale.per_day = static_cast<std::uint64_t>(state.range(0));
  Workload w(scale, 5);
  std::vector<Checkin> day;
  w.Day(scale.days - 1, day);  // yesterday
  for (auto _ : state) {
    const std::string dir = MakeTempDir();
    {
      auto store = OpenStore(dir, w.Now(), false);
      for (std::size_t at = 0; at < day.size(); at += 1'000'000) {
        const std::size_t n = std::min<std::size_t>(1'000'000, day.size() - at);
        CORDON_CHECK(store->Append(std::span(day).subspan(at, n)).ok());
      }
      auto start = std::chrono::steady_clock::now();
      CORDON_CHECK(store->CloseDays().ok());
      state.SetIterationTime(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      CORDON_CHECK(store->Stats().sealed_rows == day.size());
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_SealDay)->Arg(SealRows())->UseManualTime()->Unit(benchmark::kMillisecond);

// The in-memory part of a seal: both radix sorts of OwnedColumns::Build.
void BM_BuildColumns(benchmark::State& state) {
  Scale scale = *ScaleNamed("W-L");
  scale.per_day = static_cast<std::uint64_t>(state.range(0));
  Workload w(scale, 5);
  std::vector<Checkin> day;
  w.Day(scale.days - 1, day);
  for (auto _ : state) {
    checkins::OwnedColumns c = checkins::OwnedColumns::Build(day);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_BuildColumns)->Arg(SealRows())->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace cordon::bench_trace
