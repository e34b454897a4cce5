// The open day's write-ahead log: batches of check-ins appended to one file per generation and
// acknowledged only after fdatasync. At start-up the logs are replayed into memory.
//
// A batch is a 32-byte header (magic, kind, row count, the carried generation, an XXH3 over
// header and rows) and 12 bytes a row. When the day closes the log is rotated: rows of days not
// yet sealed are re-written into the new generation as one "carry" batch naming the old
// generation, which makes the old file redundant even if a crash comes before it is deleted.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "base/status.h"
#include "checkins/checkin.h"
#include "checkins/file_io.h"

namespace cordon::checkins {

struct ReplayedLog {
  std::uint64_t generation = 0;
  std::vector<Checkin> rows;
  std::vector<std::uint64_t> carried;  // older generations whose rows this log re-wrote
  std::uint64_t valid_bytes = 0;       // where the next batch goes
  bool torn_tail = false;              // an unacknowledged batch cut short by a crash
};

class CheckinLog {
 public:
  static std::string FileName(std::uint64_t generation);
  // The generation in a file name made by FileName, or 0 if it is not a log.
  static std::uint64_t GenerationOf(const std::string& file_name);

  // Reads every whole batch. A batch cut short at the end of the file is a crash before its
  // acknowledgement, reported as torn_tail and dropped; a bad batch with data after it is
  // damage, and an error naming the file and byte offset.
  static Result<ReplayedLog> Replay(const std::string& path);

  // Opens `path` for appending after `valid_bytes` (0: a new log).
  static Result<CheckinLog> Open(const std::string& path, std::uint64_t generation,
                                 std::uint64_t valid_bytes);

  // Writes one batch; durable only after Sync.
  Status Append(std::span<const Checkin> rows);
  Status AppendCarry(std::uint64_t carried_generation, std::span<const Checkin> rows);
  Status Sync() { return file_.Sync(); }

  std::uint64_t generation() const { return generation_; }
  const std::string& path() const { return file_.path(); }

 private:
  CheckinLog(File file, std::uint64_t generation)
      : file_(std::move(file)), generation_(generation) {}
  Status Write(std::uint32_t kind, std::uint64_t aux, std::span<const Checkin> rows);

  File file_;
  std::uint64_t generation_;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace cordon::checkins
