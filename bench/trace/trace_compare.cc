// The contact-tracing comparison driver (issue #5; ../shared/performance.md sections 7.1 and 8).
//
//   trace_compare gen        --scale W-S --seed 1 --out DIR   checkins.csv and queries.csv
//   trace_compare engine     --scale W-S --seed 1 --out DIR   loads the engine, runs Q1-Q4
//   trace_compare sqlite     --dir DIR                         the same queries on SQLite
//   trace_compare postgresql --dir DIR --url URL [--gist]      ... on PostgreSQL
//   trace_compare ingest     --rows N --batch B --threads T    T5: durable batched append
//   trace_compare seal       --rows N                          T7: seal one day of N rows
//
// Each query run writes canonical answers (answers.h) into DIR/<system>/ so that bench/trace/
// run.sh can assert that every system answered the same before it prints any time.
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "answers.h"
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
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

[[noreturn]] void Die(const std::string& why) {
  std::fprintf(stderr, "trace_compare: %s\n", why.c_str());
  std::exit(1);
}

long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "VmRSS:") {
      in >> value;
      return value;
    }
    in.ignore(1 << 10, '\n');
  }
  return 0;
}

Workload MakeWorkload(const std::string& scale_name, std::uint64_t seed, bool diurnal) {
  auto scale = ScaleNamed(scale_name);
  if (!scale) {
    Die("unknown scale " + scale_name + " (W-XS, W-S, W-M, W-L, W-XL)");
  }
  return Workload(*scale, seed, diurnal);
}

// A scratch directory removed at exit unless the caller named one.
class ScratchDir {
 public:
  explicit ScratchDir(std::string named) : path_(std::move(named)) {
    if (path_.empty()) {
      std::string tmpl = (fs::temp_directory_path() / "cordon-trace-XXXXXX").string();
      if (::mkdtemp(tmpl.data()) == nullptr) {
        Die("cannot create a temporary directory");
      }
      path_ = tmpl;
      owned_ = true;
    }
  }
  ~ScratchDir() {
    if (owned_) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& Path() const { return path_; }

 private:
  std::string path_;
  bool owned_ = false;
};

std::unique_ptr<CheckinStore> OpenStore(const std::string& dir, std::int64_t now, bool background) {
  StoreOptions options;
  options.dir = dir;
  options.background = background;
  options.now = [now] { return now; };
  auto store = CheckinStore::Open(std::move(options));
  if (!store) {
    Die("cannot open the store: " + store.error().message());
  }
  return std::move(store).value();
}

void PrintMachine() {
  std::printf(
      "machine: %u cores, %s; RAM %.1f GiB\n", std::thread::hardware_concurrency(),
      [] {
        std::ifstream in("/proc/cpuinfo");
        std::string line;
        while (std::getline(in, line)) {
          if (line.rfind("model name", 0) == 0) {
            return line.substr(line.find(':') + 2);
          }
        }
        return std::string("unknown CPU");
      }()
          .c_str(),
      static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE)) /
          (1 << 30));
}

// --- gen ------------------------------------------------------------------------------------

void WriteQueries(const std::string& path, const QuerySets& sets) {
  LineWriter w(path);
  w.Text("set,query_no,person,from,to");
  w.End();
  const std::vector<IndexCase>* all[] = {&sets.q1, &sets.q2, &sets.q3, &sets.q4};
  for (std::uint32_t s = 0; s < 4; ++s) {
    for (std::size_t i = 0; i < all[s]->size(); ++i) {
      const IndexCase& q = (*all[s])[i];
      w.Row(std::array<std::uint32_t, 5>{s + 1, static_cast<std::uint32_t>(i), q.person, q.from,
                                         q.to});
    }
  }
}

QuerySets ReadQueries(const std::string& path) {
  QuerySets sets;
  std::vector<IndexCase>* all[] = {&sets.q1, &sets.q2, &sets.q3, &sets.q4};
  ForEachCsvRow<5>(path, [&](const std::array<std::uint64_t, 5>& r) {
    if (r[0] < 1 || r[0] > 4) {
      Die("bad query set in " + path);
    }
    all[r[0] - 1]->push_back({static_cast<std::uint32_t>(r[2]), static_cast<std::uint32_t>(r[3]),
                              static_cast<std::uint32_t>(r[4])});
  });
  return sets;
}

int Gen(const Workload& w, const std::string& out) {
  fs::create_directories(out);
  auto t0 = Clock::now();
  {
    LineWriter csv(out + "/checkins.csv");
    csv.Text("person,venue,time");
    csv.End();
    std::vector<Checkin> rows;
    for (int d = 0; d < w.scale().days; ++d) {
      w.Day(d, rows);
      for (const Checkin& c : rows) {
        csv.Row(std::array<std::uint32_t, 3>{c.person, c.venue, c.time});
      }
    }
  }
  WriteQueries(out + "/queries.csv", w.Queries());
  std::printf("gen: %s seed %llu: %llu check-ins, %u persons, %u venues in %.1f s -> %s\n",
              w.scale().name.c_str(), static_cast<unsigned long long>(w.seed()),
              static_cast<unsigned long long>(w.scale().per_day) * w.scale().days,
              w.scale().persons, w.scale().venues(), MsSince(t0) / 1000, out.c_str());
  return 0;
}

// --- engine ---------------------------------------------------------------------------------

struct EngineLimits {
  std::size_t q1 = 2000;
  std::size_t q2 = 50;
  std::size_t q3 = 1000;
  std::size_t q4 = 2000;
};

void PrintDigests(const std::string& dir) {
  for (const char* name :
       {"q1_evidence.csv", "q1_counts.csv", "q2_counts.csv", "q4_trajectory.csv"}) {
    std::printf("  sha256 %s  %s\n", Sha256File(dir + "/" + name).c_str(), name);
  }
}

int Engine(const Workload& w, const std::string& out, const std::string& store_dir,
           const EngineLimits& limits, std::size_t load_batch) {
  PrintMachine();
  const std::string dir = out + "/engine";
  fs::create_directories(dir);
  ScratchDir scratch(store_dir);
  auto store = OpenStore(scratch.Path(), w.Now(), /*background=*/false);
  const std::uint64_t total = w.scale().per_day * static_cast<std::uint64_t>(w.scale().days);
  std::printf("engine: %s seed %llu: %llu check-ins, %u persons, %u venues, window 1800 s\n",
              w.scale().name.c_str(), static_cast<unsigned long long>(w.seed()),
              static_cast<unsigned long long>(total), w.scale().persons, w.scale().venues());

  double gen_ms = 0;
  double append_ms = 0;
  std::vector<Checkin> rows;
  for (int d = 0; d < w.scale().days; ++d) {
    for (std::uint64_t first = 0; first < w.scale().per_day; first += load_batch) {
      auto t0 = Clock::now();
      w.Rows(d, first, std::min(first + load_batch, w.scale().per_day), rows);
      gen_ms += MsSince(t0);
      t0 = Clock::now();
      if (Status s = store->Append(rows); !s.ok()) {
        Die("append: " + s.message());
      }
      append_ms += MsSince(t0);
    }
  }
  auto t0 = Clock::now();
  if (Status s = store->CloseDays(); !s.ok()) {
    Die("close days: " + s.message());
  }
  const double seal_ms = MsSince(t0);
  const checkins::StoreStats stats = store->Stats();
  const double load_s = (append_ms + seal_ms) / 1000;
  std::printf(
      "load: generate %.2f s (not counted); durable append %.2f s (%.2f M rows/s, batches of "
      "%zu); seal %zu days %.2f s; load total %.2f s (%.2f M rows/s)\n",
      gen_ms / 1000, append_ms / 1000, static_cast<double>(total) / append_ms / 1000, load_batch,
      stats.days, seal_ms / 1000, load_s, static_cast<double>(total) / load_s / 1e6);
  std::printf("size: %zu rows in %zu days, %zu bytes = %.2f B per check-in (T8); RSS %.0f MiB\n",
              stats.rows, stats.days, stats.bytes,
              static_cast<double>(stats.bytes) / static_cast<double>(stats.rows),
              static_cast<double>(RssKiB()) / 1024);
  if (stats.rows != total) {
    Die("the store holds " + std::to_string(stats.rows) + " rows, expected " +
        std::to_string(total));
  }

  const QuerySets sets = w.Queries(limits.q1, limits.q2, limits.q3, limits.q4);
  WriteQueries(out + "/queries.csv", sets);
  auto snapshot = store->snapshot();
  const trace::VenueRules rules;  // every venue: the default rule, ±1800 s, counted
  Answers answers;
  answers.q1_queries = sets.q1.size();
  std::vector<Latencies> lat;

  // Q1: close contacts with evidence. A warm pass first, untimed (performance.md section 9).
  Latencies q1{"q1", {}};
  std::uint64_t contacts = 0;
  std::uint64_t evidence = 0;
  std::vector<std::size_t> per_case;
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < sets.q1.size(); ++i) {
      const IndexCase& c = sets.q1[i];
      trace::ContactQuery q{c.person, c.from, c.to, 1, {}};
      auto start = Clock::now();
      trace::ContactResult r = trace::FindContacts(*snapshot, rules, q);
      const double ms = MsSince(start);
      if (pass == 0) {
        continue;
      }
      q1.ms.push_back(ms);
      contacts += r.close.size();
      per_case.push_back(r.close.size());
      for (const trace::Contact& k : r.close) {
        for (const trace::Evidence& e : k.evidence) {
          answers.q1.push_back(
              {static_cast<std::uint32_t>(i), k.person, e.venue, e.index_time, e.contact_time});
          ++evidence;
        }
      }
    }
  }
  lat.push_back(q1);
  std::ranges::sort(per_case);
  const auto pick = [&](double q) {
    return per_case.empty()
               ? 0
               : per_case[std::min(
                     per_case.size() - 1,
                     static_cast<std::size_t>(q * static_cast<double>(per_case.size())))];
  };
  std::printf(
      "Q1 close contacts: %zu cases, %llu contacts (per case p50 %zu, p99 %zu), %llu "
      "evidence rows, %.0f contacts/s\n",
      sets.q1.size(), static_cast<unsigned long long>(contacts), pick(0.5), pick(0.99),
      static_cast<unsigned long long>(evidence),
      static_cast<double>(contacts) / std::max(q1.TotalSeconds(), 1e-9));
  PrintLatencies(q1);

  // Q2: secondary contacts.
  Latencies q2{"q2", {}};
  for (std::size_t i = 0; i < sets.q2.size(); ++i) {
    const IndexCase& c = sets.q2[i];
    trace::ContactQuery q{c.person, c.from, c.to, 2, {}};
    q.secondary_described = kSecondaryPage;
    if (i == 0) {
      (void)trace::FindContacts(*snapshot, rules, q);  // warm
    }
    auto start = Clock::now();
    trace::ContactResult r = trace::FindContacts(*snapshot, rules, q);
    q2.ms.push_back(MsSince(start));
    answers.q2.push_back(r.secondary_people.size());
    if (i < 5) {
      std::printf("  Q2 case %zu: %zu close, %zu secondary, %.1f ms\n", i, r.close.size(),
                  r.secondary_people.size(), q2.ms.back());
    }
  }
  std::printf("Q2 secondary contacts: %zu cases\n", sets.q2.size());
  PrintLatencies(q2);

  // Q3: a cluster of cases at once.
  Latencies q3{"q3", {}};
  if (!sets.q3.empty()) {
    std::vector<trace::ContactQuery> cluster;
    for (const IndexCase& c : sets.q3) {
      cluster.push_back({c.person, c.from, c.to, 1, {}});
    }
    trace::ClusterResult r;
    for (int pass = 0; pass < 2; ++pass) {
      auto start = Clock::now();
      r = trace::FindContactsOfCluster(*snapshot, rules, cluster);
      if (pass == 1) {
        q3.ms.push_back(MsSince(start));
      }
    }
    std::printf("Q3 cluster of %zu cases: %zu distinct close contacts, %.1f ms\n", cluster.size(),
                r.close.size(), q3.ms.back());
    PrintLatencies(q3);
  }

  // Q4: trajectories.
  Latencies q4{"q4", {}};
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t i = 0; i < sets.q4.size(); ++i) {
      const IndexCase& c = sets.q4[i];
      auto start = Clock::now();
      std::vector<Checkin> trajectory = snapshot->Trajectory(c.person, c.from, c.to);
      const double ms = MsSince(start);
      if (pass == 1) {
        q4.ms.push_back(ms);
        for (const Checkin& k : trajectory) {
          answers.q4.push_back({static_cast<std::uint32_t>(i), k.venue, k.time});
        }
      }
    }
  }
  std::printf("Q4 trajectories: %zu persons, %zu check-ins\n", sets.q4.size(), answers.q4.size());
  PrintLatencies(q4);
  lat.push_back(q2);
  lat.push_back(q3);
  lat.push_back(q4);

  WriteAnswers(dir, answers);
  WriteTimings(dir, lat, load_s);
  {
    LineWriter info(dir + "/info.tsv");
    char line[256];
    std::snprintf(line, sizeof(line), "bytes_per_checkin\t%.2f\ncontacts_per_s\t%.0f",
                  static_cast<double>(stats.bytes) / static_cast<double>(stats.rows),
                  static_cast<double>(contacts) / std::max(q1.TotalSeconds(), 1e-9));
    info.Text(line);
    info.End();
  }
  PrintDigests(dir);
  return 0;
}

// --- peers ----------------------------------------------------------------------------------

// What a SQL peer must do; the driver loop and the answers are shared.
class Peer {
 public:
  virtual ~Peer() = default;
  virtual std::string Name() const = 0;
  virtual void Load(const std::string& csv) = 0;
  // Appends distinct (person, venue, index time, contact time) rows of query `q`.
  virtual void CloseContacts(std::uint32_t q, const IndexCase& c,
                             std::vector<EvidenceRow>& out) = 0;
  virtual std::uint64_t Secondary(const IndexCase& c) = 0;
  virtual void Trajectory(std::uint32_t q, const IndexCase& c, std::vector<TrajectoryRow>& out) = 0;
};

// The peers' SQL. `t` is the check-in time (Unix seconds); every venue's window is 1800 s.
constexpr const char* kCloseSql =
    "SELECT DISTINCT c.person, c.venue, x.t, c.t FROM checkins x JOIN checkins c "
    "ON c.venue = x.venue AND c.t BETWEEN x.t - 1800 AND x.t + 1800 "
    "WHERE x.person = $1 AND x.t BETWEEN $2 AND $3 AND c.person <> $1";
constexpr const char* kSecondarySql =
    "WITH idx AS (SELECT venue, t FROM checkins WHERE person = $1 AND t BETWEEN $2 AND $3), "
    "close AS (SELECT c.person, min(c.t) AS first FROM idx JOIN checkins c "
    "  ON c.venue = idx.venue AND c.t BETWEEN idx.t - 1800 AND idx.t + 1800 "
    "  WHERE c.person <> $1 GROUP BY c.person), "
    "hop AS (SELECT k.venue, k.t FROM close JOIN checkins k "
    "  ON k.person = close.person AND k.t BETWEEN close.first AND $3), "
    "sec AS (SELECT DISTINCT d.person FROM hop JOIN checkins d "
    "  ON d.venue = hop.venue AND d.t BETWEEN hop.t - 1800 AND hop.t + 1800) "
    "SELECT count(*) FROM sec WHERE sec.person <> $1 "
    "AND NOT EXISTS (SELECT 1 FROM close WHERE close.person = sec.person)";
constexpr const char* kTrajectorySql =
    "SELECT venue, t FROM checkins WHERE person = $1 AND t BETWEEN $2 AND $3";

std::uint32_t U32(const char* text) {
  std::uint32_t v = 0;
  std::from_chars(text, text + std::strlen(text), v);
  return v;
}

class SqlitePeer : public Peer {
 public:
  explicit SqlitePeer(const std::string& path) {
    fs::remove(path);
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      Die("sqlite: cannot open " + path);
    }
    Exec(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4000000; "
        "PRAGMA temp_store = MEMORY; PRAGMA locking_mode = EXCLUSIVE");
  }
  ~SqlitePeer() override {
    for (sqlite3_stmt* s : {close_, secondary_, trajectory_}) {
      sqlite3_finalize(s);
    }
    sqlite3_close(db_);
  }
  SqlitePeer(const SqlitePeer&) = delete;
  SqlitePeer& operator=(const SqlitePeer&) = delete;

  std::string Name() const override { return "sqlite"; }

  void Load(const std::string& csv) override {
    Exec(
        "CREATE TABLE checkins (person INTEGER NOT NULL, venue INTEGER NOT NULL, "
        "t INTEGER NOT NULL)");
    Exec("BEGIN");
    sqlite3_stmt* insert = Prepare("INSERT INTO checkins VALUES (?1, ?2, ?3)");
    ForEachCsvRow<3>(csv, [&](const std::array<std::uint64_t, 3>& r) {
      for (int i = 0; i < 3; ++i) {
        sqlite3_bind_int64(insert, i + 1, static_cast<sqlite3_int64>(r[i]));
      }
      if (sqlite3_step(insert) != SQLITE_DONE) {
        Die(std::string("sqlite insert: ") + sqlite3_errmsg(db_));
      }
      sqlite3_reset(insert);
    });
    sqlite3_finalize(insert);
    Exec("COMMIT");
    // Covering indexes: every column a query reads is in the index.
    Exec("CREATE INDEX checkins_venue ON checkins (venue, t, person)");
    Exec("CREATE INDEX checkins_person ON checkins (person, t, venue)");
    Exec("ANALYZE");
    close_ = Prepare(kCloseSql);
    secondary_ = Prepare(kSecondarySql);
    trajectory_ = Prepare(kTrajectorySql);
  }

  void CloseContacts(std::uint32_t q, const IndexCase& c, std::vector<EvidenceRow>& out) override {
    Bind(close_, c);
    while (Step(close_)) {
      out.push_back({q, Col(close_, 0), Col(close_, 1), Col(close_, 2), Col(close_, 3)});
    }
    sqlite3_reset(close_);
  }
  std::uint64_t Secondary(const IndexCase& c) override {
    Bind(secondary_, c);
    std::uint64_t n =
        Step(secondary_) ? static_cast<std::uint64_t>(sqlite3_column_int64(secondary_, 0)) : 0;
    while (Step(secondary_)) {
    }
    sqlite3_reset(secondary_);
    return n;
  }
  void Trajectory(std::uint32_t q, const IndexCase& c, std::vector<TrajectoryRow>& out) override {
    Bind(trajectory_, c);
    while (Step(trajectory_)) {
      out.push_back({q, Col(trajectory_, 0), Col(trajectory_, 1)});
    }
    sqlite3_reset(trajectory_);
  }

 private:
  void Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
      std::string why = error != nullptr ? error : "?";
      sqlite3_free(error);
      Die("sqlite: " + why + " in " + sql);
    }
  }
  sqlite3_stmt* Prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
      Die(std::string("sqlite prepare: ") + sqlite3_errmsg(db_));
    }
    return s;
  }
  // The SQL is shared with PostgreSQL: $1..$3 are named parameters to SQLite.
  static void Bind(sqlite3_stmt* s, const IndexCase& c) {
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, "$1"), c.person);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, "$2"), c.from);
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, "$3"), c.to);
  }
  bool Step(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      Die(std::string("sqlite step: ") + sqlite3_errmsg(db_));
    }
    return rc == SQLITE_ROW;
  }
  static std::uint32_t Col(sqlite3_stmt* s, int i) {
    return static_cast<std::uint32_t>(sqlite3_column_int64(s, i));
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* close_ = nullptr;
  sqlite3_stmt* secondary_ = nullptr;
  sqlite3_stmt* trajectory_ = nullptr;
};

class PostgresPeer : public Peer {
 public:
  PostgresPeer(const std::string& url, bool gist) : conn_(PQconnectdb(url.c_str())), gist_(gist) {
    if (PQstatus(conn_) != CONNECTION_OK) {
      Die(std::string("postgresql: ") + PQerrorMessage(conn_));
    }
    Exec("SET jit = off");
    Exec("SET work_mem = '256MB'");
    Exec("SET maintenance_work_mem = '2GB'");
    Exec("SET client_min_messages = warning");
  }
  ~PostgresPeer() override { PQfinish(conn_); }
  PostgresPeer(const PostgresPeer&) = delete;
  PostgresPeer& operator=(const PostgresPeer&) = delete;

  std::string Name() const override { return gist_ ? "postgresql-gist" : "postgresql"; }

  void Load(const std::string& csv) override {
    if (gist_ && Exists()) {
      // The B-tree run loaded the table: swap its venue index for a GiST one.
      Exec("DROP INDEX IF EXISTS checkins_venue");
      Exec("CREATE EXTENSION IF NOT EXISTS btree_gist");
      Exec("CREATE INDEX checkins_venue_gist ON checkins USING gist (venue, t) INCLUDE (person)");
      Exec("VACUUM ANALYZE checkins");
    } else {
      Exec("DROP TABLE IF EXISTS checkins");
      Exec(
          "CREATE UNLOGGED TABLE checkins (person int4 NOT NULL, venue int4 NOT NULL, "
          "t int4 NOT NULL)");
      CopyIn(csv);
      Exec("CREATE INDEX checkins_venue ON checkins (venue, t) INCLUDE (person)");
      Exec("CREATE INDEX checkins_person ON checkins (person, t) INCLUDE (venue)");
      Exec("VACUUM ANALYZE checkins");  // the visibility map, for index-only scans
      if (gist_) {
        Load(csv);
        return;
      }
    }
    Prepare("close", kCloseSql);
    Prepare("secondary", kSecondarySql);
    Prepare("trajectory", kTrajectorySql);
  }

  void CloseContacts(std::uint32_t q, const IndexCase& c, std::vector<EvidenceRow>& out) override {
    PGresult* r = Run("close", c);
    for (int i = 0, n = PQntuples(r); i < n; ++i) {
      out.push_back({q, U32(PQgetvalue(r, i, 0)), U32(PQgetvalue(r, i, 1)),
                     U32(PQgetvalue(r, i, 2)), U32(PQgetvalue(r, i, 3))});
    }
    PQclear(r);
  }
  std::uint64_t Secondary(const IndexCase& c) override {
    PGresult* r = Run("secondary", c);
    const std::uint64_t n = PQntuples(r) > 0 ? U32(PQgetvalue(r, 0, 0)) : 0;
    PQclear(r);
    return n;
  }
  void Trajectory(std::uint32_t q, const IndexCase& c, std::vector<TrajectoryRow>& out) override {
    PGresult* r = Run("trajectory", c);
    for (int i = 0, n = PQntuples(r); i < n; ++i) {
      out.push_back({q, U32(PQgetvalue(r, i, 0)), U32(PQgetvalue(r, i, 1))});
    }
    PQclear(r);
  }

 private:
  bool Exists() {
    PGresult* r = PQexec(conn_, "SELECT to_regclass('checkins') IS NOT NULL");
    const bool yes = PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return yes;
  }
  void Exec(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    const ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      Die(std::string("postgresql: ") + PQerrorMessage(conn_) + " in " + sql);
    }
    PQclear(r);
  }
  void Prepare(const char* name, const char* sql) {
    const Oid types[] = {23, 23, 23};  // int4
    PGresult* r = PQprepare(conn_, name, sql, 3, types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      Die(std::string("postgresql prepare: ") + PQerrorMessage(conn_));
    }
    PQclear(r);
  }
  PGresult* Run(const char* name, const IndexCase& c) {
    const std::string a = std::to_string(c.person);
    const std::string b = std::to_string(c.from);
    const std::string d = std::to_string(c.to);
    const char* values[] = {a.c_str(), b.c_str(), d.c_str()};
    PGresult* r = PQexecPrepared(conn_, name, 3, values, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
      Die(std::string("postgresql query: ") + PQerrorMessage(conn_));
    }
    return r;
  }
  void CopyIn(const std::string& csv) {
    PGresult* r = PQexec(conn_,
                         "COPY checkins (person, venue, t) FROM STDIN (FORMAT csv, "
                         "HEADER true)");
    if (PQresultStatus(r) != PGRES_COPY_IN) {
      Die(std::string("postgresql copy: ") + PQerrorMessage(conn_));
    }
    PQclear(r);
    std::FILE* f = std::fopen(csv.c_str(), "rb");
    if (f == nullptr) {
      Die("cannot read " + csv);
    }
    std::vector<char> buf(1 << 20);
    for (std::size_t got; (got = std::fread(buf.data(), 1, buf.size(), f)) > 0;) {
      if (PQputCopyData(conn_, buf.data(), static_cast<int>(got)) != 1) {
        Die(std::string("postgresql copy: ") + PQerrorMessage(conn_));
      }
    }
    std::fclose(f);
    if (PQputCopyEnd(conn_, nullptr) != 1) {
      Die(std::string("postgresql copy end: ") + PQerrorMessage(conn_));
    }
    r = PQgetResult(conn_);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      Die(std::string("postgresql copy: ") + PQerrorMessage(conn_));
    }
    PQclear(r);
    while ((r = PQgetResult(conn_)) != nullptr) {
      PQclear(r);
    }
  }

  PGconn* conn_;
  bool gist_;
};

struct PeerLimits {
  std::size_t q1 = SIZE_MAX;
  std::size_t q2 = 3;
  std::size_t q4 = SIZE_MAX;
  std::size_t warm = SIZE_MAX;  // Q1 and Q4 cases run untimed first
};

int RunPeer(Peer& peer, const std::string& dir, const PeerLimits& limits) {
  QuerySets sets = ReadQueries(dir + "/queries.csv");
  sets.q1.resize(std::min(sets.q1.size(), limits.q1));
  sets.q2.resize(std::min(sets.q2.size(), limits.q2));
  sets.q4.resize(std::min(sets.q4.size(), limits.q4));
  const std::string out = dir + "/" + peer.Name();
  fs::create_directories(out);
  auto t0 = Clock::now();
  peer.Load(dir + "/checkins.csv");
  const double load_s = MsSince(t0) / 1000;
  std::printf("%s: load and index %.1f s\n", peer.Name().c_str(), load_s);

  Answers answers;
  answers.q1_queries = sets.q1.size();
  std::vector<EvidenceRow> scratch;
  for (std::size_t i = 0; i < std::min(limits.warm, sets.q1.size()); ++i) {
    peer.CloseContacts(0, sets.q1[i], scratch);
    scratch.clear();
  }
  Latencies q1{"q1", {}};
  for (std::size_t i = 0; i < sets.q1.size(); ++i) {
    auto start = Clock::now();
    peer.CloseContacts(static_cast<std::uint32_t>(i), sets.q1[i], answers.q1);
    q1.ms.push_back(MsSince(start));
  }
  PrintLatencies(q1);
  Latencies q2{"q2", {}};
  for (const IndexCase& c : sets.q2) {
    auto start = Clock::now();
    answers.q2.push_back(peer.Secondary(c));
    q2.ms.push_back(MsSince(start));
    std::printf("  Q2 case %zu: %llu secondary, %.1f ms\n", q2.ms.size() - 1,
                static_cast<unsigned long long>(answers.q2.back()), q2.ms.back());
    std::fflush(stdout);
  }
  PrintLatencies(q2);
  std::vector<TrajectoryRow> traj;
  for (std::size_t i = 0; i < std::min(limits.warm, sets.q4.size()); ++i) {
    peer.Trajectory(0, sets.q4[i], traj);
    traj.clear();
  }
  Latencies q4{"q4", {}};
  for (std::size_t i = 0; i < sets.q4.size(); ++i) {
    auto start = Clock::now();
    peer.Trajectory(static_cast<std::uint32_t>(i), sets.q4[i], answers.q4);
    q4.ms.push_back(MsSince(start));
  }
  PrintLatencies(q4);
  WriteAnswers(out, answers);
  WriteTimings(out, {q1, q2, q4}, load_s);
  PrintDigests(out);
  return 0;
}

// --- ingest (T5) and seal (T7) ------------------------------------------------------------

int Ingest(std::uint64_t rows, std::size_t batch, int threads, const std::string& store_dir) {
  PrintMachine();
  Workload w(*ScaleNamed("W-M"), 7);
  ScratchDir scratch(store_dir);
  auto store = OpenStore(scratch.Path(), w.Now(), /*background=*/true);
  // "Today": the day the store's clock is in.
  const int today = w.scale().days;
  std::vector<std::vector<Checkin>> slices(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    const std::uint64_t first = rows * static_cast<std::uint64_t>(t) / threads;
    const std::uint64_t last = rows * static_cast<std::uint64_t>(t + 1) / threads;
    w.Rows(today, first, last, slices[static_cast<std::size_t>(t)]);
  }
  std::vector<Latencies> acks(static_cast<std::size_t>(threads));
  std::atomic<bool> go{false};
  std::vector<std::thread> workers;
  workers.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      while (!go.load()) {
        std::this_thread::yield();
      }
      const auto& mine = slices[static_cast<std::size_t>(t)];
      auto& lat = acks[static_cast<std::size_t>(t)];
      for (std::size_t at = 0; at < mine.size(); at += batch) {
        const std::size_t n = std::min(batch, mine.size() - at);
        auto start = Clock::now();
        if (Status s = store->Append(std::span(mine).subspan(at, n)); !s.ok()) {
          Die("append: " + s.message());
        }
        lat.ms.push_back(MsSince(start));
      }
    });
  }
  auto t0 = Clock::now();
  go = true;
  for (auto& th : workers) {
    th.join();
  }
  const double s = MsSince(t0) / 1000;
  Latencies all{"ack", {}};
  for (const auto& l : acks) {
    all.ms.insert(all.ms.end(), l.ms.begin(), l.ms.end());
  }
  const checkins::StoreStats stats = store->Stats();
  std::printf(
      "ingest (T5): %llu rows in batches of %zu from %d threads, each acknowledged "
      "after fdatasync: %.2f s = %.0f rows/s, %.0f requests/s; runs %zu\n",
      static_cast<unsigned long long>(rows), batch, threads, s, static_cast<double>(rows) / s,
      static_cast<double>(all.ms.size()) / s, stats.runs);
  PrintLatencies(all);
  if (stats.rows != rows) {
    Die("the store holds " + std::to_string(stats.rows) + " rows");
  }
  return 0;
}

int Seal(std::uint64_t rows, const std::string& store_dir) {
  PrintMachine();
  // A city-sized day: W-L's persons and venues, `rows` check-ins on yesterday.
  Scale scale = *ScaleNamed("W-L");
  scale.per_day = rows;
  Workload w(scale, 11);
  const int yesterday = scale.days - 1;
  std::vector<Checkin> day;
  w.Day(yesterday, day);

  auto t0 = Clock::now();
  checkins::OwnedColumns built = checkins::OwnedColumns::Build(day);
  const double build_ms = MsSince(t0);
  if (built.rows() != rows) {
    Die("build lost rows");
  }
  built = {};
  std::printf(
      "OwnedColumns::Build of %llu rows (both radix sorts, in memory): %.3f s = %.1f M "
      "rows/s\n",
      static_cast<unsigned long long>(rows), build_ms / 1000,
      static_cast<double>(rows) / build_ms / 1000);

  ScratchDir scratch(store_dir);
  auto store = OpenStore(scratch.Path(), w.Now(), /*background=*/false);
  constexpr std::size_t kBatch = 1'000'000;
  t0 = Clock::now();
  for (std::size_t at = 0; at < day.size(); at += kBatch) {
    const std::size_t n = std::min(kBatch, day.size() - at);
    if (Status s = store->Append(std::span(day).subspan(at, n)); !s.ok()) {
      Die("append: " + s.message());
    }
  }
  const double append_ms = MsSince(t0);
  t0 = Clock::now();
  if (Status s = store->CloseDays(); !s.ok()) {
    Die("close: " + s.message());
  }
  const double seal_ms = MsSince(t0);
  const checkins::StoreStats stats = store->Stats();
  std::printf("durable append in 1 M-row batches: %.2f s (%.2f M rows/s)\n", append_ms / 1000,
              static_cast<double>(rows) / append_ms / 1000);
  std::printf(
      "seal (T7: CloseDays: merge the runs, sort, person index, XXH3, write, fdatasync, "
      "map and verify): %.3f s for %llu rows; segment %zu bytes (%.2f B/row)\n",
      seal_ms / 1000, static_cast<unsigned long long>(rows), stats.bytes,
      static_cast<double>(stats.bytes) / static_cast<double>(rows));
  if (stats.sealed_rows != rows) {
    Die("sealed " + std::to_string(stats.sealed_rows) + " rows");
  }
  return 0;
}

}  // namespace
}  // namespace cordon::bench_trace

namespace cordon::bench_trace {
namespace {

int Main(int argc, char** argv) {
  CLI::App app{"Contact-tracing workloads, engine runs and peer comparisons (issue #5)"};
  app.require_subcommand(1);
  std::string scale = "W-S";
  std::uint64_t seed = 1;
  bool diurnal = false;
  std::string out;
  std::string store;
  EngineLimits limits;
  std::size_t load_batch = 1'000'000;
  auto add_workload = [&](CLI::App* cmd) {
    cmd->add_option("--scale", scale, "W-XS, W-S, W-M, W-L or W-XL");
    cmd->add_option("--seed", seed);
    cmd->add_flag("--diurnal", diurnal, "lunch and dinner peaks instead of uniform times");
  };
  auto* gen = app.add_subcommand("gen", "write checkins.csv and queries.csv");
  add_workload(gen);
  gen->add_option("--out", out)->required();

  auto* engine = app.add_subcommand("engine", "load the engine and run Q1-Q4");
  add_workload(engine);
  engine->add_option("--out", out)->required();
  engine->add_option("--store", store, "store directory (default: a temporary one)");
  engine->add_option("--q1", limits.q1);
  engine->add_option("--q2", limits.q2);
  engine->add_option("--q3", limits.q3);
  engine->add_option("--q4", limits.q4);
  engine->add_option("--load-batch", load_batch, "rows per Append while loading");

  std::string dir;
  std::string url;
  bool gist = false;
  PeerLimits peer_limits;
  auto add_peer = [&](CLI::App* cmd) {
    cmd->add_option("--dir", dir, "the directory gen wrote")->required();
    cmd->add_option("--q1", peer_limits.q1, "Q1 cases to run (default all)");
    cmd->add_option("--q2", peer_limits.q2, "Q2 cases to run (default 3)");
    cmd->add_option("--q4", peer_limits.q4);
    cmd->add_option("--warm", peer_limits.warm, "untimed Q1/Q4 cases first (default all)");
  };
  auto* sqlite = app.add_subcommand("sqlite", "the queries on SQLite");
  add_peer(sqlite);
  auto* postgresql = app.add_subcommand("postgresql", "the queries on PostgreSQL");
  add_peer(postgresql);
  postgresql->add_option("--url", url)->required();
  postgresql->add_flag("--gist", gist, "also a GiST (btree_gist) venue index, run after B-tree");

  std::uint64_t rows = 2'000'000;
  std::size_t batch = 1000;
  int threads = 1;
  auto* ingest = app.add_subcommand("ingest", "T5: durable batched append");
  ingest->add_option("--rows", rows);
  ingest->add_option("--batch", batch);
  ingest->add_option("--threads", threads);
  ingest->add_option("--store", store);
  auto* seal = app.add_subcommand("seal", "T7: seal one day");
  seal->add_option("--rows", rows);
  seal->add_option("--store", store);
  CLI11_PARSE(app, argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  try {
    if (*gen) {
      return Gen(MakeWorkload(scale, seed, diurnal), out);
    }
    if (*engine) {
      return Engine(MakeWorkload(scale, seed, diurnal), out, store, limits, load_batch);
    }
    if (*sqlite) {
      SqlitePeer peer(dir + "/sqlite.db");
      const int rc = RunPeer(peer, dir, peer_limits);
      std::filesystem::remove(dir + "/sqlite.db");
      return rc;
    }
    if (*postgresql) {
      {
        PostgresPeer peer(url, false);
        RunPeer(peer, dir, peer_limits);
      }
      if (gist) {
        PostgresPeer peer(url, true);
        RunPeer(peer, dir, peer_limits);
      }
      return 0;
    }
    if (*ingest) {
      return Ingest(rows, batch, threads, store);
    }
    if (*seal) {
      return Seal(rows, store);
    }
  } catch (const std::exception& e) {
    Die(e.what());
  }
  return 2;
}

}  // namespace
}  // namespace cordon::bench_trace

int main(int argc, char** argv) {
  try {
    return cordon::bench_trace::Main(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "trace_compare: %s\n", e.what());
    return 1;
  }
}
