#include "crash_vfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "base/check.h"

namespace cordon::testdb {

// A persistent file as the disk holds it for sure: its size at the last xSync, and the bytes
// below that size that each later write or truncate replaced, oldest first. Undoing them
// newest first and cutting the file at `synced_size` gives back the synced image.
struct CrashVfs::FileState {
  struct Undo {
    std::int64_t offset = 0;
    std::string bytes;
  };
  std::string path;
  bool main_db = false;
  std::int64_t synced_size = 0;
  std::vector<Undo> undo;
};

struct CrashVfs::Impl {
  sqlite3_vfs vfs{};
  sqlite3_vfs* real = nullptr;
  sqlite3_vfs* previous_default = nullptr;

  // Guards everything below, and is held across each forwarded read, write and truncate, so
  // that the crash decision, the undo record and the write itself are one step.
  std::mutex mu;
  std::map<std::string, std::unique_ptr<FileState>> files;  // by path
  // States of files deleted while a handle may still point at them; freed at Reboot.
  std::vector<std::unique_ptr<FileState>> deleted;
  int open_handles = 0;
  std::int64_t ops = 0;
  std::int64_t crash_at = 0;  // the op at which the power goes; 0: never
  bool crashed = false;

  bool fault_armed = false;
  Fault fault = Fault::kRead;
  int fault_countdown = 0;  // calls of the fault's kind until the failing one
  bool fault_persistent = false;
  bool fault_firing = false;  // a persistent fault reached: every call fails
  int faults_injected = 0;

  // Counts a write, sync or truncate of a persistent file; true when the power is off for it.
  bool PowerOff() {
    if (crashed) {
      return true;
    }
    ++ops;
    if (crash_at != 0 && ops >= crash_at) {
      crashed = true;
    }
    return crashed;
  }

  // Whether this call, of kind `kind`, is one FailNth chose.
  bool Faulty(Fault kind) {
    const bool matches = fault == kind || (fault == Fault::kDiskFull && kind == Fault::kWrite);
    if (!fault_armed || !matches) {
      return false;
    }
    if (!fault_firing && --fault_countdown > 0) {
      return false;
    }
    ++faults_injected;
    if (fault_persistent) {
      fault_firing = true;
    } else {
      fault_armed = false;
    }
    return true;
  }
};

namespace {

using Impl = CrashVfs::Impl;
using FileState = CrashVfs::FileState;
using Fault = CrashVfs::Fault;

// SQLite allocates szOsFile bytes per open file: this header, then the unix VFS's own file.
struct CrashFile {
  sqlite3_file base;
  Impl* impl;
  FileState* state;  // null for files that do not outlive a connection (temp, delete-on-close)
  sqlite3_file* real;
};
constexpr int kRealOffset = (static_cast<int>(sizeof(CrashFile)) + 15) & ~15;

CrashFile* Cast(sqlite3_file* f) { return reinterpret_cast<CrashFile*>(f); }
const sqlite3_io_methods& Real(const CrashFile* file) { return *file->real->pMethods; }

// Records what a write or truncate of [begin, end) is about to replace below the synced size.
int SaveUndo(CrashFile& file, std::int64_t begin, std::int64_t end) {
  sqlite3_int64 size = 0;
  int rc = Real(&file).xFileSize(file.real, &size);
  if (rc != SQLITE_OK) {
    return rc;
  }
  const std::int64_t stop = std::min({end, std::int64_t{size}, file.state->synced_size});
  if (begin >= stop) {
    return SQLITE_OK;  // only bytes the synced image never had: the final cut removes them
  }
  FileState::Undo undo{begin, std::string(static_cast<std::size_t>(stop - begin), '\0')};
  rc = Real(&file).xRead(file.real, undo.bytes.data(), static_cast<int>(stop - begin), begin);
  if (rc != SQLITE_OK) {
    return rc;
  }
  file.state->undo.push_back(std::move(undo));
  return SQLITE_OK;
}

int Close(sqlite3_file* f) {
  CrashFile* file = Cast(f);
  // Closing loses nothing and must work after the crash, or descriptors would leak.
  const int rc = Real(file).xClose(file->real);
  std::lock_guard lock(file->impl->mu);
  --file->impl->open_handles;
  return rc;
}

int Read(sqlite3_file* f, void* buffer, int amount, sqlite3_int64 offset) {
  CrashFile* file = Cast(f);
  std::lock_guard lock(file->impl->mu);
  if (file->impl->crashed || (file->state != nullptr && file->impl->Faulty(Fault::kRead))) {
    return SQLITE_IOERR_READ;
  }
  return Real(file).xRead(file->real, buffer, amount, offset);
}

int Write(sqlite3_file* f, const void* buffer, int amount, sqlite3_int64 offset) {
  CrashFile* file = Cast(f);
  Impl& impl = *file->impl;
  std::lock_guard lock(impl.mu);
  if (file->state == nullptr) {
    if (impl.crashed) {
      return SQLITE_IOERR_WRITE;
    }
  } else {
    if (impl.PowerOff()) {
      return SQLITE_IOERR_WRITE;
    }
    if (impl.Faulty(Fault::kWrite)) {
      return impl.fault == Fault::kDiskFull ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    }
    const int rc = SaveUndo(*file, offset, offset + amount);
    if (rc != SQLITE_OK) {
      return rc;
    }
  }
  return Real(file).xWrite(file->real, buffer, amount, offset);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  CrashFile* file = Cast(f);
  Impl& impl = *file->impl;
  std::lock_guard lock(impl.mu);
  if (file->state == nullptr) {
    if (impl.crashed) {
      return SQLITE_IOERR_TRUNCATE;
    }
  } else {
    if (impl.PowerOff()) {
      return SQLITE_IOERR_TRUNCATE;
    }
    const int rc = SaveUndo(*file, size, std::numeric_limits<std::int64_t>::max());
    if (rc != SQLITE_OK) {
      return rc;
    }
  }
  return Real(file).xTruncate(file->real, size);
}

// The sync point: what the file holds now becomes what survives a power cut.
int Sync(sqlite3_file* f, int /*flags*/) {
  CrashFile* file = Cast(f);
  Impl& impl = *file->impl;
  std::lock_guard lock(impl.mu);
  if (file->state == nullptr) {
    return impl.crashed ? SQLITE_IOERR_FSYNC : SQLITE_OK;
  }
  if (impl.PowerOff() || impl.Faulty(Fault::kSync)) {
    return SQLITE_IOERR_FSYNC;
  }
  sqlite3_int64 size = 0;
  const int rc = Real(file).xFileSize(file->real, &size);
  if (rc != SQLITE_OK) {
    return rc;
  }
  file->state->synced_size = size;
  file->state->undo.clear();
  return SQLITE_OK;
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  CrashFile* file = Cast(f);
  std::lock_guard lock(file->impl->mu);
  if (file->impl->crashed) {
    return SQLITE_IOERR_FSTAT;
  }
  return Real(file).xFileSize(file->real, size);
}

// Locks live in the kernel and in memory, not on disk: they keep working after the crash, so
// that connections can still be closed.
int Lock(sqlite3_file* f, int level) { return Real(Cast(f)).xLock(Cast(f)->real, level); }
int Unlock(sqlite3_file* f, int level) { return Real(Cast(f)).xUnlock(Cast(f)->real, level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(Cast(f)).xCheckReservedLock(Cast(f)->real, out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(Cast(f)).xFileControl(Cast(f)->real, op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(Cast(f)).xSectorSize(Cast(f)->real); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(Cast(f)).xDeviceCharacteristics(Cast(f)->real);
}
// The -shm file is opened by the unix VFS itself and is rebuilt after a reboot: passed through.
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(Cast(f)).xShmMap(Cast(f)->real, region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(Cast(f)).xShmLock(Cast(f)->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(Cast(f)).xShmBarrier(Cast(f)->real); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(Cast(f)).xShmUnmap(Cast(f)->real, delete_flag);
}
// No memory-mapped pages: every read goes through Read, where faults are injected.
int Fetch(sqlite3_file* /*f*/, sqlite3_int64 /*offset*/, int /*amount*/, void** out) {
  *out = nullptr;
  return SQLITE_OK;
}
int Unfetch(sqlite3_file* /*f*/, sqlite3_int64 /*offset*/, void* /*page*/) { return SQLITE_OK; }

constexpr sqlite3_io_methods kMethods = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  Impl& impl = *static_cast<Impl*>(vfs->pAppData);
  CrashFile* file = Cast(f);
  file->base.pMethods = nullptr;  // SQLite closes only files whose methods are set
  file->impl = &impl;
  file->state = nullptr;
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kRealOffset);
  std::lock_guard lock(impl.mu);
  if (impl.crashed) {
    return SQLITE_CANTOPEN;
  }
  const int rc = impl.real->xOpen(impl.real, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    return rc;
  }
  file->base.pMethods = &kMethods;
  ++impl.open_handles;
  constexpr int kPersistent =
      SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_WAL | SQLITE_OPEN_SUPER_JOURNAL;
  if (name == nullptr || (flags & kPersistent) == 0 || (flags & SQLITE_OPEN_DELETEONCLOSE) != 0) {
    return SQLITE_OK;
  }
  std::unique_ptr<FileState>& state = impl.files[name];
  if (state == nullptr) {
    // First seen now: what it holds is taken as on disk (it was, or it is new and empty).
    state = std::make_unique<FileState>();
    state->path = name;
    state->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    sqlite3_int64 size = 0;
    if (Real(file).xFileSize(file->real, &size) == SQLITE_OK) {
      state->synced_size = size;
    }
  }
  file->state = state.get();
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  Impl& impl = *static_cast<Impl*>(vfs->pAppData);
  std::lock_guard lock(impl.mu);
  if (impl.crashed) {
    return SQLITE_IOERR_DELETE;
  }
  if (auto it = impl.files.find(name); it != impl.files.end()) {
    impl.deleted.push_back(std::move(it->second));
    impl.files.erase(it);
  }
  return impl.real->xDelete(impl.real, name, sync_dir);
}

sqlite3_vfs* RealVfs(sqlite3_vfs* vfs) { return static_cast<Impl*>(vfs->pAppData)->real; }

int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return RealVfs(vfs)->xAccess(RealVfs(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return RealVfs(vfs)->xFullPathname(RealVfs(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) {
  return RealVfs(vfs)->xDlOpen(RealVfs(vfs), name);
}
void DlError(sqlite3_vfs* vfs, int size, char* out) {
  RealVfs(vfs)->xDlError(RealVfs(vfs), size, out);
}
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return RealVfs(vfs)->xDlSym(RealVfs(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { RealVfs(vfs)->xDlClose(RealVfs(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xRandomness(RealVfs(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) { return RealVfs(vfs)->xSleep(RealVfs(vfs), micros); }
int CurrentTime(sqlite3_vfs* vfs, double* out) {
  return RealVfs(vfs)->xCurrentTime(RealVfs(vfs), out);
}
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return RealVfs(vfs)->xGetLastError(RealVfs(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return RealVfs(vfs)->xCurrentTimeInt64(RealVfs(vfs), out);
}

Status WriteAll(int fd, const std::string& bytes, std::int64_t offset, const std::string& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                               static_cast<off_t>(offset) + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return Internal("cannot restore " + path + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::Ok();
}

Status Restore(const FileState& state) {
  const int fd = ::open(state.path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    return Internal("cannot open " + state.path + " to restore it: " + std::strerror(errno));
  }
  Status status = Status::Ok();
  for (auto it = state.undo.rbegin(); it != state.undo.rend() && status.ok(); ++it) {
    status = WriteAll(fd, it->bytes, it->offset, state.path);
  }
  if (status.ok() && ::ftruncate(fd, static_cast<off_t>(state.synced_size)) != 0) {
    status = Internal("cannot cut " + state.path + ": " + std::strerror(errno));
  }
  ::close(fd);
  return status;
}

}  // namespace

CrashVfs::CrashVfs() : impl_(std::make_unique<Impl>()) {
  impl_->previous_default = sqlite3_vfs_find(nullptr);
  impl_->real = sqlite3_vfs_find("unix");
  CORDON_CHECK(impl_->real != nullptr && impl_->real->iVersion >= 2);
  sqlite3_vfs& vfs = impl_->vfs;
  vfs.iVersion = 2;
  vfs.szOsFile = kRealOffset + impl_->real->szOsFile;
  vfs.mxPathname = impl_->real->mxPathname;
  vfs.zName = "cordon-crash";
  vfs.pAppData = impl_.get();
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  CORDON_CHECK(sqlite3_vfs_register(&vfs, /*makeDflt=*/1) == SQLITE_OK);
}

CrashVfs::~CrashVfs() {
  sqlite3_vfs_unregister(&impl_->vfs);
  sqlite3_vfs_register(impl_->previous_default, /*makeDflt=*/1);
}

void CrashVfs::CrashAtOp(std::int64_t op) {
  std::lock_guard lock(impl_->mu);
  impl_->crash_at = op == 0 ? 0 : impl_->ops + op;
}

void CrashVfs::CrashNow() {
  std::lock_guard lock(impl_->mu);
  impl_->crashed = true;
}

bool CrashVfs::Crashed() const {
  std::lock_guard lock(impl_->mu);
  return impl_->crashed;
}

std::int64_t CrashVfs::Ops() const {
  std::lock_guard lock(impl_->mu);
  return impl_->ops;
}

void CrashVfs::FailNth(Fault fault, int n, bool persistent) {
  std::lock_guard lock(impl_->mu);
  impl_->fault_armed = true;
  impl_->fault = fault;
  impl_->fault_countdown = n;
  impl_->fault_persistent = persistent;
  impl_->fault_firing = false;
}

void CrashVfs::ClearFaults() {
  std::lock_guard lock(impl_->mu);
  impl_->fault_armed = false;
  impl_->fault_firing = false;
}

int CrashVfs::FaultsInjected() const {
  std::lock_guard lock(impl_->mu);
  return impl_->faults_injected;
}

Status CrashVfs::Reboot() {
  std::lock_guard lock(impl_->mu);
  if (!impl_->crashed) {
    return Internal("Reboot without a crash");
  }
  if (impl_->open_handles != 0) {
    return Internal(std::to_string(impl_->open_handles) + " files still open at Reboot");
  }
  for (const auto& [path, state] : impl_->files) {
    CORDON_RETURN_IF_ERROR(Restore(*state));
    if (state->main_db) {
      ::unlink((path + "-shm").c_str());  // volatile by design; absent when nothing mapped it
    }
  }
  impl_->files.clear();
  impl_->deleted.clear();
  impl_->ops = 0;
  impl_->crash_at = 0;
  impl_->crashed = false;
  impl_->fault_armed = false;
  impl_->fault_firing = false;
  return Status::Ok();
}

}  // namespace cordon::testdb
