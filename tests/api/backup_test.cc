// Backup and restore (issue #4, security.md H7): a backup taken while person files are being
// written holds every write acknowledged before it began, restores into a fresh installation
// table for table, and the restored audit chain verifies. SQLite is backed up with
// `cordon backup` (the online backup API), PostgreSQL with pg_dump and pg_restore.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "cordon_server.h"

namespace cordon::testing {
namespace {

using nlohmann::json;

// Creates person files as fast as the server takes them, keeping the ids it acknowledged.
class PersonWriter {
 public:
  PersonWriter(const CordonServer& server, std::string token, std::string grid)
      : server_(server), token_(std::move(token)), grid_(std::move(grid)) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~PersonWriter() { Stop(); }
  PersonWriter(const PersonWriter&) = delete;
  PersonWriter& operator=(const PersonWriter&) = delete;

  void Stop() {
    stop_ = true;
    if (thread_.joinable()) {
      thread_.join();
    }
  }
  std::set<std::int64_t> Acknowledged() {
    std::lock_guard lock(mu_);
    return acknowledged_;
  }
  int Errors() const { return errors_; }

 private:
  void Loop() {
    auto client = server_.Client();
    for (int i = 0; !stop_; ++i) {
      // 1950-01-01 onwards, 900 people a day: valid, and unlike the generated city's.
      std::ostringstream first17;
      first17 << "110105" << 1950 + i / 900 % 60 << "0101" << 100 + i % 900;
      json body = {{"id_number", WithCheckDigit(first17.str())},
                   {"name", "备份" + std::to_string(i)},
                   {"region", grid_}};
      auto res = client.Post("/api/v1/people", Bearer(token_), body.dump(), "application/json");
      if (res && res->status == 201) {
        std::lock_guard lock(mu_);
        acknowledged_.insert(json::parse(res->body)["id"].get<std::int64_t>());
      } else if (!res || res->status != 409) {  // 409: the generated city has that ID already
        ++errors_;
      }
    }
  }

  const CordonServer& server_;
  std::string token_;
  std::string grid_;
  std::thread thread_;
  std::atomic<bool> stop_ = false;
  std::atomic<int> errors_ = 0;
  std::mutex mu_;
  std::set<std::int64_t> acknowledged_;
};

// The table lines `cordon copy` prints: "table: N rows, sha256 H".
std::set<std::string> TableLines(const std::string& output) {
  std::set<std::string> lines;
  std::istringstream in(output);
  for (std::string line; std::getline(in, line);) {
    if (line.find(" rows, sha256 ") != std::string::npos) {
      lines.insert(line);
    }
  }
  return lines;
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = server_.Login("admin");
    ASSERT_FALSE(admin_.empty());
    json first = Json(server_.Client().Get("/api/v1/people?limit=1", Bearer(admin_)));
    grid_ = first["items"][0]["region"];
    dir_ = server_.data_dir() + "/restore";
    std::filesystem::create_directories(dir_);
  }

  // Writes under load until `n` are acknowledged; returns them.
  std::set<std::int64_t> AtLeast(PersonWriter& writer, std::size_t n) {
    for (int i = 0; i < 600 && writer.Acknowledged().size() < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return writer.Acknowledged();
  }

  CordonServer server_{2000};
  std::string admin_;
  std::string grid_;
  std::string dir_;
};

TEST_F(BackupTest, AnOnlineBackupUnderWritesRestoresWholeAndItsAuditChainVerifies) {
  PersonWriter writer(server_, admin_, grid_);
  const std::set<std::int64_t> before = AtLeast(writer, 30);
  ASSERT_GE(before.size(), 30u);
  const std::string backup = dir_ + "/backup";
  int status = 0;
  std::string out;
  std::string restored_url;
  if (server_.backend() == "sqlite") {
    status = server_.Run("backup --to " + ShellQuote(backup + ".db"), "", &out);
    ASSERT_EQ(status, 0) << out;
    EXPECT_NE(out.find("integrity_check ok"), std::string::npos) << out;
    EXPECT_EQ(std::filesystem::status(backup + ".db").permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    restored_url = "sqlite:" + dir_ + "/cordon.db";
    // Restore: the backup copied into a fresh installation, every table checked.
    out = Shell(std::string(CORDON_BINARY) + " copy --from " +
                    ShellQuote("sqlite:" + backup + ".db") + " --to " + ShellQuote(restored_url) +
                    " 2>/dev/null",
                &status);
    ASSERT_EQ(status, 0) << out;
  } else {
    // pg_dump takes one snapshot while the writes go on; pg_restore fills a fresh database.
    const std::string url = server_.db_url();
    out = Shell("pg_dump -Fc -f " + ShellQuote(backup + ".dump") + " " + ShellQuote(url) + " 2>&1",
                &status);
    ASSERT_EQ(status, 0) << out;
    restored_url = url + "_restored";
    const std::string name = restored_url.substr(restored_url.rfind('/') + 1);
    const std::string base = url.substr(0, url.rfind('/') + 1) + "postgres";
    out = Shell("psql -X -q " + ShellQuote(base) + " -c " +
                    ShellQuote("CREATE DATABASE \"" + name + "\"") + " 2>&1",
                &status);
    ASSERT_EQ(status, 0) << out;
    out = Shell("pg_restore --no-owner -d " + ShellQuote(restored_url) + " " +
                    ShellQuote(backup + ".dump") + " 2>&1",
                &status);
    EXPECT_EQ(status, 0) << out;
  }
  writer.Stop();
  EXPECT_EQ(writer.Errors(), 0);
  const std::set<std::int64_t> after = writer.Acknowledged();

  // Compare: the restored installation copied out once more reads table for table like a copy
  // of the backup itself, and holds every person acknowledged before the backup began.
  const std::string copy = std::string(CORDON_BINARY) + " copy --from " + ShellQuote(restored_url) +
                           " --to " + ShellQuote("sqlite:" + dir_ + "/compare.db") + " 2>/dev/null";
  const std::string restored = Shell(copy, &status);
  ASSERT_EQ(status, 0) << restored;
  EXPECT_NE(restored.find("audit chain on the target intact"), std::string::npos) << restored;
  if (server_.backend() == "sqlite") {
    const std::string direct = Shell(
        std::string(CORDON_BINARY) + " copy --from " + ShellQuote("sqlite:" + backup + ".db") +
            " --to " + ShellQuote("sqlite:" + dir_ + "/direct.db") + " 2>/dev/null",
        &status);
    ASSERT_EQ(status, 0) << direct;
    EXPECT_EQ(TableLines(restored), TableLines(direct));
    EXPECT_FALSE(TableLines(direct).empty());
  }
  const std::string ids = Shell("sqlite3 " + ShellQuote(dir_ + "/compare.db") +
                                    " 'SELECT id FROM people WHERE name LIKE '\\''备份%'\\'''",
                                &status);
  std::set<std::int64_t> in_backup;
  std::istringstream in(ids);
  for (std::int64_t id = 0; in >> id;) {
    in_backup.insert(id);
  }
  for (std::int64_t id : before) {
    EXPECT_TRUE(in_backup.contains(id)) << "person " << id << " was acknowledged before the backup";
  }
  for (std::int64_t id : in_backup) {
    EXPECT_TRUE(after.contains(id)) << "person " << id << " in the backup was never acknowledged";
  }
  if (server_.backend() == "postgresql") {
    Shell("psql -X -q " +
              ShellQuote(server_.db_url().substr(0, server_.db_url().rfind('/') + 1) + "postgres") +
              " -c " +
              ShellQuote("DROP DATABASE IF EXISTS \"" +
                         restored_url.substr(restored_url.rfind('/') + 1) + "\"") +
              " 2>&1",
          &status);
  }
}

// F4: a backup leaves no older Cordon backup beside it past the shortest retention period
// (30 days by default); other files there are not touched, whatever their age.
TEST_F(BackupTest, OldBackupsBesideANewOneArePrunedAndNothingElse) {
  if (server_.backend() != "sqlite") {
    GTEST_SKIP() << "PostgreSQL is backed up with pg_dump (docs/operations.md)";
  }
  std::string out;
  const std::string old_backup = dir_ + "/cordon-old.db";
  const std::string recent_backup = dir_ + "/cordon-recent.db";
  ASSERT_EQ(server_.Run("backup --to " + ShellQuote(old_backup), "", &out), 0) << out;
  ASSERT_EQ(server_.Run("backup --to " + ShellQuote(recent_backup), "", &out), 0) << out;
  const std::string notes = dir_ + "/notes.db";
  std::ofstream(notes) << "not a database\n";
  const auto now = std::filesystem::file_time_type::clock::now();
  std::filesystem::last_write_time(old_backup, now - std::chrono::hours(24 * 31));
  std::filesystem::last_write_time(recent_backup, now - std::chrono::hours(24 * 29));
  std::filesystem::last_write_time(notes, now - std::chrono::hours(24 * 400));

  // --keep-days 0 keeps everything.
  ASSERT_EQ(server_.Run("backup --keep-days 0 --to " + ShellQuote(dir_ + "/cordon-a.db"), "", &out),
            0)
      << out;
  EXPECT_TRUE(std::filesystem::exists(old_backup));
  ASSERT_EQ(server_.Run("backup --to " + ShellQuote(dir_ + "/cordon-b.db"), "", &out), 0) << out;
  EXPECT_FALSE(std::filesystem::exists(old_backup)) << out;
  EXPECT_NE(out.find("deleted " + old_backup + ": 31 days old, past the 30-day retention period"),
            std::string::npos)
      << out;
  EXPECT_TRUE(std::filesystem::exists(recent_backup));
  EXPECT_TRUE(std::filesystem::exists(notes)) << "only Cordon backups are deleted";
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/cordon-a.db"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/cordon-b.db"));
}

}  // namespace
}  // namespace cordon::testing
