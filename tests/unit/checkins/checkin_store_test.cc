#include "checkins/checkin_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/fail_fsync.h"

namespace cordon::checkins {
namespace {

namespace fs = std::filesystem;

constexpr std::int64_t kDay = 86'400;
// 2026-11-24 12:00 at +08:00.
constexpr std::int64_t kNoon = 1'795'492'800;

class CheckinStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cordon-checkins-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    now_ = kNoon;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<CheckinStore> OpenStore() {
    StoreOptions options;
    options.dir = dir_.string();
    options.background = false;
    options.tail_rows = 4;
    options.inline_merge_rows = 16;
    options.now = [this] { return now_.load(); };
    auto store = CheckinStore::Open(options);
    EXPECT_TRUE(store.has_value()) << store.error().message();
    return store.has_value() ? std::move(*store) : nullptr;
  }

  static std::uint32_t T(std::int64_t t) { return static_cast<std::uint32_t>(t); }

  fs::path dir_;
  std::atomic<std::int64_t> now_;
};

TEST_F(CheckinStoreTest, AppendedRowsAreFoundAtTheirVenueAndOnTheirPersonsTrajectory) {
  auto store = OpenStore();
  std::vector<Checkin> rows;
  for (std::uint32_t i = 0; i < 50; ++i) {
    rows.push_back({i % 5, T(kNoon - 3600 + std::int64_t{i} * 60), 100 + i % 7});
  }
  ASSERT_TRUE(store->Append(rows).ok());
  auto snap = store->snapshot();
  EXPECT_EQ(snap->rows(), 50U);
  std::size_t at_venue = 0;
  snap->AtVenue(2, T(kNoon - 3600), T(kNoon - 3600 + 600), [&](const Checkin& c) {
    EXPECT_EQ(c.venue, 2U);
    ++at_venue;
  });
  EXPECT_EQ(at_venue, 2U);  // i = 2 and i = 7
  auto trajectory = snap->Trajectory(103, 0, UINT32_MAX);
  EXPECT_EQ(trajectory.size(), 7U);
  for (std::size_t i = 1; i < trajectory.size(); ++i) {
    EXPECT_LT(trajectory[i - 1].time, trajectory[i].time);
  }
}

TEST_F(CheckinStoreTest, AcknowledgedRowsSurviveARestart) {
  {
    auto store = OpenStore();
    for (std::uint32_t i = 0; i < 30; ++i) {
      ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon + i), i}}).ok());
    }
  }
  auto store = OpenStore();
  EXPECT_EQ(store->snapshot()->rows(), 30U);
  // And a second restart does not count them twice (the carry supersedes the old log).
  store.reset();
  store = OpenStore();
  EXPECT_EQ(store->snapshot()->rows(), 30U);
}

TEST_F(CheckinStoreTest, AClosedDayIsSealedIntoASegmentAndStillAnswers) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon), 1}, {1, T(kNoon + 60), 2}}).ok());
  now_ = kNoon + kDay;
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon + kDay), 3}}).ok());
  ASSERT_TRUE(store->CloseDays().ok());
  const Day yesterday = store->calendar().DayOf(kNoon);
  EXPECT_TRUE(fs::exists(store->SegmentPath(yesterday)));
  auto stats = store->Stats();
  EXPECT_EQ(stats.sealed_rows, 2U);
  EXPECT_EQ(stats.open_rows, 1U);
  store.reset();
  store = OpenStore();
  stats = store->Stats();
  EXPECT_EQ(stats.sealed_rows, 2U);
  EXPECT_EQ(stats.open_rows, 1U);
  std::size_t seen = 0;
  store->snapshot()->AtVenue(1, T(kNoon - 1800), T(kNoon + 1800), [&](const Checkin&) { ++seen; });
  EXPECT_EQ(seen, 2U);
}

// security.md H6: a segment whose sync fails is not sealed: no file under its name, the rows
// still answer from the open day, and sealing goes through once the disk does.
TEST_F(CheckinStoreTest, ASegmentWhoseSyncFailsIsNotSealedAndTheRowsStay) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon), 1}, {1, T(kNoon + 60), 2}}).ok());
  now_ = kNoon + kDay;
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon + kDay), 3}}).ok());
  const Day yesterday = store->calendar().DayOf(kNoon);
  const std::string segment = store->SegmentPath(yesterday);
  {
    testing::FailingFsync fault(fs::path(segment).filename().string());
    EXPECT_FALSE(store->CloseDays().ok());
    EXPECT_GE(fault.failed(), 1);
  }
  EXPECT_FALSE(fs::exists(segment));
  for (const auto& entry : fs::recursive_directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename().string().find(fs::path(segment).filename().string()),
              std::string::npos)
        << "a partial copy is left: " << entry.path();
  }
  std::size_t seen = 0;
  store->snapshot()->AtVenue(1, T(kNoon - 1800), T(kNoon + 1800), [&](const Checkin&) { ++seen; });
  EXPECT_EQ(seen, 2U);
  ASSERT_TRUE(store->CloseDays().ok());
  EXPECT_TRUE(fs::exists(segment));
  EXPECT_EQ(store->Stats().sealed_rows, 2U);
}

// An append whose log cannot be synced is not acknowledged.
TEST_F(CheckinStoreTest, AnAppendWhoseLogSyncFailsIsNotAcknowledged) {
  auto store = OpenStore();
  testing::FailingFsync fault(dir_.filename().string());
  EXPECT_FALSE(store->Append(std::vector<Checkin>{{1, T(kNoon), 1}}).ok());
  EXPECT_GE(fault.failed(), 1);
}

TEST_F(CheckinStoreTest, ALateCheckInForASealedDayIsMergedIntoItsSegment) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon), 1}}).ok());
  now_ = kNoon + kDay;
  ASSERT_TRUE(store->CloseDays().ok());
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon + 30), 2}}).ok());
  EXPECT_EQ(store->snapshot()->rows(), 2U);
  ASSERT_TRUE(store->CloseDays().ok());
  EXPECT_EQ(store->Stats().sealed_rows, 2U);
  store.reset();
  store = OpenStore();
  EXPECT_EQ(store->Stats().sealed_rows, 2U);
  EXPECT_EQ(store->Stats().open_rows, 0U);
}

TEST_F(CheckinStoreTest, RetentionDropsWholeDaysAndRefusesOlderRows) {
  auto store = OpenStore();
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon - 20 * kDay), 1}}).ok());
  ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon - 5 * kDay), 2}}).ok());
  ASSERT_TRUE(store->CloseDays().ok());
  EXPECT_EQ(store->Stats().days, 2U);
  now_ = kNoon + kDay;
  ASSERT_TRUE(store->CloseDays().ok());
  EXPECT_EQ(store->Stats().days, 1U);
  EXPECT_FALSE(fs::exists(store->SegmentPath(store->calendar().DayOf(kNoon - 20 * kDay))));
  Status old = store->Append(std::vector<Checkin>{{1, T(kNoon - 20 * kDay), 3}});
  EXPECT_EQ(old.code(), StatusCode::kInvalidArgument);
}

TEST_F(CheckinStoreTest, ATornLogTailIsDroppedAndEverythingBeforeItKept) {
  {
    auto store = OpenStore();
    for (std::uint32_t i = 0; i < 10; ++i) {
      ASSERT_TRUE(store->Append(std::vector<Checkin>{{2, T(kNoon + i), i}}).ok());
    }
  }
  fs::path log;
  for (const auto& e : fs::directory_iterator(dir_)) {
    if (e.path().extension() == ".log") {
      log = e.path();
    }
  }
  ASSERT_FALSE(log.empty());
  // A crash in the middle of the next batch's write: its first 20 bytes made it to disk.
  {
    std::ofstream out(log, std::ios::binary | std::ios::app);
    const char partial[20] = {'C', 'D', 'C', 'K'};
    out.write(partial, sizeof(partial));
  }
  auto store = OpenStore();
  EXPECT_EQ(store->snapshot()->rows(), 10U);
}

TEST_F(CheckinStoreTest, ADamagedSegmentIsRefusedWithItsName) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store->Append(std::vector<Checkin>{{1, T(kNoon), 1}, {2, T(kNoon), 2}}).ok());
    now_ = kNoon + kDay;
    ASSERT_TRUE(store->CloseDays().ok());
  }
  const std::string path = (dir_ / "day-2026-11-24.seg").string();
  ASSERT_TRUE(fs::exists(path));
  {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(70);
    f.put('\x7f');
  }
  StoreOptions options;
  options.dir = dir_.string();
  options.background = false;
  options.now = [this] { return now_.load(); };
  auto reopened = CheckinStore::Open(options);
  ASSERT_FALSE(reopened.has_value());
  EXPECT_NE(reopened.error().message().find("day-2026-11-24.seg"), std::string::npos);
  EXPECT_NE(reopened.error().message().find("checksum"), std::string::npos);
  // A torn segment (cut short) is refused too.
  fs::resize_file(path, fs::file_size(path) - 4);
  reopened = CheckinStore::Open(options);
  ASSERT_FALSE(reopened.has_value());
  EXPECT_NE(reopened.error().message().find("torn"), std::string::npos);
}

TEST_F(CheckinStoreTest, ConcurrentAppendsAreAllDurableAndMergedIntoFewRuns) {
  auto store = OpenStore();
  std::vector<std::thread> writers;
  for (std::uint32_t w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (std::uint32_t i = 0; i < 200; ++i) {
        EXPECT_TRUE(store->Append(std::vector<Checkin>{{w, T(kNoon + i), w * 1000 + i}}).ok());
      }
    });
  }
  for (auto& t : writers) {
    t.join();
  }
  store->MergeRuns();
  EXPECT_EQ(store->snapshot()->rows(), 800U);
  EXPECT_LE(store->Stats().runs, 12U);
  store.reset();
  store = OpenStore();
  EXPECT_EQ(store->snapshot()->rows(), 800U);
}

}  // namespace
}  // namespace cordon::checkins
