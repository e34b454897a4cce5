// The check-in engine (architecture.md, "Engines"): check-ins partitioned by local day. A
// closed day is a sealed, memory-mapped segment (day_segment.h); the open days live in memory
// as sorted runs plus a short unsorted tail, backed by a write-ahead log (checkin_log.h)
// replayed at start-up. Retention drops whole days.
//
// Readers take a Snapshot, an immutable view that later appends, merges and seals do not
// change, so a contact search never holds a lock while it works.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "checkins/checkin.h"
#include "checkins/checkin_log.h"
#include "checkins/columns.h"
#include "checkins/day_segment.h"

namespace cordon::checkins {

struct StoreOptions {
  std::string dir;  // segments and logs; created if missing
  std::int32_t utc_offset_seconds = 8 * 3600;
  int retention_days = 21;                 // today and the 20 days before it
  std::size_t tail_rows = 2048;            // unsorted rows before they become a sorted run
  std::size_t inline_merge_rows = 65'536;  // merges this small run on the append path
  bool background = true;                  // a thread that merges runs and closes days
  // Reads what is there (segments and logs) without taking the directory: for a command run
  // beside a server that owns it. Append and CloseDays then fail.
  bool read_only = false;
  std::function<std::int64_t()> now;  // Unix seconds; default: the system clock
};

struct StoreStats {
  std::size_t rows = 0;
  std::size_t sealed_rows = 0;
  std::size_t open_rows = 0;
  std::size_t days = 0;
  std::size_t runs = 0;
  std::size_t bytes = 0;  // segments mapped plus runs and tails in memory
};

class Snapshot {
 public:
  // Check-ins of `person` with from <= time <= to, in time order.
  std::vector<Checkin> Trajectory(std::uint32_t person, std::uint32_t from, std::uint32_t to) const;
  // Calls fn(const Checkin&) for each check-in at `venue` with lo <= time <= hi (any order).
  template <typename Fn>
  void AtVenue(std::uint32_t venue, std::uint32_t lo, std::uint32_t hi, Fn&& fn) const;
  // The parts holding the days that [lo, hi] touches: sorted(const Columns&) for each segment
  // and run, unsorted(std::span<const Checkin>) for each batch of the tail. For a search that
  // walks the columns itself (the secondary-contact sweep).
  template <typename Sorted, typename Unsorted>
  void Parts(std::uint32_t lo, std::uint32_t hi, Sorted&& sorted, Unsorted&& unsorted) const;
  std::size_t rows() const;
  const DayCalendar& calendar() const { return calendar_; }
  Day first_day() const { return days_.empty() ? 0 : days_.front().day; }
  Day last_day() const { return days_.empty() ? 0 : days_.back().day; }

 private:
  friend class CheckinStore;
  struct DayPart {
    Day day = 0;
    std::shared_ptr<const DaySegment> segment;
    std::vector<std::shared_ptr<const OwnedColumns>> runs;
    std::vector<std::shared_ptr<const std::vector<Checkin>>> tail;
    std::size_t tail_rows = 0;
  };
  const DayPart* Find(Day day) const;
  DayPart* Find(Day day);

  DayCalendar calendar_{0};
  std::vector<DayPart> days_;  // by day
};

class CheckinStore {
 public:
  static Result<std::unique_ptr<CheckinStore>> Open(StoreOptions options);
  ~CheckinStore();
  CheckinStore(const CheckinStore&) = delete;
  CheckinStore& operator=(const CheckinStore&) = delete;

  // Durable when it returns: written to the log and fdatasync'ed, together with whatever other
  // callers appended at the same moment (group commit). Rows of days outside retention or more
  // than a day ahead are refused (kInvalidArgument); the caller validates them first.
  Status Append(std::span<const Checkin> rows);

  // Seals every day before today that still has rows in memory, rotates the log, and drops
  // days past retention. The background thread calls this when the local day changes.
  Status CloseDays();
  // Merges the open days' small runs into larger ones (background work, callable by tests).
  void MergeRuns();

  std::shared_ptr<const Snapshot> snapshot() const;
  StoreStats Stats() const;
  const DayCalendar& calendar() const { return calendar_; }
  Day Today() const { return calendar_.DayOf(options_.now()); }
  // The earliest day kept: today - retention + 1.
  Day FirstRetainedDay() const { return Today() - options_.retention_days + 1; }
  std::string SegmentPath(Day day) const;

 private:
  explicit CheckinStore(StoreOptions options);
  Status Recover();
  Status WriteGroup(std::vector<Checkin> rows);
  void Publish(std::shared_ptr<const Snapshot> next);
  void Background();

  StoreOptions options_;
  DayCalendar calendar_;

  mutable std::mutex state_mu_;
  std::shared_ptr<const Snapshot> state_;

  // Group commit: callers queue rows; one of them at a time writes and syncs for all.
  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::vector<Checkin> pending_;
  std::uint64_t enqueued_ = 0;
  std::uint64_t durable_ = 0;
  bool writing_ = false;
  struct FailedGroup {
    std::uint64_t first;
    std::uint64_t last;
    Status status;
  };
  std::vector<FailedGroup> failed_;

  std::mutex log_mu_;  // the log and the open days' tails
  std::optional<CheckinLog> log_;
  bool broken_ = false;  // a failed log write: the file's end is unknown, so stop appending

  int lock_fd_ = -1;           // flock on the directory's LOCK file: one writing process at a time
  std::mutex maintenance_mu_;  // one seal or merge at a time
  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread background_;
};

template <typename Fn>
void Snapshot::AtVenue(std::uint32_t venue, std::uint32_t lo, std::uint32_t hi, Fn&& fn) const {
  Parts(
      lo, hi,
      [&](const Columns& c) {
        auto [b, e] = c.VenueRange(venue, lo, hi);
        for (std::size_t i = b; i < e; ++i) {
          fn(Checkin{c.venue[i], c.time[i], c.person[i]});
        }
      },
      [&](std::span<const Checkin> batch) {
        for (const Checkin& c : batch) {
          if (c.venue == venue && c.time >= lo && c.time <= hi) {
            fn(c);
          }
        }
      });
}

template <typename Sorted, typename Unsorted>
void Snapshot::Parts(std::uint32_t lo, std::uint32_t hi, Sorted&& sorted,
                     Unsorted&& unsorted) const {
  if (lo > hi) {
    return;
  }
  const Day first = calendar_.DayOf(lo);
  const Day last = calendar_.DayOf(hi);
  for (const DayPart& part : days_) {
    if (part.day < first || part.day > last) {
      continue;
    }
    if (part.segment) {
      sorted(part.segment->columns());
    }
    for (const auto& run : part.runs) {
      sorted(run->view());
    }
    for (const auto& batch : part.tail) {
      unsorted(std::span<const Checkin>(*batch));
    }
  }
}

}  // namespace cordon::checkins
