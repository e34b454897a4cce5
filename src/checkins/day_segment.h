// A closed day: an immutable file of the day's check-ins in the columnar layout (columns.h),
// memory-mapped, with an XXH3 checksum over the header and one over the columns. A torn or
// altered file is refused when opened, with the reason, never read.
//
// Layout (little-endian): a 64-byte header — magic "CRDNDAY1", format, day, rows, the last
// log generation whose rows the segment holds, the columns' checksum, the header's checksum —
// then venue[rows], time[rows], person[rows], by_person[rows] as u32: 16 bytes a check-in.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "checkins/columns.h"

namespace cordon::checkins {

class DaySegment {
 public:
  // Writes `columns` to `path` durably: a temporary file, fdatasync, rename, fsync of the
  // directory. An existing segment at `path` is replaced atomically.
  static Status Write(const std::string& path, Day day, std::uint64_t log_generation,
                      const OwnedColumns& columns);
  // Maps and verifies the file. Errors: kDataLoss-like kInternal naming the file and what is
  // wrong (short, bad magic, checksum mismatch).
  static Result<std::unique_ptr<DaySegment>> Open(const std::string& path);

  ~DaySegment();
  DaySegment(const DaySegment&) = delete;
  DaySegment& operator=(const DaySegment&) = delete;

  Day day() const { return day_; }
  std::uint64_t log_generation() const { return log_generation_; }
  const Columns& columns() const { return columns_; }
  std::size_t file_bytes() const { return size_; }
  // The file and the directories built in memory when it was opened.
  std::size_t bytes() const { return size_ + venues_.bytes() + people_.bytes(); }
  const std::string& path() const { return path_; }

 private:
  DaySegment() = default;

  std::string path_;
  void* map_ = nullptr;
  std::size_t size_ = 0;
  Day day_ = 0;
  std::uint64_t log_generation_ = 0;
  Columns columns_;
  Directory venues_;
  Directory people_;
};

}  // namespace cordon::checkins
