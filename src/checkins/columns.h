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

namespace cordon::checkins {

// A read-only view over the four columns. Whoever owns the memory outlives the view.
struct Columns {
  const std::uint32_t* venue = nullptr;
  const std::uint32_t* time = nullptr;
  const std::uint32_t* person = nullptr;
  const std::uint32_t* by_person = nullptr;  // row numbers in (person, time) order
  std::size_t rows = 0;

  Checkin Row(std::size_t i) const { return {venue[i], time[i], person[i]}; }
  // Rows [first, last) at `venue` with lo <= time <= hi.
  std::pair<std::size_t, std::size_t> VenueRange(std::uint32_t v, std::uint32_t lo,
                                                 std::uint32_t hi) const;
  // Positions [first, last) of by_person whose rows belong to `p`, in time order.
  std::pair<std::size_t, std::size_t> PersonRange(std::uint32_t p) const;
};

// Columns that own their memory: a sorted run of the open day, or a segment being written.
class OwnedColumns {
 public:
  OwnedColumns() = default;
  // Sorts `rows` (any order) into the columnar layout. Radix sorts: a 20-million-row day sorts
  // in well under a second on one core, where comparison sorts took several.
  static OwnedColumns Build(std::span<const Checkin> rows);
  // The rows of several column sets together, as one.
  static OwnedColumns Merge(std::span<const Columns> parts);

  Columns view() const {
    return {venue_.data(), time_.data(), person_.data(), by_person_.data(), venue_.size()};
  }
  std::size_t rows() const { return venue_.size(); }
  const std::vector<std::uint32_t>& venue() const { return venue_; }
  const std::vector<std::uint32_t>& time() const { return time_; }
  const std::vector<std::uint32_t>& person() const { return person_; }
  const std::vector<std::uint32_t>& by_person() const { return by_person_; }

 private:
  std::vector<std::uint32_t> venue_;
  std::vector<std::uint32_t> time_;
  std::vector<std::uint32_t> person_;
  std::vector<std::uint32_t> by_person_;
};

}  // namespace cordon::checkins
