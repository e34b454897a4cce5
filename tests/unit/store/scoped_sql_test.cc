// security.md A1, the static half: every source file whose SQL reads person-level tables is named
// here with how its reads keep to the caller's jurisdiction. A new file that queries people,
// measures, cases, tasks, check-ins … fails this test until someone states how it is scoped, and
// a file said to be scoped must carry the jurisdiction predicate (`region_path`, the range of
// auth::SubtreeRange). The access sweep (tests/api/access_sweep_test.cc) is the dynamic half.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace cordon::store {
namespace {

enum class Scope {
  // Reads take the caller's jurisdiction range inside the SQL.
  kInSql,
  // Not a caller's read: a job or a command over everything, answering counts or nothing.
  kSystem,
  // City-wide by the right it needs (tracing: the tracing team and the command centre only).
  kByPermission,
};

struct Declared {
  Scope scope;
  const char* why;
};

const std::map<std::string, Declared>& Files() {
  static const auto* files = new std::map<std::string, Declared>{
      {"src/cases/store.cc",
       {Scope::kInSql, "cases, chains and contacts by the case's region_path"}},
      {"src/duplicates/store.cc", {Scope::kInSql, "pairs by the lowest region holding both files"}},
      {"src/duplicates/moves.cc",
       {Scope::kInSql, "moves rows between the two files of a pair the service found in scope"}},
      {"src/followups/store.cc", {Scope::kInSql, "follow-ups and alerts by the measure's path"}},
      {"src/home_quarantine/store.cc", {Scope::kInSql, "households by region_path"}},
      {"src/home_services/store.cc", {Scope::kInSql, "services and tip-offs by region_path"}},
      {"src/leads/service.cc",
       {Scope::kInSql, "matching is city-wide by design; what it answers stays in jurisdiction"}},
      {"src/leads/store.cc", {Scope::kInSql, "tasks and imports by region_path"}},
      {"src/measures/store.cc", {Scope::kInSql, "measures by region_path"}},
      {"src/people/store.cc", {Scope::kInSql, "the kScope predicate of every person read"}},
      {"src/people/duplicate_queue.cc",
       {Scope::kInSql, "queues a pair under the lowest region holding both files"}},
      {"src/timeline/timeline.cc", {Scope::kInSql, "the person is checked in the range first"}},
      {"src/retention/service.cc",
       {Scope::kSystem, "the deletion job: deletes by period, answers counts (security.md F1)"}},
      {"src/purges/service.cc",
       {Scope::kSystem, "the end-of-incident purge, two city-wide people (security.md F3)"}},
      {"src/trace/shared_log.cc", {Scope::kSystem, "the nodes' shared check-in log, no caller"}},
      {"src/trace/store.cc",
       {Scope::kByPermission, "trajectories and contacts: Permission::kTrace, audited"}},
      {"src/demo/store.cc", {Scope::kSystem, "generates the synthetic city before serving"}},
      {"src/store/field_keys.cc",
       {Scope::kSystem,
        "seals identifiers at a migration or a key rotation; opens one for a "
        "caller that has already found the file in its jurisdiction"}},
      {"src/demo/outbreak.cc", {Scope::kSystem, "seeds the synthetic outbreak before serving"}},
      {"src/demo/checkins.cc", {Scope::kSystem, "seeds synthetic check-ins before serving"}},
  };
  return *files;
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ScopedSqlTest, EveryFileReadingPersonTablesSaysHowItIsScoped) {
  const std::filesystem::path root = CORDON_SOURCE_DIR;
  const std::regex person_sql(
      R"((FROM|JOIN)\s+(people|households|measures|measure_test_days|measure_events|followups|)"
      R"(alerts|followup_links|home_services|tip_offs|tasks|leads|cases|case_contacts|)"
      R"(case_investigation|exposures|duplicate_pairs|person_merges|checkin_log)\b)");
  std::set<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root / "src")) {
    if (entry.path().extension() != ".cc") {
      continue;
    }
    const std::string text = Read(entry.path());
    if (std::regex_search(text, person_sql)) {
      found.insert(std::filesystem::relative(entry.path(), root).string());
    }
  }
  ASSERT_FALSE(found.empty());
  for (const std::string& file : found) {
    auto it = Files().find(file);
    if (it == Files().end()) {
      ADD_FAILURE() << file
                    << " reads person-level tables: name it in this test with how its reads keep "
                       "to the caller's jurisdiction (security.md A1)";
      continue;
    }
    if (it->second.scope == Scope::kInSql) {
      EXPECT_NE(Read(root / file).find("region_path"), std::string::npos)
          << file << " is said to scope in SQL (" << it->second.why
          << ") but has no region_path predicate";
    }
  }
  for (const auto& [file, declared] : Files()) {
    EXPECT_TRUE(found.contains(file)) << file << " is named here but reads no person table now";
  }
}

}  // namespace
}  // namespace cordon::store
