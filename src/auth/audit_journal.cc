#include "auth/audit_journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

namespace cordon::auth {
namespace {

using nlohmann::json;

// Internal: a request whose event cannot be put on record fails as a server error (C1: 500).
Status Errno(std::string_view what, const std::string& path) {
  return Internal("audit journal " + path + ": " + std::string(what) + ": " + std::strerror(errno));
}

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string Rotated(const std::string& path) { return path + ".copying"; }

// Reads one journal file, forgiving only a torn last line.
Status ReadFile(const std::string& path, std::int64_t after, std::vector<JournalEntry>& out) {
  if (!IsRegularFile(path)) {
    return Status::Ok();  // never written, or not a file we wrote (a device in fault tests)
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Errno("cannot read", path);
  }
  std::string line;
  int number = 0;
  std::string bad;
  while (std::getline(in, line)) {
    ++number;
    if (!bad.empty()) {
      return Internal(bad);  // a bad line with more after it: not a torn write
    }
    if (line.empty()) {
      continue;
    }
    auto entry = DecodeJournalLine(line);
    if (!entry.has_value()) {
      bad = "audit journal " + path + ", line " + std::to_string(number) + ": " +
            entry.error().message();
      continue;
    }
    if (entry->seq > after) {
      out.push_back(std::move(*entry));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeJournalLine(const JournalEntry& e) {
  const AuditRecord& r = e.record;
  json j = {{"seq", e.seq},
            {"at", r.at},
            {"actor_id", e.actor_id},
            {"actor", r.actor},
            {"role", r.role},
            {"scope", r.scope},
            {"action", r.entry.action},
            {"object_type", r.entry.object_type},
            {"object_id", r.entry.object_id},
            {"outcome", r.entry.outcome},
            {"reason", r.entry.reason},
            {"fields", r.entry.fields},
            {"request_id", r.request_id},
            {"ip", r.ip}};
  // Invalid UTF-8 is replaced rather than thrown on: audit fields are cleaned before they get
  // here, and a journal line must never fail for its text.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Result<JournalEntry> DecodeJournalLine(std::string_view line) {
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidArgument("not a JSON object");
  }
  JournalEntry e;
  try {
    e.seq = j.at("seq").get<std::int64_t>();
    e.actor_id = j.at("actor_id").get<std::int64_t>();
    AuditRecord& r = e.record;
    r.at = j.at("at").get<std::int64_t>();
    r.actor = j.at("actor").get<std::string>();
    r.role = j.at("role").get<std::string>();
    r.scope = j.at("scope").get<std::string>();
    r.entry.action = j.at("action").get<std::string>();
    r.entry.object_type = j.at("object_type").get<std::string>();
    r.entry.object_id = j.at("object_id").get<std::string>();
    r.entry.outcome = j.at("outcome").get<std::string>();
    r.entry.reason = j.at("reason").get<std::string>();
    r.entry.fields = j.at("fields").get<std::string>();
    r.request_id = j.at("request_id").get<std::string>();
    r.ip = j.at("ip").get<std::string>();
  } catch (const json::exception& ex) {
    return InvalidArgument(std::string("missing or mistyped field: ") + ex.what());
  }
  if (e.seq <= 0) {
    return InvalidArgument("seq must be positive");
  }
  return e;
}

Result<AuditJournal> AuditJournal::Open(const std::string& path) {
  const std::string lock_path = path + ".lock";
  int lock_fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock_fd < 0) {
    return Errno("cannot open", lock_path);
  }
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    const bool held = errno == EWOULDBLOCK;
    Status status = held ? FailedPrecondition("audit journal " + path +
                                              " is in use by another "
                                              "process")
                         : Errno("cannot lock", lock_path);
    ::close(lock_fd);
    return status;
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    Status status = Errno("cannot open", path);
    ::close(lock_fd);
    return status;
  }
  return AuditJournal(path, fd, lock_fd);
}

AuditJournal::AuditJournal(AuditJournal&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), lock_fd_(other.lock_fd_) {
  other.fd_ = -1;
  other.lock_fd_ = -1;
}

AuditJournal& AuditJournal::operator=(AuditJournal&& other) noexcept {
  if (this != &other) {
    Close();
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    lock_fd_ = other.lock_fd_;
    other.fd_ = -1;
    other.lock_fd_ = -1;
  }
  return *this;
}

AuditJournal::~AuditJournal() { Close(); }

void AuditJournal::Close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  if (lock_fd_ >= 0) {
    ::close(lock_fd_);  // releases the lock
    lock_fd_ = -1;
  }
}

Status AuditJournal::Write(std::string_view lines) {
  while (!lines.empty()) {
    ssize_t n = ::write(fd_, lines.data(), lines.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return Errno("cannot write", path_);
    }
    lines.remove_prefix(static_cast<std::size_t>(n));
  }
  return Status::Ok();
}

Status AuditJournal::Sync() {
  if (::fdatasync(fd_) != 0) {
    return Errno("cannot sync", path_);
  }
  return Status::Ok();
}

Status AuditJournal::Rotate() {
  if (HasRotated()) {
    // Its lines may not all be copied yet (a failed rotation writes on into it): never replace it.
    return FailedPrecondition("audit journal " + path_ + ": the last rotated file is still there");
  }
  if (::rename(path_.c_str(), Rotated(path_).c_str()) != 0) {
    return Errno("cannot rotate", path_);
  }
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Errno("cannot open", path_);  // the old descriptor still writes to the rotated file
  }
  ::close(fd_);
  fd_ = fd;
  return Status::Ok();
}

void AuditJournal::DropRotated() { ::unlink(Rotated(path_).c_str()); }

bool AuditJournal::HasRotated() const { return IsRegularFile(Rotated(path_)); }

Result<std::vector<JournalEntry>> AuditJournal::ReadUncopied(const std::string& path,
                                                             std::int64_t after) {
  std::vector<JournalEntry> out;
  CORDON_RETURN_IF_ERROR(ReadFile(Rotated(path), after, out));
  CORDON_RETURN_IF_ERROR(ReadFile(path, after, out));
  return out;
}

Status AuditJournal::Clear() {
  DropRotated();
  struct stat st {};
  if (::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) && ::ftruncate(fd_, 0) != 0) {
    return Errno("cannot truncate", path_);
  }
  return Status::Ok();
}

}  // namespace cordon::auth
