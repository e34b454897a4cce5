#include "base/secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace cordon::base {
namespace {

Status SyncDirectoryOf(const std::string& path) {
  const std::string dir = std::filesystem::path(path).parent_path().string();
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int err = errno;
    if (fd >= 0) {
      ::close(fd);
    }
    return Unavailable("cannot sync the directory of " + path + ": " + std::strerror(err));
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace

Status WriteSecretFile(const std::string& path, const std::string& content) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Unavailable("cannot create " + parent.string() + ": " + ec.message());
    }
    std::filesystem::permissions(parent, std::filesystem::perms::owner_all, ec);
  }
  const std::string part = path + ".part";
  std::filesystem::remove(part, ec);
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Unavailable("cannot create " + part + ": " + std::strerror(errno));
  }
  const bool written =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written) {
    std::filesystem::remove(part, ec);
    return Unavailable("cannot write " + part + ": " + std::strerror(saved));
  }
  if (std::rename(part.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::filesystem::remove(part, ec);
    return Unavailable("cannot rename " + part + ": " + std::strerror(err));
  }
  return SyncDirectoryOf(path);
}

Result<std::string> ReadSecretFile(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return NotFound(path + " does not exist");
    }
    return Unavailable("cannot read " + path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    return FailedPrecondition(
        path + " may be read by group or others: it must be mode 0600 (chmod 600 " + path + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Unavailable("cannot read " + path);
  }
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace cordon::base
