#include "support/fail_fsync.h"

#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <string>

namespace {

std::mutex g_mu;
std::string g_part;  // empty: no fault
std::atomic<int> g_failed{0};

// The file behind `fd`, as /proc names it.
std::string PathOf(int fd) {
  char buf[4096];
  const std::string link = "/proc/self/fd/" + std::to_string(fd);
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

bool ShouldFail(int fd) {
  std::lock_guard lock(g_mu);
  if (g_part.empty() || PathOf(fd).find(g_part) == std::string::npos) {
    return false;
  }
  ++g_failed;
  return true;
}

using SyncFn = int (*)(int);

SyncFn Real(const char* name) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): dlsym hands out a void*
  return reinterpret_cast<SyncFn>(::dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" {

// NOLINTNEXTLINE(readability-identifier-naming): the C library's name, interposed
int fsync(int fd) {
  static const SyncFn real = Real("fsync");
  if (ShouldFail(fd)) {
    errno = EIO;
    return -1;
  }
  return real(fd);
}

// NOLINTNEXTLINE(readability-identifier-naming): the C library's name, interposed
int fdatasync(int fd) {
  static const SyncFn real = Real("fdatasync");
  if (ShouldFail(fd)) {
    errno = EIO;
    return -1;
  }
  return real(fd);
}

}  // extern "C"

namespace cordon::testing {

FailingFsync::FailingFsync(std::string path_part) {
  std::lock_guard lock(g_mu);
  g_part = std::move(path_part);
  g_failed = 0;
}

FailingFsync::~FailingFsync() {
  std::lock_guard lock(g_mu);
  g_part.clear();
}

int FailingFsync::failed() const { return g_failed.load(); }

}  // namespace cordon::testing
