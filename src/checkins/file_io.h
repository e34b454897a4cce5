// Small durable-file helpers for the engine's segments and logs: whole writes, fdatasync, and
// the directory fsync that makes a rename or a new file survive a power cut.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/status.h"

namespace cordon::checkins {

class File {
 public:
  // Truncates or creates, mode 0600 (check-ins are personal data).
  static Result<File> Create(const std::string& path);
  // Opens for appending at `offset`, truncating anything after it; creates when missing.
  static Result<File> OpenAt(const std::string& path, std::uint64_t offset);

  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  ~File();
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  Status WriteAll(const void* data, std::size_t bytes);
  Status Sync();  // fdatasync
  void Close();
  const std::string& path() const { return path_; }

 private:
  File(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::string path_;
};

Status SyncDirectory(const std::string& dir);

}  // namespace cordon::checkins
