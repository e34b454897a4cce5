// The columnar layout shared by sealed day segments and the sorted runs of the open day: rows
// sorted by (venue, time), and a person index, a permutation of the rows sorted by (person,
// time). Both questions the tracer asks — who was at this venue around then, where was this
// person — are then a binary search and a contiguous range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "checkins/checkin.h"
#include "checkins/column_buffer.h"

namespace cordon::checkins {

// Where each block of keys begins in a sequence ordered by key: `first[k]` is the first
// position whose key is at least base + (k << shift). A lookup searches one block (a venue's
// rows, a handful of people's) instead of binary-searching the whole day, which cost about
// twenty cache misses a lookup. Built by counting, from the column in any order; at most one
// entry per `rows_per_entry` rows (0.2–0.5 bytes a check-in).
struct Directory {
  std::uint32_t base = 0;
  int shift = 0;
  std::vector<std::uint32_t> first;  // blocks + 1 entries; empty: no rows

  static Directory Count(const std::uint32_t* keys, std::size_t rows, std::size_t rows_per_entry);
  // Positions [first, last) of the block holding `key` (every key in it is in that block).
  std::pair<std::size_t, std::size_t> Block(std::uint32_t key) const {
    if (first.empty() || key < base) {
      return {0, 0};
    }
    // Widened first: a span of 2^32 numbers takes a shift of 32.
    const std::size_t k = static_cast<std::size_t>(key - base) >> shift;
    if (k + 1 >= first.size()) {
      return {first.back(), first.back()};
    }
    return {first[k], first[k + 1]};
  }
  std::size_t bytes() const { return first.size() * sizeof(std::uint32_t); }
};

// A read-only view over the four columns. Whoever owns the memory outlives the view.
struct Columns {
  const std::uint32_t* venue = nullptr;
  const std::uint32_t* time = nullptr;
  const std::uint32_t* person = nullptr;
  const std::uint32_t* by_person = nullptr;  // row numbers in (person, time) order
  std::size_t rows = 0;
  const Directory* venues = nullptr;  // over venue[]
  const Directory* people = nullptr;  // over by_person[]

  Checkin Row(std::size_t i) const { return {venue[i], time[i], person[i]}; }
  // Rows [first, last) at `venue` with lo <= time <= hi.
  std::pair<std::size_t, std::size_t> VenueRange(std::uint32_t v, std::uint32_t lo,
                                                 std::uint32_t hi) const;
  // The same, searching forward from row `from`, which must not lie past the range's start: a
  // walk over one venue's windows in time order then takes a few steps each, not a search of
  // the venue's whole day.
  std::pair<std::size_t, std::size_t> VenueRangeFrom(std::uint32_t v, std::uint32_t lo,
                                                     std::uint32_t hi, std::size_t from) const;
  // Positions [first, last) of by_person whose rows belong to `p`, in time order.
  std::pair<std::size_t, std::size_t> PersonRange(std::uint32_t p) const;
};

class RowSource;  // columns.cc

// Columns that own their memory: a sorted run of the open day, or a segment being written.
class OwnedColumns {
 public:
  OwnedColumns() = default;
  // Sorts `rows` (any order) into the columnar layout: counting and radix sorts, about 1.7 s
  // for a 20-million-row day on one core (performance.md, T7).
  static OwnedColumns Build(std::span<const Checkin> rows);
  // The rows of several column sets together, as one.
  static OwnedColumns Merge(std::span<const Columns> parts);

  Columns view() const {
    return {venue_.data(), time_.data(), person_.data(), by_person_.data(),
            venue_.size(), &venues_,     &people_};
  }
  std::size_t bytes() const { return venue_.size() * 16 + venues_.bytes() + people_.bytes(); }
  std::size_t rows() const { return venue_.size(); }
  std::span<const std::uint32_t> venue() const { return venue_; }
  std::span<const std::uint32_t> time() const { return time_; }
  std::span<const std::uint32_t> person() const { return person_; }
  std::span<const std::uint32_t> by_person() const { return by_person_; }

 private:
  ColumnBuffer<std::uint32_t> venue_;
  ColumnBuffer<std::uint32_t> time_;
  ColumnBuffer<std::uint32_t> person_;
  static OwnedColumns Build(const RowSource& rows);
  void BuildDirectories();

  ColumnBuffer<std::uint32_t> by_person_;
  Directory venues_;
  Directory people_;
};

// Both directories of a day's columns: one entry per venue or fewer, one per eight people or
// fewer.
Directory VenueDirectory(const Columns& c);
Directory PersonDirectory(const Columns& c);

}  // namespace cordon::checkins
