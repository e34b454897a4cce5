// A test-only SQLite VFS that simulates power loss and I/O errors (security.md H3, H4), after
// SQLite's own crash-test VFS (src/test6.c) and LazyFS ("lose what was not fsynced").
//
// It wraps the default "unix" VFS and becomes the default itself, so that cordon's own
// store::Open and Database::Write run on it unchanged. For every persistent file (main database,
// WAL, rollback journal) it remembers what each write and truncate since the file's last xSync
// overwrote. At the crash point the power goes: that operation and every later read, write,
// sync, truncate, open and delete fails. Reboot() then puts each file back to its image at its
// last xSync and deletes the -shm files (the shared-memory index is rebuilt from the WAL by
// design), which is what a disk with a volatile write cache may show after a power cut.
//
// The model: the last synced image survives, every unsynced write is lost whole, and creating
// or deleting a file is durable at once (SQLite syncs the directory where it relies on it; this
// VFS does not model a lost directory entry). xSync is not passed to the disk: durability is
// what this VFS decides, and the tests run at memory speed.
//
// Faults: FailNth makes the n-th read, write or sync from now on a persistent file fail with the
// error the unix VFS gives for it (SQLITE_IOERR_READ, _WRITE, _FSYNC; SQLITE_FULL for a full
// disk), once or until ClearFaults.
//
// Thread-safe: a database's background checkpointer and readers run on it too. One instance at a
// time; it must outlive every connection opened while it was installed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>

#include "base/status.h"

namespace cordon::testdb {

class CrashVfs {
 public:
  enum class Fault { kRead, kWrite, kSync, kDiskFull };

  // Registers the VFS as the process's default; the destructor restores the previous default.
  CrashVfs();
  ~CrashVfs();
  CrashVfs(const CrashVfs&) = delete;
  CrashVfs& operator=(const CrashVfs&) = delete;

  // The power goes at the `op`-th write, sync or truncate of a persistent file counted from
  // now (1 = the next one); 0 cancels a planned crash.
  void CrashAtOp(std::int64_t op);
  // The power goes now.
  void CrashNow();
  bool Crashed() const;
  // Writes, syncs and truncates of persistent files since construction or the last Reboot.
  std::int64_t Ops() const;

  // The n-th (1-based) operation of `fault`'s kind from now fails; with `persistent`, every one
  // after it too, until ClearFaults. kDiskFull counts writes.
  void FailNth(Fault fault, int n, bool persistent);
  void ClearFaults();
  // Operations failed by FailNth so far.
  int FaultsInjected() const;

  // Restores every persistent file to its last synced image, deletes the -shm files, and turns
  // the power back on with no faults and the operation count at 0.
  // REQUIRES: Crashed(), and every connection opened on this VFS closed.
  // Errors: kInternal when a file cannot be restored or a connection is still open.
  Status Reboot();

  // Internal: the VFS callbacks' view (crash_vfs.cc).
  struct FileState;
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace cordon::testdb
