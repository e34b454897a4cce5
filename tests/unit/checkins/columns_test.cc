#include "checkins/columns.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>

namespace cordon::checkins {
namespace {

std::vector<Checkin> RandomRows(std::mt19937& rng, std::size_t n, std::uint32_t venues,
                                std::uint32_t people, std::uint32_t t0, std::uint32_t span) {
  std::vector<Checkin> rows(n);
  for (auto& c : rows) {
    c = {static_cast<std::uint32_t>(rng() % venues), t0 + static_cast<std::uint32_t>(rng() % span),
         static_cast<std::uint32_t>(rng() % people)};
  }
  return rows;
}

TEST(ColumnsTest, SortsByVenueTimeAndIndexesByPerson) {
  std::mt19937 rng(7);
  for (std::size_t n : {0UL, 1UL, 2UL, 100UL, 5000UL}) {
    auto rows = RandomRows(rng, n, 37, 211, 1'650'000'000, 86'400);
    OwnedColumns cols = OwnedColumns::Build(rows);
    ASSERT_EQ(cols.rows(), n);
    Columns c = cols.view();
    std::vector<Checkin> expected = rows;
    std::ranges::sort(expected, [](const Checkin& a, const Checkin& b) {
      return std::tie(a.venue, a.time, a.person) < std::tie(b.venue, b.time, b.person);
    });
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(c.Row(i), expected[i]) << i;
    }
    for (std::size_t i = 1; i < n; ++i) {
      Checkin a = c.Row(c.by_person[i - 1]);
      Checkin b = c.Row(c.by_person[i]);
      ASSERT_LE(std::tie(a.person, a.time), std::tie(b.person, b.time));
    }
    std::vector<std::uint32_t> perm(c.by_person, c.by_person + n);
    std::ranges::sort(perm);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(perm[i], i);
    }
  }
}

TEST(ColumnsTest, RangesMatchABruteForceScan) {
  std::mt19937 rng(11);
  auto rows = RandomRows(rng, 3000, 20, 150, 1'000, 10'000);
  OwnedColumns cols = OwnedColumns::Build(rows);
  Columns c = cols.view();
  for (int probe = 0; probe < 500; ++probe) {
    std::uint32_t v = rng() % 22;
    std::uint32_t lo = rng() % 12'000;
    std::uint32_t hi = lo + rng() % 3'000;
    auto [b, e] = c.VenueRange(v, lo, hi);
    std::size_t expected = std::ranges::count_if(
        rows, [&](const Checkin& r) { return r.venue == v && r.time >= lo && r.time <= hi; });
    ASSERT_EQ(e - b, expected);
    for (std::size_t i = b; i < e; ++i) {
      ASSERT_EQ(c.venue[i], v);
      ASSERT_GE(c.time[i], lo);
      ASSERT_LE(c.time[i], hi);
    }
    std::uint32_t p = rng() % 160;
    auto [pb, pe] = c.PersonRange(p);
    ASSERT_EQ(pe - pb, static_cast<std::size_t>(std::ranges::count_if(
                           rows, [&](const Checkin& r) { return r.person == p; })));
  }
  auto [b, e] = c.VenueRange(3, 0, UINT32_MAX);
  EXPECT_EQ(e - b, static_cast<std::size_t>(
                       std::ranges::count_if(rows, [](const Checkin& r) { return r.venue == 3; })));
}

// Many more numbers than rows: each directory entry then covers a block of venues or people,
// and a lookup still searches only inside its block.
TEST(ColumnsTest, RangesMatchWhenDirectoriesCoverBlocksOfNumbers) {
  std::mt19937 rng(13);
  auto rows = RandomRows(rng, 3000, 40'000, 100'000, 1'000, 10'000);
  OwnedColumns cols = OwnedColumns::Build(rows);
  Columns c = cols.view();
  ASSERT_NE(c.venues, nullptr);
  EXPECT_GT(c.venues->shift, 0);
  EXPECT_GT(c.people->shift, 0);
  for (int probe = 0; probe < 2000; ++probe) {
    // Half the probes at numbers that occur, half anywhere (mostly absent, some past the end).
    const Checkin& at = rows[rng() % rows.size()];
    const std::uint32_t v = probe % 2 == 0 ? at.venue : rng() % 50'000;
    const std::uint32_t lo = rng() % 12'000;
    const std::uint32_t hi = lo + rng() % 6'000;
    auto [b, e] = c.VenueRange(v, lo, hi);
    ASSERT_EQ(e - b, static_cast<std::size_t>(std::ranges::count_if(rows, [&](const Checkin& r) {
                return r.venue == v && r.time >= lo && r.time <= hi;
              })));
    for (std::size_t i = b; i < e; ++i) {
      ASSERT_EQ(c.venue[i], v);
    }
    const std::uint32_t p = probe % 2 == 0 ? at.person : rng() % 120'000;
    auto [pb, pe] = c.PersonRange(p);
    ASSERT_EQ(pe - pb, static_cast<std::size_t>(std::ranges::count_if(
                           rows, [&](const Checkin& r) { return r.person == p; })));
    for (std::size_t i = pb; i < pe; ++i) {
      ASSERT_EQ(c.person[c.by_person[i]], p);
    }
  }
}

// Windows visited in (venue, time) order, each search starting where the last one began,
// find what a fresh search finds; with a directory of one venue per entry and of blocks.
TEST(ColumnsTest, ForwardSearchesFindWhatFreshSearchesFind) {
  std::mt19937 rng(17);
  for (std::uint32_t venues : {20U, 40'000U}) {
    auto rows = RandomRows(rng, 4000, venues, 500, 1'000, 10'000);
    OwnedColumns cols = OwnedColumns::Build(rows);
    Columns c = cols.view();
    std::vector<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>> windows;
    for (int i = 0; i < 3000; ++i) {
      const std::uint32_t v = i % 2 == 0 ? rows[rng() % rows.size()].venue : rng() % (venues + 5);
      const std::uint32_t lo = rng() % 12'000;
      windows.emplace_back(v, lo, i % 7 == 0 ? UINT32_MAX : lo + rng() % 2'000);
    }
    std::ranges::sort(windows);
    std::size_t from = 0;
    for (const auto& [v, lo, hi] : windows) {
      auto fresh = c.VenueRange(v, lo, hi);
      auto walked = c.VenueRangeFrom(v, lo, hi, from);
      ASSERT_EQ(walked.second - walked.first, fresh.second - fresh.first)
          << "venue " << v << " [" << lo << ", " << hi << "]";
      if (fresh.second > fresh.first) {
        ASSERT_EQ(walked, fresh);
      }
      from = walked.first;
    }
  }
}

TEST(ColumnsTest, SparseNumbersSortTheSameWayByRadix) {
  std::mt19937 rng(5);
  std::vector<Checkin> rows(4000);
  for (auto& c : rows) {
    // Venue and person numbers far apart: more than four times the rows between the extremes.
    c = {static_cast<std::uint32_t>((rng() % 50) * 1'000'003),
         1'000 + static_cast<std::uint32_t>(rng() % 5'000),
         static_cast<std::uint32_t>((rng() % 300) * 100'019)};
  }
  OwnedColumns cols = OwnedColumns::Build(rows);
  Columns c = cols.view();
  std::vector<Checkin> expected = rows;
  std::ranges::sort(expected, [](const Checkin& a, const Checkin& b) {
    return std::tie(a.venue, a.time, a.person) < std::tie(b.venue, b.time, b.person);
  });
  for (std::size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(c.Row(i), expected[i]) << i;
  }
  for (std::size_t i = 1; i < rows.size(); ++i) {
    Checkin a = c.Row(c.by_person[i - 1]);
    Checkin b = c.Row(c.by_person[i]);
    ASSERT_LE(std::tie(a.person, a.time), std::tie(b.person, b.time));
    if (a.person == b.person && a.time == b.time) {
      ASSERT_LT(c.by_person[i - 1], c.by_person[i]) << "ties keep venue order";
    }
  }
}

TEST(ColumnsTest, WideKeysFallBackToAComparisonSort) {
  std::vector<Checkin> rows = {
      {UINT32_MAX, 5, UINT32_MAX}, {0, UINT32_MAX, 0}, {0, 0, 1}, {0, 0, 0}};
  OwnedColumns cols = OwnedColumns::Build(rows);
  Columns c = cols.view();
  EXPECT_EQ(c.Row(0), (Checkin{0, 0, 0}));
  EXPECT_EQ(c.Row(1), (Checkin{0, 0, 1}));
  EXPECT_EQ(c.Row(2), (Checkin{0, UINT32_MAX, 0}));
  EXPECT_EQ(c.Row(3), (Checkin{UINT32_MAX, 5, UINT32_MAX}));
}

}  // namespace
}  // namespace cordon::checkins
