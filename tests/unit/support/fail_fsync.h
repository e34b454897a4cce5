// Fault injection for security.md H6: the unit-test binary defines fsync and fdatasync itself,
// ahead of the C library's (and SQLite's, which calls them through the dynamic linker). Off by
// default: every call goes to the real function. While a FailingFsync is alive, a sync of a file
// whose path contains its substring fails with EIO, as a disk that lost the write would report.
#pragma once

#include <string>

namespace cordon::testing {

class FailingFsync {
 public:
  explicit FailingFsync(std::string path_part);
  ~FailingFsync();
  FailingFsync(const FailingFsync&) = delete;
  FailingFsync& operator=(const FailingFsync&) = delete;
  // How many syncs it failed so far.
  int failed() const;
};

}  // namespace cordon::testing
